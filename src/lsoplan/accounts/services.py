"""Organisations and members: what the operator CLI and the administrator pages write.

Creating an account and changing one are separate services, each audited on the membership of the
organisation concerned: ``create_user`` refuses a name that is taken (by its canonical spelling,
``lib.usernames``); ``change_role`` records the old and the new role; ``set_password`` records that
the password changed, never the password; ``deactivate_member`` keeps the membership (and so the
name in the audit trail) but takes away its access.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lsoplan.accounts.backends import find_user
from lsoplan.accounts.models import Membership, Municipality, Organisation, Role
from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor
from lsoplan.lib.geo.settings import check_acceptable_minutes, check_suppression_threshold
from lsoplan.lib.usernames import canonical_username

# What the audit trail shows for a password change: that it happened, not what it became.
PASSWORD_CHANGED = "ändrat"
PASSWORD_SET = "satt"


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


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Okänd roll '{role}'. Välj lasare, redaktor eller administrator."})


def check_password(password: str, user: User) -> None:
    """Django's validators, with the account so that a password like the user name is refused."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def create_user(
    actor: Actor,
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A new account with a role in one organisation; a name already taken is refused."""
    _check_role(role)
    name = canonical_username(username)
    if find_user(username) is not None or find_user(name) is not None:
        raise ValidationError({"username": f"Användarnamnet '{name}' är redan upptaget."})
    user_model = get_user_model()
    user = user_model(username=name, first_name=first_name, last_name=last_name, email=email)
    user.full_clean(exclude=["password"])
    if password:
        check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    changes: dict[str, Any] = {"user": [None, name], "role": [None, role]}
    if password:
        changes["password"] = [None, PASSWORD_SET]
    audit.record(actor, membership, "create", changes)
    return user


@transaction.atomic
def add_member(actor: Actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Give an existing account a role in an organisation (or back the access it had there)."""
    _check_role(role)
    found = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if found is None:
        created = Membership.objects.create(user=user, organisation=organisation, role=role)
        audit.record(actor, created, "create", {"user": [None, user.get_username()], "role": [None, role]})
        return created
    if not found.active:
        reactivate_member(actor, found)
    return change_role(actor, found, role)


def _active_admins(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMINISTRATOR, active=True).count()


@transaction.atomic
def change_role(actor: Actor, membership: Membership, role: str) -> Membership:
    """A new role, audited with the old one; the last administrator cannot step down."""
    _check_role(role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.role
    if old == role:
        return membership
    if old == Role.ADMINISTRATOR and membership.active and _active_admins(membership.organisation) <= 1:
        raise ValidationError(
            {"role": "Organisationen måste ha minst en aktiv administratör; utse en annan först."}
        )
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(actor, membership, "update", {"role": [old, role]})
    return membership


@transaction.atomic
def set_password(actor: Actor, user: User, password: str) -> User:
    """A new password, validated against the account; audited in each of the user's organisations."""
    check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    for membership in Membership.objects.filter(user=user):
        audit.record(actor, membership, "update", {"password": [None, PASSWORD_CHANGED]})
    return user


@transaction.atomic
def update_user(
    actor: Actor,
    user: User,
    *,
    organisation: Organisation,
    role: str | None = None,
    password: str | None = None,
) -> User:
    """What ``lsoplan user create --update`` does: the role in one organisation and/or the password."""
    if role is not None:
        add_member(actor, user, organisation, role)
    if password:
        set_password(actor, user, password)
    return user


@transaction.atomic
def deactivate_member(actor: Actor, membership: Membership) -> Membership:
    """Take away a member's access to the organisation; the row and the audit trail keep the name."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.active:
        return membership
    if membership.role == Role.ADMINISTRATOR and _active_admins(membership.organisation) <= 1:
        raise ValidationError(
            {"active": "Organisationen måste ha minst en aktiv administratör; utse en annan först."}
        )
    membership.active = False
    membership.save(update_fields=["active"])
    audit.record(actor, membership, "update", {"active": [True, False]})
    return membership


@transaction.atomic
def reactivate_member(actor: Actor, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.active:
        return membership
    membership.active = True
    membership.save(update_fields=["active"])
    audit.record(actor, membership, "update", {"active": [False, True]})
    return membership


def update_organisation(
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    published: bool | None = None,
    citizen_view_retention_months: int | None = None,
    acceptable_minutes: int | None = None,
    suppression_threshold: int | None = None,
) -> Organisation:
    """The organisation's settings an administrator may change in the web UI: its name, the
    godtagbar tid and the privacy threshold for published maps, whether it has a public page and
    how long citizens' views are kept (None: unchanged; each change audited)."""
    if not name.strip():
        raise ValidationError({"name": "Ange organisationens namn."})
    old = Organisation.objects.get(pk=organisation.pk)
    wanted: dict[str, Any] = {"name": name.strip()}
    if acceptable_minutes is not None:
        wanted["acceptable_minutes"] = acceptable_minutes
    if suppression_threshold is not None:
        wanted["suppression_threshold"] = suppression_threshold
    issues = [
        *(check_acceptable_minutes(acceptable_minutes) if acceptable_minutes is not None else []),
        *(check_suppression_threshold(suppression_threshold) if suppression_threshold is not None else []),
    ]
    if issues:
        raise ValidationError({i.field: i.message for i in issues})
    for field, value in wanted.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save(update_fields=list(wanted))
    changes = {f: [getattr(old, f), v] for f, v in wanted.items() if getattr(old, f) != v}
    if changes:
        audit.record(actor, _AsOwned(organisation), "update", changes)
    if published is not None or citizen_view_retention_months is not None:
        set_publication(
            actor,
            organisation,
            published=organisation.published if published is None else published,
            retention_months=citizen_view_retention_months,
        )
    return organisation


@transaction.atomic
def set_publication(
    actor: Actor,
    organisation: Organisation,
    *,
    published: bool,
    retention_months: int | None = None,
) -> Organisation:
    """Publish the organisation's public page (or take it down), and how long citizens' views are
    kept; audited on the organisation. Used by ``lsoplan org publish`` and the settings page."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changes: dict[str, Any] = {}
    if org.published != published:
        changes["published"] = [org.published, published]
        org.published = published
    if retention_months is not None and retention_months != org.citizen_view_retention_months:
        if not 1 <= retention_months <= 120:
            raise ValidationError(
                {"citizen_view_retention_months": "Ange ett antal månader mellan 1 och 120."}
            )
        changes["citizen_view_retention_months"] = [org.citizen_view_retention_months, retention_months]
        org.citizen_view_retention_months = retention_months
    if changes:
        org.save(update_fields=["published", "citizen_view_retention_months"])
        audit.record(actor, _AsOwned(org), "update", changes)
    organisation.published = org.published
    organisation.citizen_view_retention_months = org.citizen_view_retention_months
    return org
