"""Control characters in imported text: the mark of a damaged file, or of a trick.

NUL and the other C0 control characters (tab and line ends excepted) never belong in a question,
a goal or a title. PostgreSQL cannot store NUL in text at all, so an importer that let one through
would fail at the database instead of telling the user which cell is wrong.

Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) make text
*display* in another order than it is stored ("Trojan Source", CVE-2021-42574): a goal could read
"minska med 20 %" on screen while the document says something else. Swedish planning text never
needs them, so imports refuse them too.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

CONTROL_MESSAGE = "texten innehåller styrtecken (t.ex. NUL) – filen är skadad"
BIDI_MESSAGE = (
    "texten innehåller dolda tecken för skrivriktning (U+202A–U+202E, U+2066–U+2069) som kan få "
    "den att visas i en annan ordning än den lagras – ta bort dem"
)


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def has_bidi_controls(text: str) -> bool:
    return _BIDI.search(text) is not None


def control_problem(text: str) -> str | None:
    """The Swedish reason a text must be refused, or None when it is clean."""
    if has_control_characters(text):
        return CONTROL_MESSAGE
    if has_bidi_controls(text):
        return BIDI_MESSAGE
    return None
