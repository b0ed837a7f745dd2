"""Citizens' survey results (medborgarundersökning): reading the file and the margin of error.

The file has one row per question and answer option::

    fråga;svarsalternativ;andel;antal_svarande
    Hur trygg känner du dig i din bostad?;Mycket trygg;45,3;812

``andel`` is a share in percent ("45,3", "45,3 %") or as a fraction ("0,453"): a cell with a
percent sign is always percent; otherwise the whole file is read as percent if any share is above
1, else as fractions. ``antal_svarande`` is the number who answered the question (the base of the
share). Files come from Excel as often as from anything else, so `;` or `,` separated, UTF-8 (with
or without BOM) or Windows-1252. Every fault names its row (the header is row 1) and column, and a
file with any fault is refused whole.

The margin of error is the **Wilson score interval** for a proportion, chosen over the normal
approximation ("p ± 1,96·√(p(1−p)/n)") because it stays inside 0–100 % and keeps close to its
nominal level for small samples and shares near 0 or 100 %. It assumes a simple random sample:
weighting and design effects of a real survey make the true margin wider.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from statistics import NormalDist

from lsoplan.lib.control_chars import has_control_characters
from lsoplan.lib.stats.csvinput import decode, parse_number

COLUMNS: tuple[str, ...] = ("fråga", "svarsalternativ", "andel", "antal_svarande")
ALIASES: dict[str, tuple[str, ...]] = {
    "fråga": ("fråga", "fraga", "question"),
    "svarsalternativ": ("svarsalternativ", "svar", "alternativ", "answer", "option"),
    "andel": ("andel", "andel_procent", "procent", "share"),
    "antal_svarande": ("antal_svarande", "antal svarande", "svarande", "n", "respondents"),
}
MAX_PROBLEMS = 20

# More respondents than Sweden has inhabitants is a damaged file, whatever the number says.
MAX_RESPONDENTS = 11_000_000


class SurveyFileError(ValueError):
    """The file is refused; ``problems`` lists each fault with its row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            problems[0] if len(problems) == 1 else f"{problems[0]} (och {len(problems) - 1} fel till)"
        )


@dataclass(frozen=True)
class SurveyRow:
    line: int
    question: str
    option: str
    share: float  # 0–1
    respondents: int


@dataclass(frozen=True)
class ShareInterval:
    share: float
    n: int
    lower: float
    upper: float
    level: float
    method: str

    @property
    def margin(self) -> float:
        """Half the interval's width: the "± x procentenheter" a reader expects."""
        return (self.upper - self.lower) / 2


def wilson_interval(share: float, n: int, level: float = 0.95) -> ShareInterval:
    """Wilson score interval for an observed share of ``n`` answers."""
    if not 0 <= share <= 1:
        raise ValueError("andelen ska ligga mellan 0 och 1")
    if n < 1:
        raise ValueError("antalet svarande ska vara minst 1")
    if not 0 < level < 1:
        raise ValueError("konfidensnivån ska ligga mellan 0 och 1")
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    z2 = z * z
    denom = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denom
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denom
    # At 0 % and 100 % the bound equals the share exactly; rounding would leave a hair beside it.
    lower = 0.0 if share == 0 else max(0.0, centre - half)
    upper = 1.0 if share == 1 else min(1.0, centre + half)
    return ShareInterval(share, n, lower, upper, level, "Wilson")


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","


def _header(row: list[str], label: str) -> dict[str, int]:
    lookup = {alias: canon for canon, names in ALIASES.items() for alias in names}
    positions: dict[str, int] = {}
    for i, cell in enumerate(row):
        canon = lookup.get(cell.strip().lower())
        if canon is None:
            continue
        if canon in positions:
            raise SurveyFileError([f"{label} rad 1: kolumnen '{canon}' finns två gånger"])
        positions[canon] = i
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        raise SurveyFileError(
            [f"{label} rad 1: kolumnen '{missing[0]}' saknas (rubrikraden ska vara {';'.join(COLUMNS)})"]
        )
    return positions


def parse_survey(data: bytes, name: str = "filen") -> list[SurveyRow]:
    """Read a survey file; raises :class:`SurveyFileError` naming every faulty row and column."""
    try:
        text, _ = decode(data)
    except UnicodeDecodeError:
        raise SurveyFileError([f"{name}: okänd teckenkodning (spara som UTF-8)"]) from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise SurveyFileError([f"{name}: filen är tom"])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    positions: dict[str, int] | None = None
    raw: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if positions is None:
                positions = _header(row, name)
            else:
                raw.append((reader.line_num, row))
    except csv.Error as exc:
        raise SurveyFileError([f"{name} rad {reader.line_num}: felaktig CSV ({exc})"]) from None
    if positions is None or not raw:
        raise SurveyFileError([f"{name}: inga svarsrader efter rubrikraden"])

    problems: list[tuple[int, str]] = []
    cells: list[tuple[int, str, str, float, bool, int]] = []
    for line, row in raw:
        where = f"{name} rad {line}"

        def cell(column: str, row: list[str] = row, positions: dict[str, int] = positions) -> str:
            i = positions[column]
            return row[i].strip() if i < len(row) else ""

        question, option, share_text, n_text = (cell(c) for c in COLUMNS)
        ok = True
        for column, text in (("fråga", question), ("svarsalternativ", option)):
            if not text:
                problems.append((line, f"{where}, kolumn '{column}': värde saknas"))
                ok = False
            elif has_control_characters(text):
                problems.append(
                    (line, f"{where}, kolumn '{column}': innehåller styrtecken – filen är skadad")
                )
                ok = False
        percent = share_text.endswith("%")
        share = math.nan
        try:
            share = parse_number(share_text.rstrip("%").strip())
            if share < 0:
                problems.append((line, f"{where}, kolumn 'andel': {share_text!r} kan inte vara negativ"))
                ok = False
        except ValueError:
            problems.append(
                (
                    line,
                    f"{where}, kolumn 'andel': {share_text!r} är inte ett tal"
                    if share_text
                    else f"{where}, kolumn 'andel': värde saknas",
                )
            )
            ok = False
        n = 0
        try:
            n_value = parse_number(n_text)
            if n_value != math.floor(n_value) or not 1 <= n_value <= MAX_RESPONDENTS:
                raise ValueError
            n = int(n_value)
        except ValueError:
            problems.append(
                (
                    line,
                    f"{where}, kolumn 'antal_svarande': {n_text!r} "
                    "ska vara ett heltal från 1 till 11 miljoner",
                )
            )
            ok = False
        if ok:
            cells.append((line, question, option, share, percent, n))

    # Percent or fraction is decided for the whole file, so "1" means the same on every row.
    file_in_percent = any(share > 1 for _, _, _, share, percent, _ in cells if not percent)
    rows: list[SurveyRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, question, option, share, percent, n in cells:
        value = share / 100 if percent or file_in_percent else share
        if value > 1:
            problems.append((line, f"{name} rad {line}, kolumn 'andel': {share:g} % är mer än 100 %"))
            continue
        key = (question.casefold(), option.casefold())
        if key in seen:
            problems.append(
                (line, f"{name} rad {line}: frågan och svarsalternativet finns redan på rad {seen[key]}")
            )
            continue
        seen[key] = line
        rows.append(SurveyRow(line, question, option, value, n))
    if problems:
        # Sorted by row (stable, so a row's faults keep their column order) to read top to bottom.
        ordered = [message for _, message in sorted(problems, key=lambda p: p[0])]
        extra = len(ordered) - MAX_PROBLEMS
        shown = ordered[:MAX_PROBLEMS]
        if extra > 0:
            shown.append(f"… och {extra} fel till")
        raise SurveyFileError(shown)
    return rows
