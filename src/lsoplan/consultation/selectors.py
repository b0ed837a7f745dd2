"""Reading the consultation: a link's party, the responses grouped as the planner reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.consultation.models import Consultation, Party, Response
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.lib import remiss
from lsoplan.programmes.models import Chapter, ProgrammeVersion, VersionStatus

# What a link can be: usable, or why not (the party page says so in Swedish).
OK, REVOKED, EXPIRED, CLOSED = "ok", "revoked", "expired", "closed"


def party_by_token(token: str) -> Party | None:
    """The party whose link this is, or None for an unknown (or malformed) secret."""
    if not token or len(token) > 100:
        return None
    return (
        Party.objects.select_related("version__programme", "organisation")
        .filter(token_digest=remiss.digest(token))
        .first()
    )


def link_state(party: Party) -> str:
    version = party.version
    if party.revoked_at is not None:
        return REVOKED
    if remiss.is_expired(version.consultation_to, settings.LSOPLAN_REMISS_GRACE_DAYS, timezone.localdate()):
        return EXPIRED
    if version.status != VersionStatus.REMISS:
        return CLOSED
    return OK


def public_remiss(slug: str) -> ProgrammeVersion | None:
    """The organisation's version on public remiss, if any (open, not past its grace period)."""
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        return None
    found = (
        Consultation.objects.select_related("version__programme", "version__organisation")
        .filter(organisation=org, public=True, version__status=VersionStatus.REMISS)
        .first()
    )
    if found is None:
        return None
    version = found.version
    if remiss.is_expired(version.consultation_to, settings.LSOPLAN_REMISS_GRACE_DAYS, timezone.localdate()):
        return None
    return version


def parties(version: ProgrammeVersion) -> QuerySet[Party]:
    found = Party.objects.filter(version=version).annotate(n_responses=Count("responses"))
    return found.order_by("name", "id")


def responses(version: ProgrammeVersion) -> QuerySet[Response]:
    return (
        Response.objects.filter(version=version)
        .select_related("party", "chapter", "safety_goal", "performance_goal")
        .prefetch_related("changed_chapters", "changed_safety_goals", "changed_performance_goals")
        .order_by("submitted_at", "id")
    )


def undecided(version: ProgrammeVersion) -> list[Response]:
    return [r for r in responses(version) if not r.decision]


@dataclass
class Group:
    """Responses about one subject: the whole programme, a chapter or a goal."""

    key: str
    heading: str
    items: list[Response] = field(default_factory=list)


def targets(version: ProgrammeVersion) -> list[tuple[str, str, Any]]:
    """(key, label, object) for every subject a response can be about, in document order."""
    found: list[tuple[str, str, Any]] = [("", "Hela programmet", None)]
    for c in Chapter.objects.filter(version=version).order_by("order"):
        found.append((f"kapitel-{c.pk}", f"Kapitel {c.number} {c.title}", c))
    for g in SafetyGoal.objects.filter(version=version).order_by("code", "id"):
        found.append((f"sakerhetsmal-{g.pk}", f"Säkerhetsmål {g.code}: {g.text}"[:160], g))
    for p in PerformanceGoal.objects.filter(version=version).order_by("code", "id"):
        found.append((f"prestationsmal-{p.pk}", f"Prestationsmål {p.code}: {p.text}"[:160], p))
    return found


def key_of(response: Response) -> str:
    if response.safety_goal_id is not None:
        return f"sakerhetsmal-{response.safety_goal_id}"
    if response.performance_goal_id is not None:
        return f"prestationsmal-{response.performance_goal_id}"
    if response.chapter_id is not None:
        return f"kapitel-{response.chapter_id}"
    return ""


def grouped(version: ProgrammeVersion) -> list[Group]:
    """The responses per subject, in document order; subjects nobody wrote about are left out."""
    groups = {key: Group(key, label) for key, label, _ in targets(version)}
    for r in responses(version):
        groups.setdefault(key_of(r), Group(key_of(r), r.about)).items.append(r)
    return [g for g in groups.values() if g.items]
