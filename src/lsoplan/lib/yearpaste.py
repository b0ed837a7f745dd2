"""Year values pasted from a spreadsheet: one line per year, cells separated by tabs.

    2021<TAB>1 234,5
    2022<TAB>1 300<TAB>preliminär

Numbers are read the Swedish way (decimal comma, a space, non-breaking or thin space between
thousands). A third cell, when present, says preliminär or slutlig. Every problem is named by line
and column, and nothing is returned when any line is wrong, so nothing is half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsoplan.lib.stats.csvinput import parse_number

# The spaces a spreadsheet or a Swedish text may put between thousands.
SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")

VINTAGES = {
    "": None,
    "p": "preliminar",
    "prel": "preliminar",
    "prel.": "preliminar",
    "preliminär": "preliminar",
    "preliminar": "preliminar",
    "s": "slutlig",
    "slutlig": "slutlig",
    "slutligt": "slutlig",
}

MAX_LINES = 200


@dataclass(frozen=True)
class PastedValue:
    line: int
    year: int
    value: float
    vintage: str | None  # None: the form's default applies


class PasteError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def swedish_number(text: str) -> float:
    """ "150 000", "1 234,5", "1\u00a0234,5", "1\u2009234,5" → float; ValueError otherwise."""
    return parse_number(text.translate(SPACES))


def parse_year_values(text: str) -> list[PastedValue]:
    problems: list[str] = []
    rows: list[PastedValue] = []
    seen: dict[int, int] = {}
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise PasteError([f"Klistra in högst {MAX_LINES} rader åt gången."])
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if len(cells) == 1:
            # A single space-separated pair also works ("2021 1234,5"), if unambiguous.
            head, _, rest = raw.strip().partition(" ")
            cells = [head, rest.strip()] if rest.strip() else [head]
        if len(cells) < 2:
            problems.append(f"Rad {number}: ange år och värde åtskilda av tabb, t.ex. 2021⇥1 234,5.")
            continue
        year_text, value_text = cells[0], cells[1]
        vintage_text = cells[2].lower() if len(cells) > 2 else ""
        line_problems = []
        year = None
        if not (year_text.isdigit() and len(year_text) == 4):
            line_problems.append(f"Rad {number}, kolumn 1: ”{year_text}” är inget årtal.")
        else:
            year = int(year_text)
            if year in seen:
                line_problems.append(f"Rad {number}, kolumn 1: året {year} finns redan på rad {seen[year]}.")
        try:
            value = swedish_number(value_text)
        except ValueError:
            line_problems.append(f"Rad {number}, kolumn 2: ”{value_text}” är inget tal.")
            value = 0.0
        if vintage_text not in VINTAGES:
            line_problems.append(
                f"Rad {number}, kolumn 3: skriv preliminär eller slutlig, inte ”{cells[2]}”."
            )
        if line_problems:
            problems.extend(line_problems)
            continue
        assert year is not None
        seen[year] = number
        rows.append(PastedValue(number, year, value, VINTAGES[vintage_text]))
    if problems:
        raise PasteError(problems)
    if not rows:
        raise PasteError(["Det finns inga rader att läsa in."])
    return rows
