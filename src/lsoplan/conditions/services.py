"""Writes to local conditions: risks with their vulnerabilities and capabilities."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lsoplan.audit import services as audit
from lsoplan.audit.services import Actor
from lsoplan.conditions.models import Capability, Risk, Vulnerability
from lsoplan.programmes.models import ProgrammeVersion


def _check_scale(version: ProgrammeVersion, likelihood: int, consequence: int) -> None:
    errors = {}
    if not 1 <= likelihood <= len(version.likelihood_labels):
        errors["likelihood"] = f"Sannolikheten ska vara mellan 1 och {len(version.likelihood_labels)}."
    if not 1 <= consequence <= len(version.consequence_labels):
        errors["consequence"] = f"Konsekvensen ska vara mellan 1 och {len(version.consequence_labels)}."
    if errors:
        raise ValidationError(errors)


def _check_type(fields: dict[str, Any]) -> None:
    if not fields.get("event_type") and not (fields.get("custom_type") or "").strip():
        raise ValidationError({"event_type": "Välj en händelsetyp eller skriv en egen olyckstyp."})


def create_risk(actor: Actor, version: ProgrammeVersion, **fields: Any) -> Risk:
    _check_type(fields)
    _check_scale(version, fields["likelihood"], fields["consequence"])
    return audit.create(actor, Risk, organisation=version.organisation, version=version, **fields)


def update_risk(actor: Actor, risk: Risk, **fields: Any) -> Risk:
    merged = {"event_type": risk.event_type, "custom_type": risk.custom_type, **fields}
    _check_type(merged)
    _check_scale(
        risk.version, fields.get("likelihood", risk.likelihood), fields.get("consequence", risk.consequence)
    )
    return audit.update(actor, risk, **fields)


@transaction.atomic
def delete_risk(actor: Actor, risk: Risk) -> Risk:
    """The risk with its vulnerabilities and capabilities; säkerhetsmål only lose the link."""
    audit.ensure_editable(risk)
    for child in [*risk.vulnerabilities.all(), *risk.capabilities.all()]:
        audit.delete(actor, child)
    audit.delete(actor, risk)
    return risk


def add_vulnerability(actor: Actor, risk: Risk, description: str) -> Vulnerability:
    return audit.create(
        actor,
        Vulnerability,
        organisation=risk.organisation,
        version=risk.version,
        risk=risk,
        description=description,
    )


def add_capability(actor: Actor, version: ProgrammeVersion, **fields: Any) -> Capability:
    return audit.create(actor, Capability, organisation=version.organisation, version=version, **fields)


def update_vulnerability(actor: Actor, vulnerability: Vulnerability, *, description: str) -> Vulnerability:
    if not description.strip():
        raise ValidationError({"description": "Beskriv sårbarheten."})
    return audit.update(actor, vulnerability, description=description.strip())


def delete_vulnerability(actor: Actor, vulnerability: Vulnerability) -> Vulnerability:
    audit.delete(actor, vulnerability)
    return vulnerability


def update_capability(actor: Actor, capability: Capability, **fields: Any) -> Capability:
    risk = fields.get("risk")
    if risk is not None and risk.version_id != capability.version_id:
        raise ValidationError({"risk": "Kopplingar får bara göras inom samma programversion."})
    return audit.update(actor, capability, **fields)


def delete_capability(actor: Actor, capability: Capability) -> Capability:
    audit.delete(actor, capability)
    return capability
