"""Parts of the yearly follow-up report beside the verdicts: the one-page summary in words, the
action plan's follow-up, detectability per count goal and the cost follow-up.

The verdicts themselves come from ``followup_doc`` (one status per indicator); this module only
sorts and words them, so a change in how verdicts are made reaches the summary unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lsoplan.followup.selectors import indicator_detectability
from lsoplan.goals.models import Indicator, Measure
from lsoplan.lib.report_model import BulletList, Document, Section, sv_number, table
from lsoplan.reports import selectors

# Verdict words (lower case, as the status sentence opens) grouped for the summary. Unknown words
# go to "cannot be judged yet" rather than being guessed good or bad.
WENT_WELL = ("uppnått", "på väg")
WENT_BADLY = ("försämring", "ej uppnått", "inte uppnått", "ingen säkerställd förändring")
DONE = ("genomford", "installd")


def _group(word: str) -> str:
    w = word.lower()
    if w.startswith(WENT_BADLY):
        return "bad"
    if w.startswith(WENT_WELL):
        return "good"
    return "unknown"


def summary_page(
    doc: Document,
    indicators: Sequence[Indicator],
    status_word: Callable[[Indicator], str],
    measures: Sequence[Measure],
    year: int,
) -> None:
    """What went well, what did not and what cannot be judged yet, in words, on one page."""
    groups: dict[str, list[str]] = {"good": [], "bad": [], "unknown": []}
    for i in indicators:
        label = selectors.goal_label(i.safety_goal or i.performance_goal)
        word = status_word(i)
        # One line per indicator keeps this to a page; the reasons stand under each goal.
        groups[_group(word)].append(f"{label} {i.name}: {word.lower()}")
    done = [m for m in measures if m.status == "genomford"]
    late = [m for m in measures if is_late(m, year)]
    s = Section(f"Året {year} i korthet")
    doc.sections.insert(0, s)  # the report opens with it
    s.text(
        f"Av {len(indicators)} indikatorer går {len(groups['good'])} åt rätt håll eller har nått målet, "
        f"{len(groups['bad'])} har inte gått som planerat och {len(groups['unknown'])} kan ännu inte "
        f"bedömas. Av {len(measures)} åtgärder i handlingsplanen är {len(done)} genomförda och "
        f"{len(late)} försenade."
    )
    for key, heading in (
        ("good", "Det som gick bra"),
        ("bad", "Det som inte gick som planerat"),
        ("unknown", "Det som ännu inte kan bedömas"),
    ):
        if groups[key]:
            s.text(heading + ":")
            s.add(BulletList(tuple(groups[key])))


def is_late(measure: Measure, year: int) -> bool:
    """Not done although its year has passed (the report year counts as passed)."""
    return measure.status not in DONE and measure.due_year is not None and measure.due_year <= year


def action_plan(doc: Document, measures: Sequence[Measure], year: int) -> None:
    s = doc.section("Handlingsplanens åtgärder")
    if not measures:
        s.text("Programmet har inga åtgärder i handlingsplanen.")
        return
    rows = []
    for m in measures:
        status = m.get_status_display()
        if is_late(m, year):
            status = f"{status}, försenad"
        rows.append(
            (
                selectors.goal_label(m.performance_goal),
                m.text,
                m.owner or "–",
                str(m.due_year or "–"),
                status,
            )
        )
    s.text(
        f"Status för varje åtgärd vid utgången av {year}. Försenad: planerad att vara klar {year} "
        "eller tidigare men inte genomförd."
    )
    s.add(
        table(
            f"Åtgärdernas status {year}",
            ("Mål", "Åtgärd", "Ansvarig", "Klar år", "Status"),
            rows,
            widths=(1, 6, 2.6, 1.4, 2.4),
        )
    )


def detectability(doc: Document, indicators: Sequence[Indicator], history: dict[int, Any]) -> None:
    """For each count goal: can the targeted change be told apart from chance at all?"""
    s = doc.section("Går målen att följa upp statistiskt?")
    notes = []
    for i in indicators:
        note = indicator_detectability(i, history.get(i.series_id, []))
        if note is not None:
            notes.append((selectors.goal_label(i.safety_goal or i.performance_goal), i.name, note))
    if not notes:
        s.text("Inget mål räknar antal händelser med ett målvärde som kan prövas statistiskt.")
        return
    s.text(
        "Antal olyckor och bränder varierar av en slump från år till år. För varje mål som räknar "
        "händelser anges här om den förändring målet kräver går att skilja från slumpen till målåret."
    )
    s.add(
        table(
            "Upptäckbarhet per mål som räknar händelser",
            ("Mål", "Indikator", "Går att säkerställa", "Bedömning"),
            [(label, name, "ja" if n.detectable else "nej", n.sentence) for label, name, n in notes],
            widths=(1, 3, 1.6, 8),
        )
    )


def costs(doc: Document, measures: Sequence[Measure]) -> None:
    s = doc.section("Kostnader")
    priced = [m for m in measures if m.cost_once is not None or m.cost_yearly is not None]
    if not priced:
        s.text("Inga kostnader är angivna för handlingsplanens åtgärder.")
        return
    once = sum(float(m.cost_once or 0) for m in priced)
    yearly = sum(float(m.cost_yearly or 0) for m in priced)
    s.text(
        f"Handlingsplanens åtgärder är beräknade till {sv_number(once)} kr i engångskostnader och "
        f"{sv_number(yearly)} kr per år ({len(priced)} av {len(measures)} åtgärder har en kostnad)."
    )
    rows = [
        (
            selectors.goal_label(m.performance_goal),
            m.text,
            m.get_status_display(),
            float(m.cost_once) if m.cost_once is not None else None,
            float(m.cost_yearly) if m.cost_yearly is not None else None,
        )
        for m in priced
    ]
    rows.append(("Totalt", "", "", once, yearly))
    s.add(
        table(
            "Kostnader per åtgärd (kr)",
            ("Mål", "Åtgärd", "Status", "Engång", "Per år"),
            rows,
            decimals=0,
            widths=(1, 6, 2, 2, 2),
        )
    )
