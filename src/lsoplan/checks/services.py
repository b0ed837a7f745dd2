"""Writes for egenkontroll: saving a run, recording the distribution, answering the ports question.

All three are allowed on an adopted (frozen) version: checking an adopted programme and sending it
to the länsstyrelse are exactly what happens after adoption. So these services write the row
themselves and call ``audit.record`` instead of ``audit.create``, which refuses frozen versions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.checks import selectors
from lsoplan.checks.models import CheckProfile, CheckRun, Distribution
from lsoplan.lib.compliance import Evaluation
from lsoplan.programmes.models import ProgrammeVersion


@transaction.atomic
def save_run(actor: Actor, version: ProgrammeVersion, evaluation: Evaluation) -> CheckRun:
    summary = evaluation.summary
    run = CheckRun(
        organisation=version.organisation,
        version=version,
        run_by=actor.user,
        run_by_label=actor.label[:150],
        rules_version=evaluation.rules_version,
        ok=summary["ok"],
        brist=summary["brist"],
        okant=summary["okant"],
        ej_tillampliga=summary["ej_tillämplig"],
        krav_brist=summary["krav_brist"],
        findings=[f.to_json() for f in evaluation.findings],
    )
    run.full_clean()
    run.save()
    # The audit entry is the "who checked what and when"; the findings themselves stay on the run.
    audit.record(
        actor,
        run,
        Action.CREATE,
        {
            "rules_version": [None, run.rules_version],
            "brist": [None, run.brist],
            "krav_brist": [None, run.krav_brist],
            "okant": [None, run.okant],
        },
    )
    return run


def run_checks(actor: Actor, version: ProgrammeVersion, *, today: dt.date | None = None) -> CheckRun:
    """Evaluate the version as it stands now and keep the result."""
    return save_run(actor, version, selectors.live_evaluation(version, today))


@transaction.atomic
def add_distribution(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    recipient: str,
    sent_on: dt.date,
    name: str = "",
    note: str = "",
) -> Distribution:
    if not version.is_frozen:
        raise ValidationError(
            "Utskick enligt förordningen 3 kap. 4 § registreras när versionen är antagen. "
            "Samrådet registreras som remiss på versionens översikt."
        )
    errors: dict[str, Any] = {}
    if sent_on > timezone.localdate():
        errors["sent_on"] = "Datumet ligger i framtiden. Registrera utskicket när det är gjort."
    elif version.adopted_on and sent_on < version.adopted_on:
        errors["sent_on"] = f"Utskicket kan inte ligga före beslutsdatumet {version.adopted_on:%Y-%m-%d}."
    if errors:
        raise ValidationError(errors)
    distribution = Distribution(
        organisation=version.organisation,
        version=version,
        recipient=recipient,
        sent_on=sent_on,
        name=name.strip(),
        note=note.strip(),
    )
    distribution.full_clean()
    distribution.save()
    audit.record(
        actor, distribution, Action.CREATE, {k: [None, v] for k, v in audit.snapshot(distribution).items()}
    )
    return distribution


@transaction.atomic
def delete_distribution(actor: Actor, distribution: Distribution) -> Distribution:
    before = audit.snapshot(distribution)
    audit.record(actor, distribution, Action.DELETE, {k: [v, None] for k, v in before.items()})
    distribution.delete()
    return distribution


@transaction.atomic
def set_ports_relevant(actor: Actor, organisation: Organisation, value: bool | None) -> CheckProfile:
    profile, created = CheckProfile.objects.select_for_update().get_or_create(organisation=organisation)
    old = None if created else profile.ports_relevant
    if created or old != value:
        profile.ports_relevant = value
        profile.save()
        audit.record(
            actor, profile, Action.CREATE if created else Action.UPDATE, {"ports_relevant": [old, value]}
        )
    return profile


def _check_sent_on(version: ProgrammeVersion, sent_on: dt.date) -> None:
    # The same rule as add_distribution's; kept beside it so a change to one is seen in the other.
    if sent_on > timezone.localdate():
        raise ValidationError(
            {"sent_on": "Datumet ligger i framtiden. Registrera utskicket när det är gjort."}
        )
    if version.adopted_on and sent_on < version.adopted_on:
        raise ValidationError(
            {"sent_on": f"Utskicket kan inte ligga före beslutsdatumet {version.adopted_on:%Y-%m-%d}."}
        )


@transaction.atomic
def update_distribution(
    actor: Actor,
    distribution: Distribution,
    *,
    recipient: str,
    sent_on: dt.date,
    name: str = "",
    note: str = "",
) -> Distribution:
    """A corrected distribution record. It belongs to an adopted version by nature, so it is written
    here (not by ``audit.update``, which refuses every object of a frozen version)."""
    _check_sent_on(distribution.version, sent_on)
    before = audit.snapshot(Distribution.objects.get(pk=distribution.pk))
    distribution.recipient = recipient
    distribution.sent_on = sent_on
    distribution.name = name.strip()
    distribution.note = note.strip()
    distribution.full_clean()
    distribution.save()
    changes = audit.diff(before, audit.snapshot(distribution))
    if changes:
        audit.record(actor, distribution, Action.UPDATE, changes)
    return distribution
