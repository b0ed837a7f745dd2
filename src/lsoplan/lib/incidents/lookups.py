"""Which spellings of a municipality or an event type a file may use, and what they mean."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from lsoplan import reference


@dataclass(frozen=True)
class Lookups:
    """Accepted spellings, lower-cased, of municipalities (→ code) and event types (→ id)."""

    municipalities: Mapping[str, str]
    event_types: Mapping[str, int]

    @classmethod
    def from_reference(cls) -> Lookups:
        return _reference_lookups()

    def municipality(self, text: str) -> str | None:
        """The code for "0180", "180", "Stockholm", "Stockholms kommun" or "stockholms stad"."""
        low = " ".join(text.lower().split())
        base = re.sub(r" (kommun|stad)$", "", low)
        for candidate in (low, base, base[:-1] if base.endswith("s") else None):
            if candidate and candidate in self.municipalities:
                return self.municipalities[candidate]
        return None

    def event_type(self, text: str) -> int | None:
        low = " ".join(text.lower().split())
        return self.event_types.get(low.lstrip("0") if low.isdigit() else low)


def _genitive(name: str) -> str:
    return name if name[-1:] in {"s", "x", "z"} else name + "s"


@cache
def _reference_lookups() -> Lookups:
    munis: dict[str, str] = {}
    for m in reference.municipalities():
        low = m.name.lower()
        for alias in (m.code, low, f"{low} kommun", f"{_genitive(low)} kommun"):
            munis[alias] = m.code
        if m.code.startswith("0"):  # Excel drops the leading zero: "114" is 0114
            munis[m.code[1:]] = m.code
    types: dict[str, int] = {}
    for et in reference.event_types():
        types[str(et.id)] = et.id
        types[et.name.lower()] = et.id
    return Lookups(municipalities=munis, event_types=types)
