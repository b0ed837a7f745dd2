"""SMART check of a goal in an LSO action programme, with its verdict in plain Swedish.

Each of the five criteria (specifikt, mätbart, accepterat, realistiskt, tidsatt) gets a status, the
reasons behind it and a suggested fix, so that a planner can see why a goal falls short and what to
write instead. The text is read by `lsoplan.lib.smart_text`; structured fields (indicator, baseline,
target, owner, history) take precedence over what the text says. MSB's advice on goal quality is the
yardstick: a goal that says "ska öka" without a reference period cannot be followed up.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from lsoplan.lib.smart_text import TextAnalysis, YearSpan, analyse, parse_period
from lsoplan.lib.smart_text import format_number as _num

# Re-exported: callers and tests used these from this module before the split.
from lsoplan.lib.smart_trend import EXTRA_CHANGE_PER_YEAR as EXTRA_CHANGE_PER_YEAR
from lsoplan.lib.smart_trend import (
    MIN_HISTORY,
    change_phrase,
    fit_trend,
    trend_phrase,
)
from lsoplan.lib.smart_trend import Trend as Trend
from lsoplan.lib.smart_trend import t975 as t975

Status = Literal["ok", "brist", "okant"]
KINDS = ("sakerhetsmal", "prestationsmal")
DIRECTIONS = ("lower", "higher")
CRITERIA = ("specifikt", "matbart", "accepterat", "realistiskt", "tidsatt")

# The form fields the help texts point at: labels of the goal form (Måltext, Ansvarig) and the
# indicator form (goals/forms.py). A test checks them against the models' verbose names.
FIELD_LABELS = {
    "text": "Måltext",
    "owner": "Ansvarig",
    "unit": "Enhet",
    "baseline_value": "Utgångsvärde",
    "baseline_start": "Utgångsperiod från",
    "baseline_end": "Utgångsperiod till",
    "target_value": "Målvärde",
    "target_year": "Målår",
}


def _field(name: str) -> str:
    return f"”{FIELD_LABELS[name]}”"


# Ordinary adjectives from the lexicon's vague terms: a fault only when nothing measurable is asked
# for ("en god förmåga"), description beside a target ("minst 95 % … i god tid"). The other terms
# (säker och trygg, fungerande, tillfredsställande …) always need a definition, as MSB says of
# "fungerande SBA".
ORDINARY_TERMS = frozenset({"god", "bra", "effektiv", "säker", "trygg"})
# "arbeta med" names work, not a result; beside a target ("arbeta med minst 500 hembesök per år
# 2027–2030") it is harmless. The effort verbs the issue names (arbeta för, jobba aktivt med, verka
# för, sträva efter) are faults whatever follows.
PLAIN_WORK_VERBS = frozenset({"arbeta med", "jobba med"})


@dataclass(frozen=True)
class GoalInput:
    text: str
    kind: str | None = None  # "sakerhetsmal" | "prestationsmal"
    indicator: str | None = None
    baseline: float | None = None
    baseline_period: str | None = None  # "2016–2019", "2019"
    target: float | None = None
    target_year: int | None = None
    owner: str | None = None
    direction: str | None = None  # which way is better: "lower" | "higher"
    history: tuple[tuple[int, float], ...] = ()
    detectable: bool | None = None  # set by the statistics module when it can tell
    detectability_note: str | None = None

    def __post_init__(self) -> None:
        # Callers build this from forms and files; a typo in kind must not silently change the rules.
        if self.kind not in (None, *KINDS):
            raise ValueError(f"kind must be one of {KINDS} or None, not {self.kind!r}")
        if self.direction not in (None, *DIRECTIONS):
            raise ValueError(f"direction must be one of {DIRECTIONS} or None, not {self.direction!r}")
        history = tuple((int(y), float(v)) for y, v in self.history)
        numbers = [self.baseline, self.target, *(v for _, v in history)]
        if not all(math.isfinite(v) for v in numbers if v is not None):
            raise ValueError("baseline, target and history values must be finite numbers")
        object.__setattr__(self, "history", history)


@dataclass(frozen=True)
class Criterion:
    status: Status
    reasons: tuple[str, ...]
    fix: str | None = None


@dataclass(frozen=True)
class SmartResult:
    criteria: dict[str, Criterion]

    @property
    def smart(self) -> bool:
        return all(c.status == "ok" for c in self.criteria.values())

    @property
    def status(self) -> Status:
        """Worst status over the criteria: "brist" before "okant" before "ok"."""
        statuses = {c.status for c in self.criteria.values()}
        return "brist" if "brist" in statuses else "okant" if "okant" in statuses else "ok"

    def to_json(self) -> dict[str, object]:
        return {
            "smart": self.smart,
            "criteria": {
                name: {"status": c.status, "reasons": list(c.reasons), "fix": c.fix}
                for name, c in self.criteria.items()
            },
        }


@dataclass
class _Findings:
    problems: list[tuple[str, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, reason: str, fix: str | None = None) -> None:
        self.problems.append((reason, fix))

    def note(self, reason: str) -> None:
        self.notes.append(reason)

    def criterion(self, *, unknown: bool = False, unknown_fix: str | None = None) -> Criterion:
        reasons = (*(r for r, _ in self.problems), *self.notes)
        if self.problems:
            fixes = dict.fromkeys(f for _, f in self.problems if f)
            return Criterion("brist", reasons, " ".join(fixes) or None)
        if unknown:
            return Criterion("okant", reasons, unknown_fix)
        return Criterion("ok", reasons, None)


def _q(text: str) -> str:
    return f"”{text}”"


@dataclass(frozen=True)
class _Goal:
    """The goal with text and fields merged: what every criterion needs to know."""

    raw: GoalInput
    text: TextAnalysis
    indicator: TextAnalysis | None
    output_rules: bool  # judge as a prestationsmål
    level_target: bool  # an absolute level to reach ("minst 90 %", "högst 45"): needs no baseline
    period: YearSpan | None  # the baseline period
    period_unreadable: bool
    baseline: float | None
    baseline_note: str | None
    target: float | None
    deadline: int | None
    text_deadline: int | None
    direction: str | None
    history: tuple[tuple[int, float], ...]


def _prepare(goal: GoalInput) -> _Goal:
    text = analyse(goal.text)
    indicator = analyse(goal.indicator) if goal.indicator and goal.indicator.strip() else None
    output_rules = goal.kind == "prestationsmal" or (
        goal.kind is None and bool(text.output_words) and not text.outcome_words
    )
    period = parse_period(goal.baseline_period) if goal.baseline_period else None
    unreadable = bool(goal.baseline_period and goal.baseline_period.strip()) and period is None
    if period is None and text.comparison_periods:
        period = text.comparison_periods[0]
    history = tuple(sorted(dict(goal.history).items()))  # one value per year; the last one wins

    baseline, baseline_note = goal.baseline, None
    if baseline is None and text.stated_baseline is not None:
        baseline = text.stated_baseline
    if baseline is None and period is not None:
        inside = [v for y, v in history if period.start <= y <= period.end]
        if inside:
            baseline = sum(inside) / len(inside)
            baseline_note = f"Utgångsvärdet {_num(baseline)} är medelvärdet av mätvärdena för {period.label}."

    target = goal.target
    if target is None and len(text.quantities) == 1:  # several numbers: which one is the target?
        q = text.quantities[0]
        if q.change == "level":
            target = q.value
        elif q.change != "change" and baseline is not None:
            step = q.value if q.change == "increase" else -q.value
            # Per cent is relative to the baseline; points and counts are added to it.
            target = baseline * (1 + step / 100) if q.unit == "%" else baseline + step

    text_deadline = max((s.end for s in text.deadlines), default=None)
    if text_deadline is None:
        later = [y for y in text.loose_years if period is None or y > period.end]
        text_deadline = max(later, default=None)
    direction = goal.direction or text.direction
    if direction is None and baseline is not None and target is not None and target != baseline:
        direction = "lower" if target < baseline else "higher"
    level_target = goal.target is not None or any(q.change == "level" for q in text.quantities)
    return _Goal(
        raw=goal,
        text=text,
        indicator=indicator,
        output_rules=output_rules,
        level_target=level_target,
        period=period,
        period_unreadable=unreadable,
        baseline=baseline,
        baseline_note=baseline_note,
        target=target,
        deadline=goal.target_year if goal.target_year is not None else text_deadline,
        text_deadline=text_deadline,
        direction=direction,
        history=history,
    )


# --- the five criteria ------------------------------------------------------------------------

_FIX_RESULT = (
    "Skriv vilket resultat som ska nås, t.ex. ”Antalet bränder i bostad ska minska med 20 % "
    "till 2030 jämfört med 2016–2019”."
)


def _specific(g: _Goal) -> Criterion:
    f, text = _Findings(), g.text
    if not text.text:
        f.problem("Måltexten är tom.", _FIX_RESULT)
    measurable_target = bool(text.quantities) or g.raw.target is not None
    for verb in text.vague_verbs:
        if verb in PLAIN_WORK_VERBS and measurable_target:
            f.note(f"Uttrycket {_q(verb)} beskriver arbetet; målet mäts med sitt målvärde.")
        else:
            f.problem(f"Uttrycket {_q(verb)} beskriver en strävan, inte ett resultat.", _FIX_RESULT)
    for term in text.vague_terms:
        if term in ORDINARY_TERMS and measurable_target:
            f.note(f"Ordet {_q(term)} beskriver målet; det mäts med sitt målvärde.")
        elif g.indicator is not None and term not in g.indicator.vague_terms:
            f.note(f"Begreppet {_q(term)} förutsätts vara definierat av indikatorn.")
        else:
            f.problem(
                f"Begreppet {_q(term)} är inte definierat.",
                f"Definiera vad {_q(term)} betyder, t.ex. med en indikator, "
                "eller ersätt ordet med ett mätbart krav.",
            )
    for term in text.soft_terms:
        if measurable_target or g.indicator is not None:
            f.note(f"Ordet {_q(term)} beskriver målet; det mäts med sitt målvärde.")
        else:
            f.problem(
                f"Uttrycket {_q(term)} anger ingen nivå som går att följa upp.",
                "Ange vilken nivå som ska nås, t.ex. ”responstid högst 20 minuter i 90 % av "
                "insatserna senast 2027”.",
            )
    if text.text and not text.has_object and g.indicator is None:
        f.problem(
            "Målet anger inte vad som ska mätas eller förändras.",
            "Ange vad som ska förändras, t.ex. ”antalet bränder i bostad” eller "
            "”andelen hushåll med brandvarnare”.",
        )
    has_reference = g.period is not None or g.period_unreadable or g.baseline is not None
    # "minska till högst 45 per år" names its level; only a relative change needs a reference.
    if text.states_change and not has_reference and not g.level_target:
        word = text.change_words[0] if text.change_words else "förändring"
        f.problem(
            f"Målet anger en förändring ({_q(word)}) men inte jämfört med vad.",
            "Ange jämförelseperiod i måltexten, t.ex. ”jämfört med 2016–2019”, eller fyll i "
            f"{_field('baseline_start')} och {_field('baseline_end')} på indikatorn.",
        )
    if g.raw.kind == "prestationsmal" and text.outcome_words and not text.output_words:
        f.problem(
            f"Texten beskriver ett utfall ({_q(text.outcome_words[0])}), inte en prestation.",
            "Ett prestationsmål anger vad organisationen ska leverera, t.ex. ”Minst 400 tillsyner "
            "per år 2027–2030”; för utfallet passar ett säkerhetsmål.",
        )
    if g.raw.kind == "sakerhetsmal" and text.output_words and not text.outcome_words:
        f.problem(
            f"Texten beskriver en prestation ({_q(text.output_words[0])}), inte ett utfall.",
            "Ett säkerhetsmål anger vilken säkerhetsnivå som ska nås, t.ex. färre bränder eller "
            "skadade; gör prestationen till ett prestationsmål under säkerhetsmålet.",
        )
    if not f.problems:
        words = (*text.quantity_words, *text.outcome_words, *text.output_words)[:3]
        what = ", ".join(map(_q, words)) if words else _q(g.raw.indicator or "")
        f.note(f"Målet anger vad som ska mätas ({what}) och saknar vaga ord.")
    return f.criterion()


def _measurable(g: _Goal) -> Criterion:
    f = _Findings()
    if g.raw.indicator and g.raw.indicator.strip():
        f.note(f"Indikator: {g.raw.indicator.strip()}.")
    elif not g.text.quantities and g.raw.target is None:
        f.problem(
            "Målet anger inget målvärde, varken som tal eller som förändring i procent.",
            "Ange ett målvärde i måltexten, t.ex. ”minska med 20 %” eller ”högst 10 minuter”, "
            f"eller i fältet {_field('target_value')} på indikatorn.",
        )
    units = (*g.text.units, *(g.indicator.units if g.indicator else ()))
    if units:
        f.note(f"Enhet: {', '.join(dict.fromkeys(units))}.")
    else:
        f.problem(
            "Målet anger ingen enhet.",
            "Ange enhet, t.ex. ”antal”, ”per 1 000 invånare”, ”minuter” eller ”%”, i måltexten "
            f"eller i fältet {_field('unit')} på indikatorn.",
        )
    # An absolute level ("minst 90 % senast 2030") is measured as it stands; a change needs a start.
    needs_baseline = not g.level_target and (not g.output_rules or g.text.states_change)
    if g.period_unreadable:
        f.problem(
            f"Utgångsperioden {_q(g.raw.baseline_period or '')} går inte att tolka.",
            "Skriv perioden som ett år (”2019”) eller ett intervall (”2016–2019”).",
        )
    elif g.period is not None:
        value = f" ({_num(g.baseline)})" if g.baseline is not None and not g.baseline_note else ""
        f.note(f"Utgångsläge: {g.period.label}{value}.")
    elif g.baseline is not None and needs_baseline:
        f.problem(
            "Utgångsvärdet saknar period.",
            "Ange vilken period utgångsvärdet gäller, t.ex. ”2016–2019”, i fälten "
            f"{_field('baseline_start')} och {_field('baseline_end')} på indikatorn.",
        )
    elif needs_baseline:
        f.problem(
            "Målet saknar utgångsvärde.",
            "Ange utgångsläget i måltexten, t.ex. ”jämfört med 2016–2019”, eller i fälten "
            f"{_field('baseline_value')}, {_field('baseline_start')} och {_field('baseline_end')} "
            "på indikatorn.",
        )
    elif not g.output_rules and g.level_target:
        f.note("Målet anger en nivå att nå; något utgångsvärde behövs inte för att mäta det.")
    else:
        which = "Prestationsmålet" if g.raw.kind else "Målet ser ut som ett prestationsmål och"
        f.note(f"{which} anger en nivå att leverera; något utgångsvärde behövs inte för att mäta det.")
    if g.baseline_note:
        f.note(g.baseline_note)
    return f.criterion()


def _accepted(g: _Goal) -> Criterion:
    f = _Findings()
    owner = (g.raw.owner or "").strip()
    if owner:
        f.note(f"Ansvarig: {owner}.")
    else:
        f.problem(
            "Ingen ansvarig är angiven.",
            f"Ange i fältet {_field('owner')} vem som ansvarar för målet, t.ex. en nämnd, "
            "förbundsdirektionen eller en funktion i räddningstjänsten.",
        )
    return f.criterion()


def _time_bound(g: _Goal, reference: datetime.date | int | None) -> Criterion:
    """Time-bound means the goal has a time frame; a date already passed is a note, not a fault.

    Whether the date has passed is judged against the programme version's date (``reference``),
    not today: a 2019–2022 programme read in 2026 was still time-bound when it was adopted.
    """
    f, deadline = _Findings(), g.deadline
    if g.raw.target_year is not None and g.text_deadline not in (None, g.raw.target_year):
        f.problem(
            f"Måldatum i texten ({g.text_deadline}) skiljer sig från det angivna målåret "
            f"({g.raw.target_year}).",
            f"Använd samma år i måltexten och i fältet {_field('target_year')} på indikatorn.",
        )
    if deadline is None:
        if g.text.per_year:
            f.problem(
                "Målet gäller per år men anger inte vilka år.",
                "Ange period, t.ex. ”per år 2027–2030”.",
            )
        else:
            f.problem(
                "Målet saknar måldatum.",
                "Ange när målet ska vara nått, t.ex. ”senast 2030” i måltexten eller i fältet "
                f"{_field('target_year')} på indikatorn.",
            )
        return f.criterion()
    f.note(f"Måldatum: {deadline}.")
    if g.period is not None and deadline <= g.period.end:
        f.problem(
            f"Måldatum ({deadline}) ligger inte efter utgångsperiodens slut ({g.period.end}).",
            "Kontrollera målåret och utgångsperioden: målåret ska komma efter utgångsperioden.",
        )
    year = reference.year if isinstance(reference, datetime.date) else reference
    if year is not None and deadline < year:
        when = reference.isoformat() if isinstance(reference, datetime.date) else f"år {reference}"
        f.note(f"Måldatum har passerat ({deadline}).")
        f.note(f"Bedömt mot {when}: målet är tidsatt, men bör utvärderas och ersättas med ett nytt.")
    return f.criterion()


@lru_cache(maxsize=4096)
def check_goal(
    goal: GoalInput,
    *,
    reference_date: datetime.date | None = None,
    today_year: int | None = None,
) -> SmartResult:
    """Judge one goal against the five SMART criteria; never raises on odd goal text.

    ``reference_date`` is the date a passed deadline is judged against: the programme version's
    date (adopted or, for a draft, created), not today. ``today_year`` is the older form of the
    same thing, kept for callers that only know a year (a deadline in that very year has not
    passed). Either only adds a note; a goal with a time frame stays time-bound.

    A pure function of its (frozen) input, and pages ask for the same goals' verdicts on every
    request, so results are kept; the result must be treated as read-only.
    """
    reference: datetime.date | int | None = reference_date if reference_date else today_year
    g = _prepare(goal)
    return SmartResult(
        {
            "specifikt": _specific(g),
            "matbart": _measurable(g),
            "accepterat": _accepted(g),
            "realistiskt": _realistic(g),
            "tidsatt": _time_bound(g, reference),
        }
    )


# --- realism --------------------------------------------------------------------------------


def _direction_and_detectability(g: _Goal, f: _Findings) -> None:
    better = {"lower": "lägre", "higher": "högre"}
    if g.raw.direction and g.text.direction and g.raw.direction != g.text.direction:
        verb = "minska" if g.text.direction == "lower" else "öka"
        f.problem(
            f"Texten säger att värdet ska {verb}, men för indikatorn är {better[g.raw.direction]} "
            "värden bättre.",
            "Kontrollera målets riktning.",
        )
    worse = 1 if g.direction == "lower" else -1  # sign of a change for the worse
    if (
        g.direction
        and g.baseline is not None
        and g.target is not None
        and (g.target - g.baseline) * worse > 0
    ):
        f.problem(
            f"Målvärdet ({_num(g.target)}) är {'högre' if g.direction == 'lower' else 'lägre'} "
            f"än utgångsvärdet ({_num(g.baseline)}), fast {better[g.direction]} värden är bättre.",
            "Kontrollera målvärdet och vilken riktning som är bättre.",
        )
    if g.raw.detectable is False:
        f.problem(
            g.raw.detectability_note or "Förändringen går inte att säkerställa statistiskt.",
            "Slå ihop flera år, räkna per 1 000 invånare eller välj en indikator med fler händelser.",
        )
    elif g.raw.detectable is True:
        f.note(g.raw.detectability_note or "Förändringen går att säkerställa statistiskt.")


def _realistic(g: _Goal) -> Criterion:
    f = _Findings()
    unknown_fix = (
        f"Fyll i {_field('baseline_value')}, {_field('target_value')} och {_field('target_year')} "
        "på indikatorn och lägg in mätvärden för minst tre år."
    )
    _direction_and_detectability(g, f)
    if f.problems or g.target is None or g.deadline is None:
        changes = [q for q in g.text.quantities if q.change != "level"]
        if g.target is None and len(g.text.quantities) > 1:
            f.note(
                "Texten innehåller flera tal; ange målvärdet i fältet "
                f"{_field('target_value')} på indikatorn."
            )
        elif g.target is None and changes:
            f.note("Målet anger en förändring men inget utgångsvärde att räkna målvärdet från.")
        elif g.target is None:
            f.note("Målvärde saknas, så det går inte att bedöma om målet är realistiskt.")
        if g.deadline is None:
            f.note("Målår saknas, så det går inte att bedöma om målet är realistiskt.")
        return f.criterion(unknown=True, unknown_fix=unknown_fix)
    target, deadline = g.target, g.deadline
    # A yearly goal over a period ("per år 2027–2030") has to hold from its first year.
    ranges = [s for s in g.text.deadlines if s.start < s.end and s.end == deadline]
    if g.text.per_year and ranges:
        deadline = ranges[0].start
    if not g.history:
        if g.period is not None and g.baseline is not None and g.baseline > 0 and deadline > g.period.end:
            rate = (max(target, 0.0) / g.baseline) ** (1 / (deadline - g.period.end)) - 1
            f.note(f"Målet kräver {change_phrase(rate)} per år från {g.period.end} till {deadline}.")
        f.note("Det finns inga mätvärden att jämföra målet med.")
        return f.criterion(unknown=True, unknown_fix=unknown_fix)

    last_year, last = g.history[-1]
    sign = {"lower": -1, "higher": 1}.get(g.direction or "", 1 if target > last else -1)
    if (last - target) * sign >= 0:
        f.note(
            f"Målvärdet ({_num(target)}) är redan nått: {_num(last)} år {last_year}. "
            "Överväg ett mer ambitiöst mål."
        )
        return f.criterion()
    if deadline <= last_year:
        f.note(f"Målåret {deadline} har passerat utan att målvärdet nåtts ({_num(last)} år {last_year}).")
        return f.criterion(unknown=True, unknown_fix="Utvärdera målet och sätt ett nytt.")
    trend = fit_trend(g.history, target=target)
    if trend is None:
        f.note(
            f"Mätserien har {len(g.history)} värden; minst {MIN_HISTORY} år med ett medelvärde "
            "över noll behövs för att jämföra målet med utvecklingen."
        )
        return f.criterion(unknown=True, unknown_fix=unknown_fix)

    horizon = deadline - last_year
    gap = (trend.f(target) - trend.at(deadline)) * sign  # > 0: the goal is ahead of the trend
    extra = -math.log1p(-EXTRA_CHANGE_PER_YEAR) if trend.log else EXTRA_CHANGE_PER_YEAR * trend.level
    allowance = horizon * extra
    tolerance = allowance + trend.band(deadline)
    required = trend.rate(trend.f(target) - trend.f(last), horizon)
    need = f"Målet kräver {change_phrase(required)} per år från {last_year} till {deadline}"
    history_text = trend_phrase(trend, g.history[0][0], last_year)
    if gap <= 0:
        f.note(f"Med nuvarande trend nås målvärdet {_num(target)} till {deadline}: {history_text}.")
    elif gap <= allowance:
        f.note(f"{need}. Det är mer än trenden men rimligt om åtgärderna ger effekt: {history_text}.")
    elif gap <= tolerance:
        # Beyond the allowance, but the trend itself is too uncertain to call the goal unrealistic.
        f.note(f"{need}: {history_text}.")
        f.note("Mätserien är för kort eller för ojämn för att avgöra om det är realistiskt.")
        return f.criterion(unknown=True, unknown_fix="Lägg in fler års mätvärden.")
    else:
        reachable = max(trend.inverse(trend.at(deadline) + sign * tolerance), 0.0)
        f.problem(
            f"{need}, men {history_text}.",
            f"Sänk ambitionen till omkring {_num(reachable)} år {deadline}, skjut fram målåret, "
            "eller beskriv vilka åtgärder som ska ge den snabbare förändringen.",
        )
    return f.criterion()
