"""The yearly follow-up report: status per goal with charts, evaluations, actions, egenkontroll.

The report follows the version in force (normally the adopted one) and uses measurements up to
and including the report year, so a report for 2025 printed in 2027 says what was known of 2025
and earlier, not what came later. The evaluation and checks apps are read defensively: a report
must be printable before they hold anything, and it then says what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone

from lsoplan.followup.charts import indicator_chart
from lsoplan.followup.selectors import indicator_followups, organisation_population
from lsoplan.goals.models import Indicator, PerformanceGoal, SafetyGoal
from lsoplan.goals.selectors import spec_for
from lsoplan.lib.followup import chart_points
from lsoplan.lib.report_model import Document, Fact, Figure, Paragraph, Section, sv_date, sv_number, table
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import charts, common, selectors
from lsoplan.reports import followup_sections as parts

YEARS_IN_TABLE = 10  # a portrait page holds about ten year columns
EVALUATION_FIELDS = (
    ("why", "Varför har skyddet eller säkerheten ökat, eller inte?"),
    ("side_effects", "Sidoeffekter"),
    ("citizens_view", "Invånarnas syn"),
    ("cost_benefit", "Kostnad och nytta"),
    ("learning", "Lärdomar"),
    ("assessment", "Samlad bedömning"),
    ("assessment_text", "Motivering"),
    ("no_action_reason", "Skäl till att ingen åtgärd behövs"),
    ("status", "Status"),
)
OPTIONAL_FIELDS = {"assessment_text", "no_action_reason"}  # shown only when filled in
NO_STATUS = "inget målvärde"


class _Builder:
    def __init__(self, version: ProgrammeVersion, year: int):
        self.version = version
        self.year = year
        self.org = version.organisation
        self.safety, self.performance = selectors.goals(version)
        self.indicators = selectors.indicators(version)
        self.history = selectors.history(self.indicators, up_to=year)
        self.population = organisation_population(self.org)
        # The verdicts come from the one follow-up function every page uses.
        followups = indicator_followups(version, year, indicators=self.indicators)
        self.statuses: dict[int, Any] = {f.indicator.pk: f.verdict for f in followups}

    def status_word(self, indicator: Indicator) -> str:
        status = self.statuses.get(indicator.pk)
        return str(status.status) if status is not None else NO_STATUS

    def summary(self, doc: Document) -> None:
        s = doc.section("Sammanfattning")
        if not self.indicators:
            s.text("Programmet har inga indikatorer att följa upp.", "note")
            return
        counts = Counter(self.status_word(i) for i in self.indicators)
        s.text(
            f"Uppföljningen omfattar {len(self.indicators)} indikatorer för {len(self.safety)} säkerhetsmål "
            f"och {len(self.performance)} prestationsmål, med mätvärden till och med {self.year}."
        )
        s.add(
            table(
                f"Indikatorernas status {self.year}",
                ("Status", "Antal indikatorer"),
                [(word, n) for word, n in counts.most_common()],
            )
        )
        rows = []
        for i in self.indicators:
            series = self.history.get(i.series_id, [])
            latest = f"{sv_number(series[-1][1])} ({series[-1][0]})" if series else "–"
            rows.append(
                (
                    selectors.goal_label(i.safety_goal or i.performance_goal),
                    i.name,
                    self.status_word(i),
                    latest,
                    common.value_with_year(i.target_value, i.target_year),
                )
            )
        s.add(
            table(
                "Status per indikator",
                ("Mål", "Indikator", "Status", "Senaste värde (år)", "Målvärde (år)"),
                rows,
                widths=(1, 5, 3, 2.4, 2.4),
            )
        )
        s.text(
            "Egna prestationer (tillsyner, hembesök, utbildade) jämförs direkt med målvärdet. För "
            "olyckor och bränder, som varierar av en slump, kräver 'uppnått' dessutom att förändringen "
            "från utgångsläget är statistiskt säkerställd; 'uppnått men inte säkerställt' betyder att "
            "målvärdet nås i siffrorna men att det kan vara slumpen. Inget mål bedöms som uppnått på år "
            "som inte är avslutade eller har preliminära värden.",
            "note",
        )

    def goals(self, doc: Document, heading: str, goals: list[SafetyGoal] | list[PerformanceGoal]) -> None:
        s = doc.section(heading)
        if not goals:
            s.text(f"Programmet har inga {heading.lower()}.", "note")
            return
        for goal in goals:
            g = s.section(f"{goal.code} {_short(goal.text)}".strip())
            g.text(goal.text)
            if goal.owner:
                g.text(f"Ansvarig: {goal.owner}.", "note")
            if isinstance(goal, SafetyGoal):
                items = [i for i in self.indicators if i.safety_goal_id == goal.pk]
            else:
                items = [i for i in self.indicators if i.performance_goal_id == goal.pk]
            if not items:
                g.text("Målet har ingen indikator och kan inte följas upp med mätvärden.", "note")
            for indicator in items:
                self.indicator(g.section(indicator.name), indicator)

    def indicator(self, s: Section, indicator: Indicator) -> None:
        status = self.statuses.get(indicator.pk)
        series = self.history.get(indicator.series_id, [])
        if status is not None:
            s.text(status.sentence)  # it opens with the status word ("På väg: …")
        else:
            s.text("Indikatorn saknar målvärde och bedöms därför inte.", "note")
        if not series:
            s.text(f"Inga mätvärden till och med {self.year}.", "note")
            return
        pop = self.population if indicator.normalisation == "per_1000" else None
        points = chart_points(spec_for(indicator), series, pop)
        baseline = status.baseline_value if status is not None else indicator.baseline_value
        target = status.target if status is not None else indicator.target_value
        spec = indicator_chart(
            indicator.name, _unit(indicator), points, baseline, target, indicator.target_year
        )
        plotted = [(p.year, p.value) for p in points]
        s.add(
            Figure(
                charts.to_png(spec),
                charts.indicator_alt(
                    indicator.name, _unit(indicator), plotted, baseline, target, indicator.target_year
                ),
                f"{indicator.name} per år",
            )
        )
        shown = series[-YEARS_IN_TABLE:]
        rows: list[tuple[Any, ...]] = [(indicator.unit, *[v for _, v in shown])]
        if pop is not None:
            rates = dict(plotted)
            rows.append(("per 1 000 invånare", *[rates.get(y) for y, _ in shown]))
        s.add(
            table(
                f"{indicator.name}: värden per år", ("", *[str(y) for y, _ in shown]), rows, row_header=True
            )
        )
        if status is not None and status.method:
            s.text(f"Hur bedömt? {status.method}", "note")

    def incidents(self, doc: Document) -> None:
        s = doc.section("Händelsestatistik")
        common.incident_statistics(s, self.org, up_to=self.year)  # remarks belong to the programme

    def evaluations(self, doc: Document) -> None:
        s = doc.section("Utvärderingar")
        found = selectors.evaluations(self.version, self.year)
        if found is None:
            s.text(f"Inga utvärderingar är registrerade för {self.year}.")
            return
        if not found:
            s.text(f"Inga utvärderingar är registrerade för {self.year}.", "note")
            return
        for n, e in enumerate(found, 1):
            period = _period(getattr(e, "period_start", None), getattr(e, "period_end", None))
            goal = getattr(e, "goal_label", "") or selectors.goal_label(getattr(e, "goal", None))
            title = f"Utvärdering {n}" + (f": {goal}" if goal else "")
            rows = [
                (label, selectors.display(e, name) or "–")
                for name, label in EVALUATION_FIELDS
                if hasattr(e, name) and (name not in OPTIONAL_FIELDS or selectors.display(e, name))
            ]
            s.add(table(f"{title}, {period}" if period else title, ("Fråga", "Svar"), rows, widths=(1, 3)))

    def actions(self, doc: Document) -> None:
        s = doc.section("Förbättringsåtgärder")
        found = selectors.improvement_actions(self.version)
        if found is None:
            s.text("Inga förbättringsåtgärder är registrerade.")
            return
        if not found:
            s.text("Inga förbättringsåtgärder är registrerade.", "note")
            return
        s.add(
            table(
                "Förbättringsåtgärder",
                ("Åtgärd", "Ansvarig", "Klar senast", "Status"),
                [
                    (
                        selectors.display(a, "title") or str(a),
                        selectors.display(a, "owner") or "–",
                        _date(_due(a)),
                        selectors.display(a, "status") or "–",
                    )
                    for a in found
                ],
                widths=(6, 2.4, 2, 2),
            )
        )

    def checks(self, doc: Document) -> None:
        s = doc.section("Egenkontroll")
        installed, run = selectors.latest_check_run(self.version)
        if not installed:
            s.text("Egenkontrollen har inte genomförts för den här versionen.")
            return
        if run is None:
            s.text("Egenkontrollen har inte körts för den här versionen.", "note")
            return
        findings = [f for f in (getattr(run, "findings", None) or []) if isinstance(f, dict)]
        when = getattr(run, "run_at", None)
        open_items = [f for f in findings if _pick(f, "status", "result") not in ("ok", "ej_tillämplig")]
        summary = f"Egenkontrollen kördes {_date(when)}"
        rules_version = getattr(run, "rules_version", "")
        summary += f" med regelversion {rules_version}" if rules_version else ""
        summary += (
            f": {len(findings) - len(open_items)} av {len(findings)} kontroller utan anmärkning."
            if findings
            else ": inga resultat."
        )
        s.text(summary)
        if open_items:
            s.add(
                table(
                    "Egenkontrollen: brister och det som inte kunde bedömas",
                    ("Regel", "Krav", "Resultat", "Kommentar", "Grund"),
                    [
                        (
                            _pick(f, "rule", "id", "key", "code"),
                            _pick(f, "title"),
                            _pick(f, "status", "result") + _severity(f),
                            _pick(f, "message", "text", "description"),
                            _pick(f, "reference", "legal_reference", "basis"),
                        )
                        for f in open_items
                    ],
                    widths=(1.2, 3, 1.6, 5, 2.6),
                )
            )


def _short(text: str, limit: int = 70) -> str:
    """A heading-length version of a goal text, cut at a word."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _due(action: Any) -> Any:
    return next((getattr(action, n) for n in ("due_date", "due_on", "due") if getattr(action, n, None)), None)


def _unit(indicator: Indicator) -> str:
    return f"{indicator.unit} per 1 000 invånare" if indicator.normalisation == "per_1000" else indicator.unit


def _severity(finding: dict[str, Any]) -> str:
    severity = finding.get("severity")
    return f" ({severity})" if severity else ""


def _pick(d: dict[str, Any], *keys: str) -> str:
    for k in keys:
        if d.get(k) not in (None, ""):
            return str(d[k])
    return "–"


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return sv_date(timezone.localtime(value).date() if timezone.is_aware(value) else value.date())
    if isinstance(value, dt.date):
        return sv_date(value)
    return "–" if value in (None, "") else str(value)


def _period(start: Any, end: Any) -> str:
    a, b = _date(start), _date(end)
    if a == "–" and b == "–":
        return ""
    return a if a == b else f"{a} – {b}"


def build_followup(version: ProgrammeVersion, year: int, today: dt.date | None = None) -> Document:
    today = today or dt.date.today()
    b = _Builder(version, year)
    programme = version.programme
    facts = [Fact("Uppföljningsår", str(year)), *common.version_facts(version, today)]
    doc = Document(
        title=f"Uppföljning {year}",
        subtitle=f"{programme.title} {programme.period_label}, {version.organisation.name}",
        organisation=version.organisation.name,
        facts=facts,
        notice=common.notice(version),
        marking=common.marking(version),
        subject=f"Årlig uppföljning av handlingsprogram enligt LSO, {year}",
    )
    b.summary(doc)
    b.goals(doc, "Säkerhetsmål", b.safety)
    b.goals(doc, "Prestationsmål", b.performance)
    measures = selectors.measures(version)
    parts.action_plan(doc, measures, year)
    parts.detectability(doc, b.indicators, b.history)
    parts.costs(doc, measures)
    parts.summary_page(doc, b.indicators, b.status_word, measures, year)
    b.incidents(doc)
    b.evaluations(doc)
    b.actions(doc)
    b.checks(doc)
    doc.sections[0].blocks.insert(
        0,
        Paragraph(
            f"Rapporten följer upp version {version.number} av programmet "
            f"({common.adoption_text(version).lower()}) för år {year}.",
            "lead",
        ),
    )
    return doc
