"""One spelling per user name: NFKC-normalised and case-folded.

A fullwidth ``ｇｒａｎｎｅ``, a ``Granne`` and a ``granne`` are one name to a reader, so they are one
name to lsoplan: at login (which account is meant), at throttling (whose failures are counted) and
at creation (a second account with the same canonical name is refused). Look-alikes that NFKC does
not fold, such as a Cyrillic ``а`` in place of a Latin ``a``, stay different names: they match no
account and so never get a password checked against someone else's.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 150  # Django's User.username


def canonical_username(name: object) -> str:
    """NFKC, case-folded (and NFKC again, as Unicode's NFKC_Casefold), without surrounding space."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    return unicodedata.normalize("NFKC", text.casefold()).strip()[:MAX_LENGTH]
