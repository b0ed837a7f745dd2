"""Reads for egenkontroll: the facts about a version that the rules need, and the saved runs."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.db.models import Max
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import dataversion
from lsoplan.checks.models import CheckProfile, CheckRun, Distribution
from lsoplan.conditions.models import Capability, Risk
from lsoplan.goals import selectors as goals
from lsoplan.goals.models import Indicator, Measurement
from lsoplan.goals.quality import indicator_notes
from lsoplan.lib.compliance import (
    CapabilityFact,
    ChapterFact,
    DistributionFact,
    Evaluation,
    Finding,
    IndicatorFact,
    ProgrammeFacts,
    RiskFact,
    SmartVerdict,
    VersionFacts,
    evaluate,
)
from lsoplan.lib.goalchain import PerformanceGoalNode, SafetyGoalNode
from lsoplan.programmes.models import Chapter, ProgrammeVersion, VersionStatus
from lsoplan.reference.lso import risk_matrix

# Looked up by name at run time: the incident register is another app, and egenkontroll must work
# (saying "kan inte bedömas") in an installation without it. Typed as plain str so that the type
# checker does not try to resolve a model that may not exist.
INCIDENT_MODEL: str = "incidents.Incident"
# The register's statistics copy keeps its latest alarm, so this needs no index on alarm times.
SNAPSHOT_MODEL: str = "incidents.IncidentSnapshot"


def _version_facts(version: ProgrammeVersion) -> VersionFacts:
    programme = version.programme
    other = (
        programme.versions.filter(status=VersionStatus.ANTAGEN)
        .exclude(pk=version.pk)
        .values_list("number", flat=True)
        .first()
    )
    based_on = version.based_on.number if version.based_on else None
    parties = tuple(line.strip() for line in version.consultation_parties.splitlines() if line.strip())
    return VersionFacts(
        id=version.pk,
        number=version.number,
        status=version.status,
        period_start=programme.period_start,
        period_end=programme.period_end,
        adopted_on=version.adopted_on,
        adopted_body=version.adopted_body,
        adopted_paragraph=version.adopted_paragraph,
        consultation_parties=parties,
        consultation_from=version.consultation_from,
        consultation_to=version.consultation_to,
        based_on=based_on,
        other_adopted=other,
    )


_UNKNOWN = object()


def _snapshot_latest(organisation: Organisation) -> object:
    """The latest alarm kept with the statistics copy; _UNKNOWN when there is no usable copy."""
    try:
        model = apps.get_model(SNAPSHOT_MODEL)
    except LookupError:
        return _UNKNOWN
    try:
        row = (
            model._default_manager.filter(organisation=organisation)
            .values_list("rows", "latest_alarm")
            .first()
        )
    except FieldError:
        return _UNKNOWN
    if row is None or (row[0] and row[1] is None):  # no copy yet, or one older than the field
        return _UNKNOWN
    return row[1]


def latest_incident(organisation: Organisation) -> tuple[bool, dt.date | None]:
    """(is there an incident register, the latest alarm date), without depending on that app.

    The incidents app is optional for egenkontroll: with no model, or no incidents, the rule says it
    cannot judge instead of failing.
    """
    try:
        model = apps.get_model(INCIDENT_MODEL)
    except LookupError:
        return False, None
    latest = _snapshot_latest(organisation)
    if latest is _UNKNOWN:
        try:
            rows = model._default_manager.filter(organisation=organisation)
            latest = rows.aggregate(m=Max("alarm_at"))["m"]
        except FieldError:  # a register without the fields this check reads
            return False, None
    if latest is None:
        return True, None
    if isinstance(latest, dt.datetime):
        return True, (timezone.localtime(latest) if timezone.is_aware(latest) else latest).date()
    return True, latest if isinstance(latest, dt.date) else None


def ports_relevant(organisation: Organisation) -> bool | None:
    profile = CheckProfile.objects.filter(organisation=organisation).first()
    return profile.ports_relevant if profile else None


def build_facts(version: ProgrammeVersion, today: dt.date | None = None) -> ProgrammeFacts:
    today = today or timezone.localdate()
    chapters = tuple(
        ChapterFact(c.key, c.number, c.title, c.text, c.prescribed, c.pk)
        for c in Chapter.objects.filter(version=version).order_by("order", "id")
    )
    risks = list(Risk.objects.filter(version=version).select_related("event_type"))
    capabilities = tuple(
        CapabilityFact(c.pk, c.kind, c.readiness, c.description, c.resources, c.risk_id)
        for c in Capability.objects.filter(version=version).order_by("id")
    )
    sgs = goals.safety_goals(version)
    pgs = goals.performance_goals(version)
    sg_nodes = tuple(
        SafetyGoalNode(
            g.pk,
            f"Säkerhetsmål {g.code}".strip(),
            tuple(n.key for n in g.national_goals.all()),
            tuple(r.pk for r in g.risks.all()),
            len(g.indicators.all()),
        )
        for g in sgs
    )
    pg_nodes = tuple(
        PerformanceGoalNode(
            g.pk,
            f"Prestationsmål {g.code}".strip(),
            tuple(s.pk for s in g.safety_goals.all()),
            len(g.indicators.all()),
            len(g.measures.all()),
        )
        for g in pgs
    )
    labels = {("sakerhetsmal", n.id): n.label for n in sg_nodes} | {
        ("prestationsmal", n.id): n.label for n in pg_nodes
    }
    smart = tuple(
        SmartVerdict(
            kind,
            pk,
            labels[(kind, pk)],
            result.status,
            tuple(name for name, c in result.criteria.items() if c.status == "brist"),
            tuple(name for name, c in result.criteria.items() if c.status == "okant"),
        )
        for (kind, pk), result in goals.smart_results([*sgs, *pgs]).items()
    )
    indicators = list(
        Indicator.objects.filter(version=version).select_related("version__programme").order_by("id")
    )
    years: dict[int, set[int]] = {}
    rows: dict[int, list[Measurement]] = {}
    current = Measurement.objects.filter(
        series_id__in=[i.series_id for i in indicators], replaced_at__isnull=True
    )
    for m in current:
        years.setdefault(m.series_id, set()).add(m.year)
        rows.setdefault(m.series_id, []).append(m)
    indicator_facts = tuple(
        IndicatorFact(
            i.pk,
            i.name,
            "sakerhetsmal" if i.safety_goal_id else "prestationsmal",
            i.safety_goal_id or i.performance_goal_id or 0,
            tuple(sorted(years.get(i.series_id, ()))),
            tuple(
                note
                for severity, note in indicator_notes(i, rows.get(i.series_id, ()), today)
                if severity == "fel"
            ),
        )
        for i in indicators
    )
    has_register, latest = latest_incident(version.organisation)
    _, matrix = risk_matrix()
    return ProgrammeFacts(
        today=today,
        version=_version_facts(version),
        chapters=chapters,
        risks=tuple(RiskFact(r.pk, r.title, r.accident_type, r.likelihood, r.consequence) for r in risks),
        capabilities=capabilities,
        safety_goals=sg_nodes,
        performance_goals=pg_nodes,
        matrix_levels=(len(version.likelihood_labels) or 5, len(version.consequence_labels) or 5),
        high_share=matrix.high_share,
        smart=smart,
        indicators=indicator_facts,
        incidents_available=has_register,
        latest_incident_alarm=latest,
        distributions=tuple(DistributionFact(d.recipient, d.sent_on, d.name) for d in distributions(version)),
        ports_relevant=ports_relevant(version.organisation),
        authority_name=settings.LSOPLAN_AUTHORITY_NAME,
    )


def live_evaluation(version: ProgrammeVersion, today: dt.date | None = None) -> Evaluation:
    """Egenkontroll of the version as it is now, computed once per data version and day."""
    today = today or timezone.localdate()
    return dataversion.cached(
        version.organisation_id,
        "egenkontroll",
        (version.pk, today, settings.LSOPLAN_AUTHORITY_NAME),
        lambda: evaluate(build_facts(version, today)),
    )


def distributions(version: ProgrammeVersion) -> list[Distribution]:
    return list(Distribution.objects.filter(version=version).order_by("sent_on", "id"))


def runs(version: ProgrammeVersion, limit: int = 50) -> list[CheckRun]:
    return list(CheckRun.objects.filter(version=version).select_related("run_by")[:limit])


def latest_run(version: ProgrammeVersion) -> CheckRun | None:
    return CheckRun.objects.filter(version=version).first()


def run_findings(run: CheckRun) -> list[Finding]:
    return [Finding.from_json(raw) for raw in run.findings]
