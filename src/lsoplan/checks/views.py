"""The egenkontroll page: a live evaluation, saved runs, the distribution list and the ports question."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lsoplan.accounts.access import get_for_user
from lsoplan.checks import selectors, services
from lsoplan.checks.forms import DistributionForm, PortsForm
from lsoplan.checks.models import CheckRun
from lsoplan.lib.compliance import STATUS_LABELS, Finding, Rule, RuleSet, Target, load_rules, worst
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.web.viewutils import actor, editable, run_service, version_context, version_for

STAGE = "egenkontroll"
# Target kind → (URL name, anchor). Version-wide kinds take the version id, the others the object's.
TARGET_URLS: dict[str, tuple[str, str]] = {
    "version": ("version_overview", ""),
    "consultation": ("version_consultation", ""),
    "chapters": ("version_chapters", ""),
    "chapter": ("chapter_edit", ""),
    "conditions": ("version_conditions", ""),
    "risk": ("risk_detail", ""),
    "capabilities": ("version_conditions", "#cap-h"),
    "capability_create": ("capability_create", ""),
    "goals": ("version_goals", ""),
    "indicator": ("indicator_detail", ""),
    "incidents": ("version_incidents", ""),
    "distribution": ("version_checks", "#utskick"),
    "ports": ("version_checks", "#hamnar"),
}
BADGE = {"ok": "badge ok", "brist": "badge brist", "okant": "badge", "ej_tillämplig": "badge"}


def _reverse(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page another app has not built yet: show the finding without a link
        return None


def target_url(target: Target | None, version: ProgrammeVersion) -> str | None:
    if target is None or target.object_id is None:
        return None
    if target.kind in ("sakerhetsmal", "prestationsmal"):
        return _reverse("goal_detail", kind=target.kind, pk=target.object_id)
    if version.is_frozen and target.kind == "chapter":
        # An adopted version cannot be edited: point at the chapter where it can be read.
        url = _reverse("version_chapters", pk=version.pk)
        return f"{url}#ch-{target.object_id}" if url else None
    if version.is_frozen and target.kind == "capability_create":
        url = _reverse("version_conditions", pk=version.pk)
        return f"{url}#cap-h" if url else None
    name, anchor = TARGET_URLS[target.kind]
    url = _reverse(name, pk=target.object_id)
    return f"{url}{anchor}" if url else None


def action_base(version: ProgrammeVersion) -> str:
    """Where an improvement action is created; the learning app owns that page."""
    return _reverse("action_create", pk=version.pk) or f"/version/{version.pk}/larande/ny/"


@dataclass
class FindingRow:
    finding: Finding
    url: str | None


@dataclass
class RuleRow:
    rule: Rule
    status: str
    badge: str
    label: str
    findings: list[FindingRow]
    action_url: str | None  # an improvement action is made per rule, from a saved run


@dataclass
class AreaGroup:
    key: str
    label: str
    rows: list[RuleRow] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(1 for r in self.rows if r.status == "brist")


def group(
    findings: list[Finding],
    ruleset: RuleSet,
    version: ProgrammeVersion,
    *,
    run: CheckRun | None,
    brist_in_run: set[str],
) -> list[AreaGroup]:
    """Findings by area and rule, in the rules file's order, each with its links."""
    base = action_base(version)
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    rules = {r.id: r for r in ruleset.rules}
    areas = {key: AreaGroup(key, label) for key, label in ruleset.areas}
    for rule_id, found in by_rule.items():
        rule = rules.get(rule_id)
        if rule is None:  # a saved run from an older rule set
            first = found[0]
            rule = Rule(
                rule_id, first.area, first.title, first.reference, "", first.severity, first.verified, ""
            )
        rows = [FindingRow(f, target_url(f.target, version)) for f in found]
        status = worst([f.status for f in found])
        action = None
        if run is not None and status == "brist" and rule_id in brist_in_run:
            query = urlencode({"kalla": "egenkontroll", "regel": rule_id, "korning": run.pk})
            action = f"{base}?{query}"
        area = areas.setdefault(rule.area, AreaGroup(rule.area, found[0].area))
        area.rows.append(RuleRow(rule, status, BADGE[status], STATUS_LABELS[status], rows, action))
    return [a for a in areas.values() if a.rows]


def _page(
    request: HttpRequest,
    version: ProgrammeVersion,
    *,
    distribution_form: DistributionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ruleset = load_rules()
    evaluation = selectors.live_evaluation(version)
    latest = selectors.latest_run(version)

    @functools.cache
    def latest_findings() -> list[Any]:
        return selectors.run_findings(latest) if latest else []

    def brist_in_run() -> set[str]:
        return {f.rule_id for f in latest_findings() if f.status == "brist"}

    def changed() -> bool:
        if latest is None:
            return False
        findings = latest_findings()
        return any(
            evaluation.rule_status(r.id) != worst([f.status for f in findings if f.rule_id == r.id])
            for r in ruleset.rules
        )

    # Callables and lazy rows: the page parts that show them are usually in the cache.
    context = version_context(request, version, STAGE) | {
        "ruleset": ruleset,
        "summary": evaluation.summary,
        "areas": functools.cache(
            lambda: group(
                list(evaluation.findings), ruleset, version, run=latest, brist_in_run=brist_in_run()
            )
        ),
        "latest": latest,
        "today": timezone.localdate().isoformat(),  # the live egenkontroll is judged on the day
        "changed": changed,
        "runs": functools.cache(lambda: selectors.runs(version)),
        "distributions": functools.cache(lambda: selectors.distributions(version)),
        "distribution_form": distribution_form or DistributionForm(),
        "ports_form": PortsForm(
            initial=PortsForm.initial_for(selectors.ports_relevant(version.organisation))
        ),
    }
    return render(request, "checks/checks.html", context, status=status)


@login_required
def checks(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, version_for(request, pk))


@login_required
@require_POST
def run(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    saved = services.run_checks(actor(request), version)
    messages.success(
        request,
        f"Egenkontrollen är sparad: {saved.brist} regler med brist, varav {saved.krav_brist} krav.",
    )
    return redirect("version_checks", pk=version.pk)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_for_user(request.user, CheckRun.objects.select_related("version__programme", "run_by"), pk=pk)
    version = saved.version
    ruleset = load_rules()
    findings = selectors.run_findings(saved)
    brist = {f.rule_id for f in findings if f.status == "brist"}
    context = version_context(request, version, STAGE) | {
        "run": saved,
        "ruleset": ruleset,
        "areas": group(findings, ruleset, version, run=saved, brist_in_run=brist),
    }
    return render(request, "checks/run_detail.html", context)


@login_required
@require_POST
def distribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = DistributionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.add_distribution(
                actor(request),
                version,
                recipient=d["recipient"],
                sent_on=d["sent_on"],
                name=d["name"],
                note=d["note"],
            ),
        )
        if done is not None:
            messages.success(
                request, f"Utskicket till {done.get_recipient_display().lower()} är registrerat."
            )
            return redirect(reverse("version_checks", kwargs={"pk": version.pk}) + "#utskick")
    return _page(request, version, distribution_form=form, status=400)


@login_required
@require_POST
def ports(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    editable(request, version)
    form = PortsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Svaret om hamnar kunde inte sparas.")
    else:
        services.set_ports_relevant(actor(request), version.organisation, form.value())
        messages.success(request, "Svaret om hamnar är sparat.")
    return redirect(reverse("version_checks", kwargs={"pk": version.pk}) + "#hamnar")
