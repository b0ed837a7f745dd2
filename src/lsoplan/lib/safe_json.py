"""JSON text parsed only when its nesting depth is bounded.

``json.loads`` recurses once per level of ``[`` or ``{``; a file of 100 000 ``[`` ends in a
RecursionError (a traceback) or, with a raised recursion limit, a crashed interpreter. The depth is
therefore counted before parsing, in one linear pass over the text that skips string contents,
and a file that is deeper than any real one is refused with one Swedish line.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A programme file is about eight levels deep and a goal list three; 64 leaves room for files
# written by other tools while staying far below Python's recursion limit (1 000).
MAX_DEPTH = 64

# A JSON string, written as the "unrolled loop" so that long strings cost linear time.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OPEN_OR_CLOSE = re.compile(r"[\[\]{}]")


class JsonTooDeepError(ValueError):
    """The text nests arrays or objects deeper than allowed; nothing has been parsed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"JSON-strukturen är djupare än {limit} nivåer och läses inte")


# json's messages (JSONDecodeError.msg) are English; the ones its decoder raises, in Swedish.
_DECODE_MESSAGES = {
    "Expecting value": "ett värde saknas",
    "Expecting property name enclosed in double quotes": "ett namn inom dubbla citattecken saknas",
    "Expecting ':' delimiter": "kolon saknas",
    "Expecting ',' delimiter": "kommatecken saknas",
    "Unterminated string starting at": "en sträng tar aldrig slut",
    "Invalid control character at": "otillåtet styrtecken",
    "Invalid \\escape": "otillåten \\-sekvens",
    "Invalid \\uXXXX escape": "otillåten \\u-sekvens",
    "Extra data": "text efter JSON-värdet",
}


def describe_decode_error(exc: json.JSONDecodeError) -> str:
    """The parser's complaint in Swedish (unknown ones as the parser said them)."""
    return _DECODE_MESSAGES.get(exc.msg, exc.msg)


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest level of brackets outside strings; stops counting once ``stop_above`` is passed.

    Unbalanced or otherwise broken text still gets a number: the parser reports the syntax error.
    """
    depth = deepest = 0
    for match in _OPEN_OR_CLOSE.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        else:
            depth = max(depth - 1, 0)
    return deepest


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    if nesting_depth(text, stop_above=limit) > limit:
        raise JsonTooDeepError(limit)


def loads(text: str, *, max_depth: int = MAX_DEPTH, **kwargs: Any) -> Any:
    """``json.loads`` after the depth check; raises ``JsonTooDeepError`` (a ``ValueError``)."""
    check_depth(text, max_depth)
    return json.loads(text, **kwargs)
