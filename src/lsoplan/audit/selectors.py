"""Reading the audit trail: one object's history, scoped to the reader's organisations.

The history is read from the audit entries themselves, not from the object: every entry carries
its organisation, so scoping needs no list of models, every link in an audit table resolves
(cost–benefit analyses, check runs and distribution records alike), and the history of a deleted
object stays readable.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from lsoplan.accounts.access import get_for_user, organisations_of
from lsoplan.accounts.models import Organisation
from lsoplan.audit.models import AuditEntry


def _owned_model(label: str) -> Any | None:
    """The model named by an ``app.model`` label if its rows belong to an organisation."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    try:
        field = model._meta.get_field("organisation")
    except FieldDoesNotExist:
        return None
    return model if getattr(field, "related_model", None) is Organisation else None


def object_history(user: Any, label: str, object_id: str) -> tuple[str, QuerySet[AuditEntry]] | None:
    """(what the object is called, its entries, newest first), or None when the user may not see it."""
    entries = AuditEntry.objects.filter(
        model=label, object_id=str(object_id), organisation__in=organisations_of(user)
    ).select_related("actor")
    latest = entries.first()
    if latest is not None:
        return latest.object_repr, entries
    # An object of the user's organisations that has no entries yet has an empty history.
    model = _owned_model(label)
    if model is None:
        return None
    try:
        obj = get_for_user(user, model._default_manager.all(), pk=object_id)
    except Exception:  # Http404, or an id of the wrong type
        return None
    return str(obj), entries
