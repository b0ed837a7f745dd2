"""Words the SMART reading needs beyond the packaged lexicon: number words, soft qualities, idioms.

`reference/data/smart_lexicon.yaml` holds the vocabulary planners may extend. What lives here is
closer to grammar, or was calibrated on the development part of the goal corpus in
`benchmarks/smart_corpus/` and is pinned by tests:

- fraction words ("en tredjedel", "hälften") are numbers, so they belong with the number grammar;
  their direction comes from the verb ("minska med en tredjedel", "öka med en fjärdedel");
- effort idioms the lexicon lacks ("jobba aktivt med", "fördjupa");
- soft qualities ("god", "snabbt", "förmåga", "så snabbt som möjligt"): ordinary words that only
  make a goal unspecific when nothing measurable is asked for;
- names of established indicators that contain a lexicon term ("fungerande brandvarnare" is one of
  MSB's indicators for the national fire strategy, MSB1362), which are therefore not vague.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Fractions written as words, in per cent of the baseline. Longest forms first in the pattern.
FRACTIONS: dict[str, float] = {
    "hälften": 50.0,
    "halva": 50.0,
    "en tredjedel": 100 / 3,
    "en tredjedels": 100 / 3,
    "två tredjedelar": 200 / 3,
    "en fjärdedel": 25.0,
    "en fjärdedels": 25.0,
    "tre fjärdedelar": 75.0,
    "en femtedel": 20.0,
    "en tiondel": 10.0,
}

# Effort verbs not in the packaged lexicon; matched like the lexicon's vague verbs.
EXTRA_VAGUE_VERBS: dict[str, tuple[str, ...]] = {
    "jobba aktivt med": ("jobba aktivt med", "jobbar aktivt med", "jobba aktivt för", "jobbar aktivt för"),
    "jobba för": ("jobba för", "jobbar för"),
    "jobba med": ("jobba med", "jobbar med"),
    "arbeta aktivt med": ("arbeta aktivt med", "arbetar aktivt med"),
    "arbeta med": ("arbeta med", "arbetar med", "arbeta vidare med"),
    "fördjupa": ("fördjupa", "fördjupar", "fördjupas"),
    "verka förebyggande": ("verka förebyggande", "verkar förebyggande"),
}

# Qualities with no agreed level. A fault only when the goal sets no measurable target; beside a
# number they are ordinary description ("minst 95 % av insatserna ska vara snabba …" is judged by
# its number). The lexicon's "god", "bra", "effektiv", "säker" and "trygg" are treated the same
# way by lsoplan.lib.smart (ORDINARY_TERMS).
SOFT_TERMS: dict[str, tuple[str, ...]] = {
    "så snabbt som möjligt": ("så snabbt som möjligt", "så snabbt det går", "så snart som möjligt"),
    "positiv effekt": ("positiv effekt", "positiva effekter", "positivt påverka"),
    "förmåga": (
        "förmåga",
        "förmågan",
        "förmågor",
        "förmågorna",
        "insatsförmåga",
        "insatsförmågan",
        "krisberedskapsförmåga",
    ),
    "snabb": ("snabb", "snabbt", "snabba"),
    "hög säkerhet": ("hög säkerhet", "hög trygghet", "god säkerhet"),
}

# Established indicator names that contain a lexicon term; masked before the vague terms are read.
DEFINED_PHRASES: tuple[str, ...] = (
    "fungerande brandvarnare",
    "fungerande brandvarnaren",
    "fungerande brandvarnarna",
)

# Nouns and verbs naming an output that the lexicon's stems miss (informing the public, planning).
EXTRA_OUTPUT_STEMS: tuple[str, ...] = ("informera", "planering", "planen", "insatsplan")


def alternation(forms: Iterable[str]) -> str:
    ordered = sorted({f.strip().lower() for f in forms if f.strip()}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


def phrase(forms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternation(forms)})(?!\w)")


FRACTION_PATTERN = re.compile(rf"(?<!\w)(?P<f>{alternation(FRACTIONS)})(?!\w)")
# "med hälften" in the lexicon is read as a decrease whatever the verb; the fraction reading here
# takes the sign from the verb, so the lexicon's phrase must not count a second time.
SOFT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, phrase(forms)) for name, forms in SOFT_TERMS.items()
)
VERB_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, phrase(forms)) for name, forms in EXTRA_VAGUE_VERBS.items()
)
DEFINED_PATTERN = phrase(DEFINED_PHRASES)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out the spans (same length, so positions stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def unmask(masked: str, original: str, spans: Iterable[tuple[int, int]]) -> str:
    """Put the original text back into the spans."""
    chars = list(masked)
    for start, end in spans:
        chars[start:end] = original[start:end]
    return "".join(chars)


def fraction_percent(word: str) -> float:
    return FRACTIONS[re.sub(r"\s+", " ", word)]
