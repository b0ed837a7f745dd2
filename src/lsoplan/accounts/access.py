"""Who may see and change what. Objects of other organisations are reported as missing (404)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from lsoplan.accounts.models import Membership, Organisation, Role

M = TypeVar("M", bound=models.Model)


def organisations_of(user: Any) -> models.QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    # One filter() call, so that user and active are matched on the same membership row.
    return Organisation.objects.filter(memberships__user=user, memberships__active=True)


def _memberships(user: Any) -> dict[int, Membership]:
    """The user's active memberships by organisation, read once per user object (per request:
    ``request.user`` is loaded anew for each), since every page asks for them several times."""
    found: dict[int, Membership] | None = user.__dict__.get("_lsoplan_memberships")
    if found is None:
        rows = Membership.objects.filter(user=user, active=True).select_related("organisation")
        found = {m.organisation_id: m for m in rows}
        user.__dict__["_lsoplan_memberships"] = found
    return found


def membership(user: Any, organisation_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return _memberships(user).get(organisation_id)


def administered(user: Any) -> list[Organisation]:
    """Organisations whose people page the user may open, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = [m.organisation for m in _memberships(user).values() if m.role == Role.ADMINISTRATOR]
    return sorted(orgs, key=lambda o: o.name)


def get_for_user(user: Any, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """Fetch one object the user's organisations own, or 404 whether it is missing or foreign."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return queryset.get(organisation_id__in=list(_memberships(user)), **lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc


def require_role(user: Any, obj: Any, role: str = Role.REDAKTOR) -> None:
    org_id = obj.pk if isinstance(obj, Organisation) else obj.organisation_id
    found = membership(user, org_id)
    if found is None:
        raise Http404
    if not found.allows(role):
        raise PermissionDenied("Din roll tillåter inte ändringar.")


def can_edit(user: Any, obj: Any) -> bool:
    org_id = obj.pk if isinstance(obj, Organisation) else obj.organisation_id
    found = membership(user, org_id)
    return found is not None and found.allows(Role.REDAKTOR)
