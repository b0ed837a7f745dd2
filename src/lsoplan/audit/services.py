"""Every write to programme data goes through here, so every write leaves an audit entry.

Domain services (``conditions.services``, ``goals.services`` …) validate and then call
``create``/``update``/``delete``; these take a snapshot before and after, refuse writes to a
frozen (adopted) version, and record each changed field with its old and new value.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from lsoplan.audit import dataversion
from lsoplan.audit.models import Action, AuditEntry

M = TypeVar("M", bound=models.Model)


class FrozenVersionError(Exception):
    """The object belongs to an adopted or replaced version, which must not change."""

    def __init__(self) -> None:
        super().__init__(
            "Versionen är antagen och kan inte ändras. Skapa ett nytt utkast för att göra ändringar."
        )


@dataclass(frozen=True)
class Actor:
    user: Any  # a User, or None for the command line and the demo loader
    label: str

    @classmethod
    def of(cls, user: AbstractBaseUser | AnonymousUser | None, fallback: str = "system") -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(None, fallback)
        return cls(user, user.get_username())


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # an uploaded file: its stored name
        return value.name or ""
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Field values as the audit trail stores them: concrete fields by attname, m2m as sorted ids."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "organisation", "lineage"}:
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def _version_id(obj: models.Model) -> int | None:
    from lsoplan.programmes.models import ProgrammeVersion

    if isinstance(obj, ProgrammeVersion):
        return obj.pk
    return getattr(obj, "version_id", None)


def ensure_editable(obj: models.Model) -> None:
    version = getattr(obj, "version", None)
    if version is not None and version.is_frozen:
        raise FrozenVersionError()


def _content_of_version(obj: models.Model) -> int | None:
    """The version whose own content ``obj`` is (a risk, a goal, a chapter …), else None."""
    from lsoplan.programmes.models import Versioned

    return obj.version_id if isinstance(obj, Versioned) else None


def record(actor: Actor, obj: Any, action: str, changes: Mapping[str, Any]) -> AuditEntry:
    # Every audited write changes the organisation's data version: cached page results keyed by
    # the old number are never read again (audit.dataversion). In the writer's transaction.
    dataversion.bump(obj.organisation_id, version_id=_content_of_version(obj))
    return AuditEntry.objects.create(
        organisation_id=obj.organisation_id,
        actor=actor.user,
        actor_label=actor.label[:150],
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        version_id=_version_id(obj),
        changes=dict(changes),
    )


def _set_m2m(obj: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(list(values))


@transaction.atomic
def create(
    actor: Actor, model: type[M], *, m2m: Mapping[str, Iterable[Any]] | None = None, **fields: Any
) -> M:
    obj = model(**fields)
    ensure_editable(obj)
    obj.full_clean(exclude=list(m2m or {}))
    obj.save()
    _set_m2m(obj, m2m)
    record(actor, obj, Action.CREATE, {k: [None, v] for k, v in snapshot(obj).items()})
    return obj


@transaction.atomic
def update(actor: Actor, obj: M, *, m2m: Mapping[str, Iterable[Any]] | None = None, **fields: Any) -> M:
    ensure_editable(obj)
    # The stored row, not ``obj``: a bound ModelForm has already written the new values into obj.
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=list(m2m or {}))
    obj.save()
    _set_m2m(obj, m2m)
    changes = diff(before, snapshot(obj))
    if changes:
        record(actor, obj, Action.UPDATE, changes)
    return obj


@transaction.atomic
def delete(actor: Actor, obj: models.Model) -> None:
    ensure_editable(obj)
    before = snapshot(obj)
    record(actor, obj, Action.DELETE, {k: [v, None] for k, v in before.items()})
    obj.delete()
