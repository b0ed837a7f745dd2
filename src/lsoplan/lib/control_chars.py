"""Control characters in imported text: the mark of a damaged file.

NUL and the other C0 control characters (tab and line ends excepted) never belong in a question,
a goal or a title. PostgreSQL cannot store NUL in text at all, so an importer that let one through
would fail at the database instead of telling the user which cell is wrong.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None
