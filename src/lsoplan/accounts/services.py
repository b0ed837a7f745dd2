"""Organisations and members: what the operator CLI and the administrator pages write."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction

from lsoplan.accounts.models import Membership, Municipality, Organisation, Role
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor


@transaction.atomic
def create_organisation(
    actor: Actor, *, slug: str, name: str, municipality_codes: Iterable[str]
) -> Organisation:
    codes = list(dict.fromkeys(municipality_codes))
    if not codes:
        raise ValidationError({"municipalities": "Ange minst en kommunkod."})
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"municipalities": f"Okänd kommunkod: {', '.join(unknown)}."})
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"Organisationen '{slug}' finns redan."})
    org = Organisation(slug=slug, name=name)
    org.full_clean()
    org.save()
    org.municipalities.set([found[c] for c in codes])
    audit.record(actor, _AsOwned(org), "create", {"name": [None, name], "municipalities": [None, codes]})
    return org


class _AsOwned:
    """Lets an Organisation be recorded in its own audit trail."""

    def __init__(self, org: Organisation) -> None:
        self.pk = org.pk
        self.organisation_id = org.pk
        self._meta = org._meta
        self._str = str(org)

    def __str__(self) -> str:
        return self._str


@transaction.atomic
def create_user(
    actor: Actor, *, username: str, organisation: Organisation, role: str, password: str | None = None
) -> AbstractUser:
    if role not in Role.values:
        raise ValidationError({"role": f"Okänd roll '{role}'. Välj lasare, redaktor eller administrator."})
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if password:
        user.set_password(password)
        user.save()
    elif created:
        user.set_unusable_password()
        user.save()
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit.record(actor, membership, "create", {"user": [None, username], "role": [None, role]})
    return user


@transaction.atomic
def update_organisation(actor: Actor, organisation: Organisation, *, name: str) -> Organisation:
    """The organisation's settings an administrator may change in the web UI: its name."""
    if not name.strip():
        raise ValidationError({"name": "Ange organisationens namn."})
    old = Organisation.objects.get(pk=organisation.pk).name
    organisation.name = name.strip()
    organisation.full_clean()
    organisation.save(update_fields=["name"])
    if old != organisation.name:
        audit.record(actor, _AsOwned(organisation), "update", {"name": [old, organisation.name]})
    return organisation
