"""What a target means, read from the goal's Swedish wording: which years, and which rule.

A goal's target value alone does not say how it is to be judged. "Minst 450 tillsyner per år
2023–2026" is missed if one year of the four falls short; "i genomsnitt minst 450 per år" is not;
"minska med en tredjedel till 2030 jämfört med 2021–2023" is a change against the baseline. This
module reads that from the text (an editor can always override it) and says why, in Swedish.

It also tells an outcome that chance drives (accidents, fires, injuries, deaths: judged with exact
tests) from the organisation's own output counted exactly (inspections, home visits, people
trained: compared directly with the target).

Pure Python: no Django, so the rules can be tested on plain strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVEL = "level"
EVERY_YEAR = "every_year"
MEAN = "mean"
TOTAL = "total"
RELATIVE_CHANGE = "relative_change"
ABSOLUTE_CHANGE = "absolute_change"
TARGET_KINDS: dict[str, str] = {
    LEVEL: "Nivå målåret",
    EVERY_YEAR: "Varje år i perioden",
    MEAN: "Medelvärde över perioden",
    TOTAL: "Summa över perioden",
    RELATIVE_CHANGE: "Förändring mot utgångsläget (relativ)",
    ABSOLUTE_CHANGE: "Förändring mot utgångsläget (absolut)",
}
WINDOW_KINDS = frozenset({EVERY_YEAR, MEAN, TOTAL})

OUTCOME = "utfall"
OUTPUT = "prestation"
INDICATOR_KINDS: dict[str, str] = {
    OUTCOME: "Utfall (olyckor, skador, bränder: slumpen spelar in)",
    OUTPUT: "Prestation (egna insatser, räknade exakt)",
}

_YEAR = r"(?:19|20)\d{2}"
_RANGE = re.compile(rf"({_YEAR})\s*(?:[–—-]|till(?: och med)?)\s*({_YEAR})")
_SINGLE = re.compile(rf"\b({_YEAR})\b")
# The comparison clause names the baseline, not the target: "jämfört med i genomsnitt 380 per år
# 2016–2019", "(medel 2021–2023)", "från 60 per år". It runs to the end of the sentence.
_COMPARISON = re.compile(
    r"(jämfört med|jämfört mot|i jämförelse med|i förhållande till|relativt|sedan|"
    r"från (?:nivån |värdet |utgångsläget )?\d|mot (?:basåret|basperioden|utgångsläget))[^.;]*",
    re.IGNORECASE,
)
_PAREN_BASE = re.compile(r"\([^)]*(?:medel|genomsnitt|basår|utgångsläge)[^)]*\)", re.IGNORECASE)

_RELATIVE = re.compile(
    r"(?:minska|öka|sänka|höja|reducera)[a-zåäö]*\s+(?:med\s+)?(?:minst\s+|högst\s+)?"
    r"(?:\d+(?:[,.]\d+)?\s*(?:%|procent\b)|hälften|en\s+(?:tredjedel|fjärdedel|femtedel)|"
    r"två\s+tredjedelar|tre\s+fjärdedelar)"
    r"|halver[a-zåäö]*|fördubbl[a-zåäö]*|tredubbl[a-zåäö]*",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    r"(?:minska|öka|sänka|höja|reducera)[a-zåäö]*\s+med\s+(?:minst\s+|högst\s+)?"
    r"(?:\d+(?:[,.]\d+)?\s*procentenheter|\d[\d\s]*(?:[,.]\d+)?(?!\s*(?:%|procent|\d)))",
    re.IGNORECASE,
)
_MEAN = re.compile(r"\b(?:i\s+genomsnitt|i\s+snitt|genomsnittlig[a-z]*|medelvärde[a-z]*|i\s+medel)\b", re.I)
_TOTAL = re.compile(
    r"\b(?:totalt|sammanlagt|sammantaget|tillsammans|under\s+(?:hela\s+)?perioden\s+sammanlagt)\b", re.I
)
_EVERY = re.compile(
    r"\b(?:varje\s+(?:enskilt\s+)?år|per\s+år|årligen|vart\s+år|alla\s+år|samtliga\s+år|om\s+året|"
    r"varje\s+år\s+under)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TargetReading:
    """The target kind and its years, with a Swedish explanation of why."""

    kind: str
    window_start: int | None
    window_end: int | None
    explanation: str


@dataclass(frozen=True)
class KindReading:
    kind: str  # OUTCOME | OUTPUT
    explanation: str


def _target_part(text: str) -> str:
    """The goal text without its comparison clause, which names the baseline's years and words."""
    return _COMPARISON.sub(" ", _PAREN_BASE.sub(" ", text))


def _quote(match: re.Match[str]) -> str:
    return "”" + " ".join(match.group(0).split()) + "”"


def window_label(start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return ""
    return str(end) if start == end else f"{start}–{end}"


def infer_target(
    text: str,
    *,
    target_year: int | None = None,
    period: tuple[int, int] | None = None,
    direction: str | None = None,
) -> TargetReading:
    """Read the target kind and window from a goal text (Swedish).

    ``target_year`` is the indicator's target year; ``period`` the programme's years, used as the
    window when the text says "varje år" without naming the years. ``direction`` (lower/higher is
    better) keeps a goal's change from being read into a second indicator that moves the other
    way ("bränderna ska minska med 20 %" says nothing about a share of smoke alarms that should rise).
    """
    part = _target_part(text or "")
    ranges = [(int(a), int(b)) for a, b in _RANGE.findall(part) if int(a) <= int(b)]
    window = ranges[-1] if ranges else None
    if target_year is None:
        if window is not None:
            target_year = window[1]
        else:
            singles = [int(y) for y in _SINGLE.findall(part)]
            target_year = max(singles) if singles else None

    relative, absolute = _RELATIVE.search(part), _ABSOLUTE.search(part)
    if direction is not None:
        relative = relative if relative is None or _same_way(relative.group(0), direction) else None
        absolute = absolute if absolute is None or _same_way(absolute.group(0), direction) else None
    if absolute is not None and (relative is None or "procentenhet" in absolute.group(0).lower()):
        return TargetReading(
            ABSOLUTE_CHANGE,
            target_year,
            target_year,
            f"Målet är en förändring med ett visst antal enheter mot utgångsläget ({_quote(absolute)}), "
            f"och bedöms på nivån {target_year or 'målåret'}.",
        )
    if relative is not None:
        return TargetReading(
            RELATIVE_CHANGE,
            target_year,
            target_year,
            f"Målet är en relativ förändring mot utgångsläget ({_quote(relative)}), och bedöms på "
            f"nivån {target_year or 'målåret'} jämförd med utgångsläget.",
        )
    if window is None and period is not None and target_year is not None:
        window = (min(period[0], target_year), target_year)
    for pattern, kind, what in (
        (_MEAN, MEAN, "medelvärdet för {label}"),
        (_TOTAL, TOTAL, "summan för {label}"),
        (_EVERY, EVERY_YEAR, "varje år {label} för sig"),
    ):
        found = pattern.search(part)
        if found is not None and window is not None:
            what = what.format(label=window_label(*window))
            return TargetReading(
                kind, window[0], window[1], f"Målet gäller {what} ({_quote(found).lower()} i måltexten)."
            )
    year_text = str(target_year) if target_year is not None else "målåret"
    return TargetReading(
        LEVEL,
        target_year,
        target_year,
        f"Målet gäller nivån {year_text}: måltexten anger varken varje år, medelvärde, summa eller "
        "förändring mot utgångsläget.",
    )


_DOWN = re.compile(r"minska|sänka|reducera|halver", re.IGNORECASE)


def _same_way(phrase: str, direction: str) -> bool:
    """Does a change phrase move the way the indicator improves?"""
    down = _DOWN.search(phrase) is not None
    return down == (direction == "lower")


# Outcomes: things that happen to people and property, whose counts chance drives.
_OUTCOME_WORDS = re.compile(
    r"olyck|bränder\b|brand\b|bränd|brann|skadad|skador\b|döda\b|dödsfall|omkom|avlidn|drunkn|"
    r"tillbud|förgiftning|fallskad|insatser\s+(?:vid|till)\s+",
    re.IGNORECASE,
)
# Own output: what the organisation itself does and counts exactly.
_OUTPUT_WORDS = re.compile(
    r"tillsyner\b|tillsyn\b|tillsynsbesök|hembesök|utbildad|utbildning|utbildas|övning|rådgivning|"
    r"informationsinsats|kontroller|inom\s+(?:föreskriven\s+)?frist|\bi\s+tid\b|genomförd|"
    r"bemann|anspänning|besök\b|utskick|remissvar|yttranden",
    re.IGNORECASE,
)


def infer_indicator_kind(
    name: str, unit: str = "", goal_text: str = "", *, performance_goal: bool
) -> KindReading:
    """Outcome (utfall) or own output (prestation), from the indicator's name, unit and goal."""
    for where, text in (("indikatorns namn", f"{name} {unit}"), ("måltexten", _target_part(goal_text))):
        outcome, output = _OUTCOME_WORDS.search(text), _OUTPUT_WORDS.search(text)
        if outcome is not None and (output is None or outcome.start() < output.start()):
            return KindReading(
                OUTCOME,
                f"Utfall: {where} talar om {_quote(outcome)}, något som slumpen påverkar; "
                "förändringen prövas statistiskt.",
            )
        if output is not None:
            return KindReading(
                OUTPUT,
                f"Prestation: {where} talar om {_quote(output)}, organisationens egna insatser som "
                "räknas exakt; värdet jämförs direkt med målvärdet.",
            )
    if performance_goal:
        return KindReading(
            OUTPUT,
            "Prestation: indikatorn hör till ett prestationsmål och räknar organisationens egna insatser.",
        )
    return KindReading(OUTCOME, "Utfall: indikatorn hör till ett säkerhetsmål och mäter ett utfall.")
