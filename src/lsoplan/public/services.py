"""Writes of the public app, each audited. The public pages call ONE of them,
``submit_citizen_view`` (anonymous, throttled per address); the rest are the planner's.

The audit trail records that an entry came, was categorised, linked or deleted, but never its text
or e-mail address: deleting an entry (by hand or at the end of the retention period) then really
removes what the person wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor, record
from lsoplan.ops.throttle import client_address
from lsoplan.public.models import Category, CitizenView

__all__ = [
    "PUBLIC_ACTOR",
    "Throttled",
    "client_address",
    "delete_citizen_view",
    "delete_expired_citizen_views",
    "submit_citizen_view",
    "update_citizen_view",
]

PUBLIC_ACTOR = Actor(None, "allmänheten")
RETENTION_ACTOR = Actor(None, "gallring")


class Throttled(Exception):
    """Too many submissions from one address within the window."""

    def __init__(self, minutes: int) -> None:
        super().__init__(
            f"Du har skickat många synpunkter på kort tid. Vänta {minutes} minuter och försök igen."
        )


def _limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "LSOPLAN_PUBLIC_VIEWS_PER_ADDRESS", 5)),
        int(getattr(settings, "LSOPLAN_PUBLIC_VIEWS_WINDOW_SECONDS", 3600)),
    )


def _admit(address: str) -> None:
    """Count the attempt first, then compare, so concurrent posts cannot slip past the limit.

    The count lives in Django's cache (shared by every worker when the cache is shared, e.g.
    Redis or the database cache; per process with the default local-memory cache)."""
    limit, window = _limit()
    key = "lsoplan:public-view:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise Throttled(max(1, round(window / 60)))


def _fields(view: CitizenView) -> dict[str, Any]:
    """What the audit trail may keep of an entry: no text, no address."""
    return {
        "rating": view.rating,
        "area": view.area,
        "contact_requested": view.contact_requested,
        "category": view.category,
        "evaluation": view.evaluation_id,
    }


@transaction.atomic
def submit_citizen_view(
    organisation: Organisation,
    *,
    address: str,
    text: str,
    rating: int | None = None,
    area: str = "",
    contact_requested: bool = False,
    email: str = "",
) -> CitizenView:
    """A citizen's view from the public page; refused (``Throttled``) after too many from one
    address. Only a published organisation takes views; an e-mail is kept only with a wish to be
    contacted, and is then required."""
    if not organisation.published:
        raise ValidationError("Organisationen tar inte emot synpunkter.")
    _admit(address)
    text = text.strip()
    email = email.strip() if contact_requested else ""
    if contact_requested and not email:
        raise ValidationError({"email": "Ange din e-postadress om du vill bli kontaktad."})
    view = CitizenView(
        organisation=organisation,
        text=text,
        rating=rating,
        area=area.strip(),
        contact_requested=contact_requested,
        email=email,
        received_at=timezone.now(),
    )
    view.full_clean()
    view.save()
    record(PUBLIC_ACTOR, view, Action.CREATE, {k: [None, v] for k, v in _fields(view).items()})
    return view


@transaction.atomic
def update_citizen_view(
    actor: Actor, view: CitizenView, *, category: str, evaluation: Any = None
) -> CitizenView:
    """The planner's handling: a category and, optionally, the evaluation it is evidence for."""
    if category not in Category.values:
        raise ValidationError({"category": "Välj en av kategorierna."})
    if evaluation is not None and evaluation.organisation_id != view.organisation_id:
        raise ValidationError({"evaluation": "Välj en utvärdering i den egna organisationen."})
    before = _fields(CitizenView.objects.get(pk=view.pk))
    view.category = category
    view.evaluation = evaluation
    view.full_clean()
    view.save(update_fields=["category", "evaluation"])
    changes = {k: [before[k], v] for k, v in _fields(view).items() if before[k] != v}
    if changes:
        record(actor, view, Action.UPDATE, changes)
    return view


@transaction.atomic
def delete_citizen_view(actor: Actor, view: CitizenView) -> CitizenView:
    record(actor, view, Action.DELETE, {k: [v, None] for k, v in _fields(view).items()})
    CitizenView.objects.filter(pk=view.pk).delete()
    return view


def expiry(organisation: Organisation, now: dt.datetime) -> dt.datetime:
    """Entries received before this moment are past the organisation's retention period."""
    months = organisation.citizen_view_retention_months
    year, month = divmod(now.month - 1 - months, 12)
    day = min(now.day, 28)  # a month's last days need not exist months earlier; err on keeping
    return now.replace(year=now.year + year, month=month + 1, day=day)


def delete_expired_citizen_views(now: dt.datetime | None = None, actor: Actor = RETENTION_ACTOR) -> int:
    """Delete every entry past its organisation's retention period, each audited; the count."""
    now = now or timezone.now()
    deleted = 0
    for org in Organisation.objects.all():
        for view in CitizenView.objects.filter(organisation=org, received_at__lt=expiry(org, now)):
            delete_citizen_view(actor, view)
            deleted += 1
    return deleted
