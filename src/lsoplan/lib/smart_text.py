"""Reading a Swedish goal text: numbers, units, comparison periods, deadlines and vague wording.

This module only finds things; `lsoplan.lib.smart` judges them. It is a set of patterns aimed at the
phrasings planners actually write ("minska med 20 % till 2030 jämfört med medelvärdet för
2016–2019"), not a parser of Swedish, and it keeps what it found so that the verdict can quote it.
The word lists live in ``reference/data/smart_lexicon.yaml`` (with source, retrieved and version, like
the other reference files); the grammar of years and numbers stays here because it is code, not
vocabulary.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import yaml

from lsoplan.lib import smart_words
from lsoplan.lib.smart_words import mask as _mask
from lsoplan.lib.smart_words import unmask as _unmask
from lsoplan.reference import DATA, Meta

Change = Literal["level", "decrease", "increase", "change"]
Bound = Literal["min", "max"]

NBSP = "\u00a0"


class LexiconError(ValueError):
    """The word-list file is missing a key or has the wrong shape."""


# --- the word lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    meta: Meta  # source, retrieved, version: shown next to a verdict that depends on the lists
    vague_verbs: tuple[Term, ...]
    vague_terms: tuple[Term, ...]
    lower_words: re.Pattern[str]
    higher_words: re.Pattern[str]
    unspecified_words: re.Pattern[str]
    relative_words: tuple[tuple[re.Pattern[str], float], ...]
    units: tuple[tuple[str, re.Pattern[str]], ...]
    quantity_prefixes: tuple[str, ...]
    quantity_suffixes: tuple[str, ...]
    output_stems: tuple[str, ...]
    outcome_stems: tuple[str, ...]
    per_year: re.Pattern[str]


def _alternation(forms: Iterable[str]) -> str:
    # Longest first, so that "säker och trygg" wins over "säker" at the same position.
    ordered = sorted({f.strip().lower() for f in forms if f.strip()}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


def _phrase_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alternation(forms)})(?!\w)")


def _strings(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"smart_lexicon: {key!r} must be a non-empty list of strings")
    return tuple(value)


def _mapping(value: object, key: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise LexiconError(f"smart_lexicon: {key!r} must be a mapping")
    return value


def _entries(root: dict[str, object], key: str) -> list[dict[str, object]]:
    value = root.get(key)
    if not isinstance(value, list) or not value:
        raise LexiconError(f"smart_lexicon: {key!r} must be a non-empty list")
    return [_mapping(entry, f"{key}[{i}]") for i, entry in enumerate(value)]


def parse_lexicon(data: object) -> Lexicon:
    """Build the compiled lexicon from the YAML structure; a malformed file fails naming its key."""
    root = _mapping(data, "top level")
    missing = [key for key in ("source", "retrieved", "version") if not str(root.get(key) or "").strip()]
    if missing:
        raise LexiconError(f"smart_lexicon: {', '.join(missing)} required")
    change = _mapping(root.get("change_words"), "change_words")
    relative = []
    for i, entry in enumerate(_entries(root, "relative_words")):
        percent = entry.get("percent")
        if not isinstance(percent, int | float) or isinstance(percent, bool):
            raise LexiconError(f"smart_lexicon: 'relative_words[{i}].percent' must be a number")
        relative.append(
            (_phrase_pattern(_strings(entry.get("forms"), "relative_words.forms")), float(percent))
        )
    units = tuple(
        (name, re.compile(rf"\s*(?:{_alternation(_strings(forms, f'units.{name}'))})(?!\w)"))
        for name, forms in _mapping(root.get("units"), "units").items()
    )

    def terms(key: str) -> tuple[Term, ...]:
        return tuple(
            Term(str(e.get("term")), _phrase_pattern(_strings(e.get("forms"), f"{key}.forms")))
            for e in _entries(root, key)
        )

    def strings(key: str, within: dict[str, object] = root) -> tuple[str, ...]:
        return _strings(within.get(key), key)

    return Lexicon(
        meta=Meta.from_dict(root),
        vague_verbs=terms("vague_verbs"),
        vague_terms=terms("vague_terms"),
        lower_words=_phrase_pattern(strings("lower", change)),
        higher_words=_phrase_pattern(strings("higher", change)),
        unspecified_words=_phrase_pattern(strings("unspecified", change)),
        relative_words=tuple(relative),
        units=units,
        quantity_prefixes=strings("quantity_prefixes"),
        quantity_suffixes=strings("quantity_suffixes"),
        output_stems=strings("output_stems"),
        outcome_stems=strings("outcome_stems"),
        per_year=_phrase_pattern(strings("per_year")),
    )


@functools.cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    return parse_lexicon(yaml.safe_load((DATA / "smart_lexicon.yaml").read_text(encoding="utf-8")))


# --- what the analysis returns --------------------------------------------------------------


@dataclass(frozen=True)
class YearSpan:
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(self.end) if self.start == self.end else f"{self.start}–{self.end}"


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    change: Change  # "level": a value to reach or hold; otherwise a change relative to a baseline
    bound: Bound | None = None  # "minst" / "högst"


@dataclass(frozen=True)
class TextAnalysis:
    text: str  # normalised
    quantities: tuple[Quantity, ...]
    stated_baseline: float | None  # the X in "från X till Y"
    units: tuple[str, ...]
    comparison_periods: tuple[YearSpan, ...]
    deadlines: tuple[YearSpan, ...]  # the end year is the deadline
    loose_years: tuple[int, ...]  # years with no cue around them
    vague_verbs: tuple[str, ...]
    vague_terms: tuple[str, ...]
    change_words: tuple[str, ...]
    direction: Literal["lower", "higher"] | None
    quantity_words: tuple[str, ...]
    output_words: tuple[str, ...]
    outcome_words: tuple[str, ...]
    per_year: bool
    # Qualities with no agreed level ("god", "så snabbt som möjligt"): see lsoplan.lib.smart_words.
    soft_terms: tuple[str, ...] = ()

    @property
    def states_change(self) -> bool:
        return bool(self.change_words) or any(q.change != "level" for q in self.quantities)

    @property
    def has_object(self) -> bool:
        return bool(self.quantity_words or self.output_words or self.outcome_words)


# --- years, periods and deadlines -----------------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_YEAR_TOKEN = re.compile(
    rf"(?<![\d.,])(?:"
    rf"(?P<iso>{_YEAR})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf"|(?:(?:den\s+)?[0-3]?\d(?::[ae])?\s+)?(?:{_MONTHS})\s+(?P<long>{_YEAR})"
    rf"|mellan\s+(?:åren\s+)?(?P<btw_a>{_YEAR})\s+och\s+(?P<btw_b>{_YEAR})"
    rf"|(?P<rng_a>{_YEAR})\s*(?:-|/|till\s+och\s+med|t\.o\.m\.?)\s*(?P<rng_b>{_YEAR}|\d\d)"
    rf"|(?P<single>{_YEAR})"
    rf")(?!\d|[.,]\d)"
)
# "jämfört med", "än" … may be followed by words such as "medelvärdet för åren" before the year.
_BASE_CUE = re.compile(
    r"(?:^|\s)(?:jämfört\s+med|jämfört\s+mot|i\s+jämförelse\s+med|i\s+förhållande\s+till|relativt|"
    r"räknat\s+från|än|sedan|basår(?:et)?|referensår(?:et)?|referensperiod(?:en)?|utgångsår(?:et)?)$"
)
_AVERAGE_WORDS = frozenset(
    {"medelvärdet", "medelvärde", "medel", "snitt", "genomsnittet", "genomsnitt", "snittet", "medianen",
     "nivån", "nivåerna", "utfallet", "värdet", "läget", "utgångsläget", "utgångsvärdet"}
)  # fmt: skip
_FILLERS = _AVERAGE_WORDS | {
    "det", "den", "de", "för", "under", "av", "i", "från", "år", "året", "åren", "perioden", "period",
    "senaste", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "kalenderåret", "kalenderåren",
    "vad", "som", "gällde", "var", "uppmättes",
}  # fmt: skip
_YEAR_WORDS = frozenset({"år", "året", "åren", "perioden", "kalenderåret", "kalenderåren"})
_LIGHT_FILLERS = _YEAR_WORDS | {"den"}
_DEADLINE_CUE = re.compile(
    r"(?:^|\s)(senast|till\s+och\s+med|t\.o\.m\.?|fram\s+till|(?:vid|till|före|innan|i)\s+"
    r"(?:utgången|slutet)\s+av|till|före|innan|inom|under|inför)$"
)
_STRONG_BASE_CUE = re.compile(
    r"(?:jämfört\s+med|jämfört\s+mot|i\s+jämförelse\s+med|i\s+förhållande\s+till)(?:\s+\S+){0,6}\s*$"
)
_BASE_AFTER = re.compile(r"\s*(?:års\b|som\s+(?:bas|referens|utgångs|jämförelse)år)")
_NUMBER_BEFORE = re.compile(r"(?:^|\s)(?:minst|högst|max|maximalt|åtminstone|cirka|ca)\s*$")

YearRole = Literal["baseline", "deadline", "start", "loose"]


def _classify_year(before: str, after: str) -> tuple[YearRole, int]:
    """Decide what a year is doing in the sentence; the int shifts the year ("före 2030")."""
    if _BASE_AFTER.match(after):
        return "baseline", 0
    words = before.replace("(", " ").split()  # "(medel 2021–2023)" reads like "medel 2021–2023"
    rest, passed_average = list(words), False
    while True:
        if _BASE_CUE.search(" ".join(rest)):
            return "baseline", 0
        if rest and rest[-1] in _FILLERS:
            passed_average |= rest[-1] in _AVERAGE_WORDS
            rest.pop()
            continue
        break
    if passed_average:  # "medelvärdet för 2016–2019" names a reference even without "jämfört med"
        return "baseline", 0
    rest, year_word = list(words), False
    while rest and rest[-1] in _LIGHT_FILLERS:
        year_word |= rest[-1] in _YEAR_WORDS
        rest.pop()
    cue = _DEADLINE_CUE.search(" ".join(rest))
    if cue:
        # "före 2030" means by the end of 2029; "före utgången av 2030" means 2030 itself.
        return "deadline", -1 if cue.group(1) in ("före", "innan") else 0
    if _STRONG_BASE_CUE.search(before):  # "jämfört med i genomsnitt 380 per år 2016–2019"
        return "baseline", 0
    if rest and rest[-1] == "från":
        return "start", 0
    if year_word:  # "år 2030", "per år 2027–2030"
        return "deadline", 0
    return "loose", 0


def _looks_like_count(before: str, after: str, lex: Lexicon) -> bool:
    # "minst 2000 tillsyner" is a number, not a year.
    if _NUMBER_BEFORE.search(before):
        return True
    if any(p.match(after) for _, p in lex.units):
        return True
    word = re.match(r"\s*(\w+)", after)
    return bool(word and _stem_class(word.group(1), lex) is not None)


def _find_years(text: str, lex: Lexicon) -> tuple[list[tuple[YearRole, YearSpan]], list[tuple[int, int]]]:
    found: list[tuple[YearRole, YearSpan]] = []
    spans: list[tuple[int, int]] = []
    previous_end = 0
    for m in _YEAR_TOKEN.finditer(text):
        before = text[max(previous_end, m.start() - 60) : m.start()]
        after = text[m.end() : m.end() + 30]
        g = m.groupdict()
        if g["single"] and _looks_like_count(before, after, lex):
            continue
        if g["iso"] or g["long"]:
            year = int(g["iso"] or g["long"])
            span = YearSpan(year, year)
        elif g["btw_a"]:
            a, b = sorted((int(g["btw_a"]), int(g["btw_b"])))
            span = YearSpan(a, b)
        elif g["rng_a"]:  # "2027-12" is a month, not a range: keep the year
            span = _year_span(g["rng_a"], g["rng_b"]) or YearSpan(int(g["rng_a"]), int(g["rng_a"]))
        else:
            year = int(g["single"])
            span = YearSpan(year, year)
        role, shift = _classify_year(before, after)
        if role == "loose" and (g["iso"] or g["long"] or g["btw_a"] or g["rng_a"]):
            role = "deadline"  # a full date or a period with no cue is when the goal applies
        if shift:
            span = YearSpan(span.start + shift, span.end + shift)
        found.append((role, span))
        spans.append((m.start(), m.end()))
        previous_end = m.end()
    return found, spans


# --- numbers and units ----------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,-])(?P<neg>-\s?)?(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:[,.](?P<frac>\d+))?(?!\w|[.,]\d)"
)
_PER_BASE = re.compile(
    r"per\s+(?:(?P<n>\d{1,3}(?: \d{3})+|\d+)\s+)?"
    r"(?P<what>invånare|kommuninvånare|inv\.?|hushåll|bostäder|lägenheter|byggnader|objekt|capita)(?!\w)"
)
_MIN_PHRASES = "minst|åtminstone|minimum|lägst|mer än|fler än|över|inte färre än|inte mindre än|inte under"
_MAX_PHRASES = (
    "högst|maximalt|max|maximum|mindre än|färre än|kortare än|lägre än|under|understiga|understiger|"
    "inom|upp till|inte mer än|inte fler än|inte över|inte överstiga|inte överstiger"
)
# Longest first, so that "inte mer än" (a maximum) is not read as "mer än" (a minimum).
_BOUND_PHRASES: dict[str, Bound] = dict(
    sorted(
        [(p, "min") for p in _MIN_PHRASES.split("|")] + [(p, "max") for p in _MAX_PHRASES.split("|")],
        key=lambda pair: -len(pair[0]),
    )
)
_BOUND_BEFORE = re.compile(rf"(?:^|(?<=\s))(?P<p>{'|'.join(map(re.escape, _BOUND_PHRASES))})\s*$")
_CHANGE_BEFORE = re.compile(
    r"(?:^|\s)(?<!arbeta )(?<!arbetar )(?<!jobba )(?<!jobbar )"  # "arbeta med 500 hembesök": work
    r"med(?:\s+(?:minst|cirka|ca|drygt|knappt|omkring|ungefär|högst))?\s*$"
)
_FROM_BEFORE = re.compile(r"(?:^|\s)från\s*$")
# "från 60 per år (medel 2021–2023) till högst 45": the rate and a bracket may stand between.
_TO_AFTER = re.compile(
    r"(?:\s*(?:per\s+år|om\s+året|årligen|i\s+genomsnitt|i\s+snitt))?(?:\s*\([^)]*\))?"
    r"\s*till\s+(?:(?:högst|minst|max|maximalt|cirka|ca|under|över)\s+)?\d"
)
_CHANGE_AFTER = re.compile(
    r"\s*(?:(?P<dec>färre|lägre|mindre|kortare)|(?P<inc>fler|högre|större|längre|mer))(?!\w)"
)
_COUNT_WORD = re.compile(r"\s*([a-zåäöéü]{3,})")
_FUNCTION_WORDS = frozenset(
    {"och", "eller", "till", "med", "av", "på", "för", "per", "under", "senast", "år", "året", "åren",
     "jämfört", "ska", "skall", "som", "än", "från", "vid", "inom", "mot", "efter", "innan", "före",
     "om", "den", "det", "de", "en", "ett", "års", "alla", "samtliga", "fall", "gånger"}
)  # fmt: skip
_ZERO = re.compile(r"(?<!\w)noll(?!\w)")
# "Ingen ska omkomma i bränder": the vision-zero phrasing names a count of zero.
_NOBODY = re.compile(r"(?<!\w)(?:ingen|inga)(?=(?:\s+[^\W\d_]+){0,2}\s+ska\b)")
_BASELINE_BEFORE = re.compile(
    r"(?:jämfört\s+med|jämfört\s+mot|i\s+jämförelse\s+med|i\s+förhållande\s+till)"
    r"(?:\s+(?:i\s+genomsnitt|i\s+snitt|genomsnittet|medelvärdet|cirka|ca|drygt|knappt))?\s*$"
)
_SHARE_OF = re.compile(r"%\s+av\s+(?:(?:alla|samtliga|de|årets)\s+)?([^\W\d_]{3,})")


def _to_float(m: re.Match[str]) -> float:
    whole = m.group("int").replace(" ", "")
    value = float(f"{whole}.{m.group('frac')}" if m.group("frac") else whole)
    return -value if m.group("neg") else value  # a run of 400 digits gives inf: dropped by the caller


def _unit_after(after: str, lex: Lexicon) -> tuple[str | None, int]:
    for name, pattern in lex.units:
        m = pattern.match(after)
        if m:
            return name, m.end()
    word = _COUNT_WORD.match(after)
    if word and word.group(1) not in _FUNCTION_WORDS:
        return f"antal {word.group(1)}", word.end()
    return None, 0


def _find_quantities(masked: str, lex: Lexicon) -> tuple[list[Quantity], float | None]:
    quantities: list[Quantity] = []
    stated_baseline: float | None = None
    matches: list[tuple[int, int, float, str | None]] = [
        (m.start(), m.end(), _to_float(m), None) for m in _NUMBER.finditer(masked)
    ]
    matches += [(*m.span(), 0.0, None) for m in _ZERO.finditer(masked)]
    matches += [(*m.span(), 0.0, "antal") for m in _NOBODY.finditer(masked)]
    for start, end, value, fixed_unit in sorted(matches):
        if not math.isfinite(value):
            continue
        before = masked[max(0, start - 30) : start]
        unit, used = (fixed_unit, 0) if fixed_unit else _unit_after(masked[end : end + 40], lex)
        after_unit = masked[end + used : end + used + 30]
        to_follows = _TO_AFTER.match(masked[end + used : end + used + 90])
        if (_FROM_BEFORE.search(before) and to_follows) or _BASELINE_BEFORE.search(before):
            stated_baseline = value  # "från 120 till 100", "jämfört med i genomsnitt 380": the start
            continue
        change: Change = "level"
        after_change = _CHANGE_AFTER.match(after_unit)
        if value < 0:
            change, value = "decrease", -value
        elif after_change and unit is not None:
            change = "decrease" if after_change.group("dec") else "increase"
        elif _CHANGE_BEFORE.search(before):
            change = "change"
        bound_m = _BOUND_BEFORE.search(before) if change == "level" else None
        bound = _BOUND_PHRASES[bound_m.group("p")] if bound_m else None
        quantities.append(Quantity(value, unit, change, bound))
    return quantities, stated_baseline


# --- words ----------------------------------------------------------------------------------


def _stem_class(word: str, lex: Lexicon) -> str | None:
    if any(stem in word for stem in (*lex.output_stems, *smart_words.EXTRA_OUTPUT_STEMS)):
        return "output"
    if any(stem in word for stem in lex.outcome_stems):
        return "outcome"
    if word.startswith(lex.quantity_prefixes) or (len(word) > 3 and word.endswith(lex.quantity_suffixes)):
        return "quantity"
    return None


def _implied_unit(word: str) -> str | None:
    # "antalet bränder" is a count and "andelen hushåll" a share even when no number follows.
    for prefix in ("antal", "andel"):
        if word.startswith(prefix):
            return prefix
    if word.endswith(("poäng", "poängen")):
        return "poäng"
    if word.endswith(("kostnad", "kostnaden", "kostnader")):
        return "kronor"
    return None


def _direction(
    lower: bool, higher: bool, quantities: Iterable[Quantity]
) -> Literal["lower", "higher"] | None:
    """Which way the wording says the value should go; None when it says both or nothing."""
    quantities = list(quantities)
    decreases = lower or any(q.change == "decrease" for q in quantities)
    increases = higher or any(q.change == "increase" for q in quantities)
    if decreases != increases:
        return "lower" if decreases else "higher"
    if not decreases:
        bounds = {q.bound for q in quantities if q.bound}
        if len(bounds) == 1:  # "högst 10 minuter": lower is better
            return "higher" if bounds == {"min"} else "lower"
    return None


def _take_terms(text: str, terms: Iterable[Term]) -> tuple[list[str], str]:
    found: list[str] = []
    for term in terms:
        hits = list(term.pattern.finditer(text))
        if hits:
            found.append(term.name)
            text = _mask(text, (m.span() for m in hits))
    return found, text


_DASHES = str.maketrans("–—−‒‐‑", "------")  # en/em dash, minus sign and friends all mean "-" here


def normalise(text: str) -> str:
    """Lower case, one kind of space and one kind of dash: what every pattern here expects."""
    text = text.translate(_DASHES)
    return re.sub(r"\s+", " ", text.lower()).strip()


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def analyse(text: str, *, lexicon: Lexicon | None = None) -> TextAnalysis:
    """Find what a goal text says about numbers, units, periods, deadlines and vague wording."""
    lex = lexicon or load_lexicon()
    norm = normalise(text)
    vague_verbs, rest = _take_terms(norm, lex.vague_verbs)
    for name, pattern in smart_words.VERB_PATTERNS:
        hits = [m.span() for m in pattern.finditer(rest)]
        if hits:
            vague_verbs.append(name)
            rest = _mask(rest, hits)
    # Established indicator names ("fungerande brandvarnare") hide their term from the vague list.
    defined = [m.span() for m in smart_words.DEFINED_PATTERN.finditer(rest)]
    vague_terms, without_terms = _take_terms(_mask(rest, defined), lex.vague_terms)
    rest = _unmask(without_terms, rest, defined)
    soft_terms = [name for name, pattern in smart_words.SOFT_PATTERNS if pattern.search(rest)]

    years, year_spans = _find_years(norm, lex)
    per_base = list(_PER_BASE.finditer(norm))
    units = [f"per {m.group('n') + ' ' if m.group('n') else ''}{m.group('what')}" for m in per_base]
    masked = _mask(norm, [*year_spans, *(m.span() for m in per_base)])
    quantities, stated_baseline = _find_quantities(masked, lex)
    # Fraction words are numbers whose sign comes from the verb ("minska med en tredjedel").
    fractions = list(smart_words.FRACTION_PATTERN.finditer(rest))
    for m in fractions:
        quantities.append(Quantity(smart_words.fraction_percent(m.group("f")), "%", "change"))
    rest = _mask(rest, (m.span() for m in fractions))
    for pattern, percent in lex.relative_words:
        for _ in pattern.finditer(rest):
            quantities.append(Quantity(abs(percent), "%", "decrease" if percent < 0 else "increase"))

    # Comparatives followed by a number ("färre än 10") are limits, not changes.
    words_text = re.sub(r"(?<!\w)(färre|lägre|fler|högre|kortare|större)\s+än(?=\s+\d)", " ", rest)
    lower = [m.group(0) for m in lex.lower_words.finditer(words_text)]
    higher = [m.group(0) for m in lex.higher_words.finditer(words_text)]
    other = [m.group(0) for m in lex.unspecified_words.finditer(words_text)]
    direction = _direction(bool(lower), bool(higher), quantities)
    if direction is not None:
        sign: Change = "decrease" if direction == "lower" else "increase"
        quantities = [
            Quantity(q.value, q.unit, sign, q.bound) if q.change == "change" else q for q in quantities
        ]
    units += [q.unit for q in quantities if q.unit]

    word_classes: dict[str, list[str]] = {"quantity": [], "output": [], "outcome": []}
    for word in re.findall(r"[^\W\d_]+", rest):
        kind = _stem_class(word, lex)
        if kind:
            word_classes[kind].append(word)
        implied = _implied_unit(word)
        if implied:
            units.append(implied)
    # What a number counts is the object of the goal too: "400 besiktningar", "97 % av årets timmar".
    counted = [q.unit.removeprefix("antal ") for q in quantities if q.unit and q.unit.startswith("antal ")]
    word_classes["quantity"] += [
        w for w in (*counted, *_SHARE_OF.findall(masked)) if _stem_class(w, lex) is None
    ]

    comparison = [s for role, s in years if role == "baseline"]
    deadlines = [s for role, s in years if role == "deadline"]
    starts = [s for role, s in years if role == "start"]
    states_change = bool(lower or higher or other) or any(q.change != "level" for q in quantities)
    loose = sorted(s.end for role, s in years if role == "loose")
    if states_change and not comparison and starts:
        comparison, starts = starts, []  # "minska från 2019 till 2030": 2019 is the reference year
    elif stated_baseline is not None and not comparison and len(loose) >= 2:
        comparison = [YearSpan(loose[0], loose[0])]  # "från 14 minuter 2023 till 12 minuter 2027"
        loose = loose[1:]
    return TextAnalysis(
        text=norm,
        quantities=tuple(quantities),
        stated_baseline=stated_baseline,
        units=_dedupe(units),
        comparison_periods=tuple(comparison),
        deadlines=tuple(deadlines),
        loose_years=tuple(sorted([*loose, *(s.end for s in starts)])),
        vague_verbs=tuple(vague_verbs),
        vague_terms=tuple(vague_terms),
        change_words=_dedupe([*lower, *higher, *other]),
        direction=direction,
        quantity_words=_dedupe(word_classes["quantity"]),
        output_words=_dedupe(word_classes["output"]),
        outcome_words=_dedupe(word_classes["outcome"]),
        per_year=bool(lex.per_year.search(norm)),
        soft_terms=tuple(soft_terms),
    )


_PERIOD = re.compile(
    rf"(?:(?:år|åren|perioden|medelvärdet|genomsnittet|för)\s+)*(?P<a>{_YEAR})"
    rf"(?:\s*(?:-|/|till\s+och\s+med|t\.o\.m\.?|till)\s*(?P<b>{_YEAR}|\d\d))?"
)


def parse_period(value: str) -> YearSpan | None:
    """Read "2019", "2016–2019", "2016-19" or "åren 2016 till 2019"; None if it is not a period."""
    m = _PERIOD.fullmatch(normalise(value))
    return _year_span(m.group("a"), m.group("b") or m.group("a")) if m else None


def _year_span(first: str, last: str) -> YearSpan | None:
    """ "2016", "19" -> 2016–2019 (the short form planners write); None if the end comes first."""
    a = int(first)
    b = a // 100 * 100 + int(last) if len(last) == 2 else int(last)
    return YearSpan(a, b) if b >= a else None


# --- Swedish number formatting --------------------------------------------------------------


def format_number(value: float, decimals: int = 1) -> str:
    """1234.5 -> "1 234,5" (no-break space, decimal comma), as Swedish readers expect."""
    if not math.isfinite(value):
        return "–"
    rounded = round(value, decimals)
    whole = rounded == int(rounded)
    text = f"{int(rounded):,}" if whole else f"{rounded:,.{decimals}f}".rstrip("0")
    return text.replace(",", NBSP).replace(".", ",")


def format_percent(fraction: float, decimals: int = 0) -> str:
    """0.291 -> "29 %"."""
    return f"{format_number(abs(fraction) * 100, decimals)}{NBSP}%"
