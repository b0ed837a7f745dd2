"""Writes to programmes and versions: creation, consultation, adoption and new drafts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from lsoplan.accounts.models import Organisation
from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.lib import markup
from lsoplan.programmes.models import (
    AdoptionCorrection,
    Chapter,
    Programme,
    ProgrammeVersion,
    VersionStatus,
)
from lsoplan.reference.lso import msbfs_chapters, risk_matrix
from lsoplan.reports.jobs import request_archive

# Swedish general elections are held in September of 2022, 2026, 2030 …; the council's term, and
# so the programme period in practice, runs over the four following calendar years.
FIRST_TERM_START = 2023


def coming_mandate_period(today: dt.date) -> tuple[int, int]:
    start = today.year + 1
    start += (FIRST_TERM_START - start) % 4
    return start, start + 3


@transaction.atomic
def create_programme(
    actor: Actor, organisation: Organisation, *, title: str, period_start: int, period_end: int
) -> Programme:
    if period_end < period_start:
        raise ValidationError({"period_end": "Sista år kan inte ligga före första år."})
    programme = audit.create(
        actor,
        Programme,
        organisation=organisation,
        title=title,
        period_start=period_start,
        period_end=period_end,
    )
    _, matrix = risk_matrix()
    version = audit.create(
        actor,
        ProgrammeVersion,
        organisation=organisation,
        programme=programme,
        number=1,
        status=VersionStatus.UTKAST,
        likelihood_labels=list(matrix.likelihood),
        consequence_labels=list(matrix.consequence),
    )
    _, chapters = msbfs_chapters()
    for order, ref in enumerate(chapters):
        audit.create(
            actor,
            Chapter,
            organisation=organisation,
            version=version,
            key=ref.key,
            number=ref.number,
            title=ref.title,
            order=order,
        )
    return programme


def current_version(programme: Programme) -> ProgrammeVersion:
    """The version a planner works on: the open draft or consultation, else the newest."""
    versions = list(programme.versions.all())
    for version in versions:
        if version.status in (VersionStatus.UTKAST, VersionStatus.REMISS):
            return version
    return versions[0]


def adopted_version(programme: Programme) -> ProgrammeVersion | None:
    return programme.versions.filter(status=VersionStatus.ANTAGEN).first()


def consultation_date_errors(date_from: dt.date, date_to: dt.date | None, today: dt.date) -> dict[str, str]:
    """A consultation is registered when it has been sent: no start in the future, end after start."""
    errors = {}
    if date_from > today:
        errors["consultation_from"] = (
            "Remisstiden kan inte börja i framtiden. Registrera remissen när den är skickad."
        )
    if date_to is not None and date_to <= date_from:
        errors["consultation_to"] = "Remisstiden ska sluta efter att den har börjat."
    return errors


ADOPTION_IN_FUTURE = (
    "Beslutsdatumet kan inte ligga i framtiden. Registrera antagandet när beslutet är fattat."
)


def adoption_date_errors(date: dt.date, consultation_from: dt.date | None, today: dt.date) -> dict[str, str]:
    """A decision is registered once it is taken, and not before the consultation began."""
    if date > today:
        return {"date": ADOPTION_IN_FUTURE}
    if consultation_from is not None and date < consultation_from:
        return {
            "date": f"Beslutsdatumet kan inte ligga före remisstidens början ({consultation_from:%Y-%m-%d})."
        }
    return {}


@transaction.atomic
def send_to_consultation(
    actor: Actor, version: ProgrammeVersion, *, parties: str, date_from: dt.date, date_to: dt.date | None
) -> ProgrammeVersion:
    if version.status != VersionStatus.UTKAST:
        raise ValidationError("Bara ett utkast kan skickas på remiss.")
    if not parties.strip():
        raise ValidationError({"consultation_parties": "Ange vilka myndigheter och parter som får remissen."})
    errors = consultation_date_errors(date_from, date_to, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    return audit.update(
        actor,
        version,
        status=VersionStatus.REMISS,
        consultation_parties=parties,
        consultation_from=date_from,
        consultation_to=date_to,
    )


@transaction.atomic
def adopt(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    body: str,
    date: dt.date,
    paragraph: str,
    registration: str = "",
    acknowledged: Sequence[str] = (),
) -> ProgrammeVersion:
    """Adopt a version: it is frozen from now on, and the version it replaces becomes 'ersatt'.

    ``acknowledged`` names the egenkontroll requirements that failed when the adopter confirmed
    the adoption anyway (the adoption page asks); they are kept in the audit trail with it.
    """
    if version.status not in (VersionStatus.UTKAST, VersionStatus.REMISS):
        raise ValidationError("Versionen är redan antagen eller ersatt.")
    if not paragraph.strip():
        raise ValidationError({"adopted_paragraph": "Ange paragrafnumret i protokollet, t.ex. '§ 45'."})
    errors = adoption_date_errors(date, version.consultation_from, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    for previous in version.programme.versions.filter(status=VersionStatus.ANTAGEN).exclude(pk=version.pk):
        audit.update(actor, previous, status=VersionStatus.ERSATT)
    version = audit.update(
        actor,
        version,
        status=VersionStatus.ANTAGEN,
        adopted_body=body,
        adopted_on=date,
        adopted_paragraph=paragraph,
        adopted_registration=registration.strip(),
    )
    if acknowledged:
        audit.record(actor, version, Action.UPDATE, {"kanda_brister": [None, sorted(acknowledged)]})
    # The adopted documents are rendered and archived by a background job once the decision is
    # stored (reports.jobs): the adoption returns at once, and a failed render cannot undo it.
    transaction.on_commit(lambda: request_archive(version, actor), robust=True)
    return version


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


ADOPTION_FIELDS = ("adopted_body", "adopted_on", "adopted_paragraph", "adopted_registration")


@transaction.atomic
def correct_adoption(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    body: str,
    date: dt.date,
    paragraph: str,
    registration: str,
    reason: str,
) -> AdoptionCorrection:
    """Correct an adopted version's decision record; the old values stay in the correction.

    The version is frozen, so the row is written here and audited with ``audit.record`` (as the
    egenkontroll services do); the caller has checked that the actor is an administratör.
    """
    if not version.is_frozen:
        raise ValidationError("Bara en antagen version har ett beslut att rätta.")
    if not reason.strip():
        raise ValidationError({"reason": "Ange varför beslutsuppgifterna rättas."})
    if not paragraph.strip():
        raise ValidationError({"paragraph": "Ange paragrafnumret i protokollet, t.ex. '§ 45'."})
    errors = adoption_date_errors(date, version.consultation_from, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    locked = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    new = {
        "adopted_body": body,
        "adopted_on": date,
        "adopted_paragraph": paragraph.strip(),
        "adopted_registration": registration.strip(),
    }
    before = {name: getattr(locked, name) for name in ADOPTION_FIELDS}
    changed = [name for name in ADOPTION_FIELDS if before[name] != new[name]]
    if not changed:
        raise ValidationError("Uppgifterna är desamma som förut; inget att rätta.")
    for name in changed:
        setattr(locked, name, new[name])
    locked.full_clean()
    locked.save(update_fields=changed)
    old_json = {name: _plain(before[name]) for name in changed}
    new_json = {name: _plain(new[name]) for name in changed}
    correction = AdoptionCorrection(
        organisation=version.organisation,
        version=locked,
        corrected_at=timezone.now(),
        corrected_by=actor.user,
        corrected_by_label=actor.label[:150],
        reason=reason.strip(),
        old=old_json,
        new=new_json,
    )
    correction.full_clean()
    correction.save()
    changes = {name: [old_json[name], new_json[name]] for name in changed}
    audit.record(actor, locked, Action.UPDATE, changes | {"rattelse_skal": [None, correction.reason]})
    for name in changed:
        setattr(version, name, new[name])
    return correction


def _copy(
    actor: Actor, obj: models.Model, remap: dict[str, dict[int, int]], **overrides: Any
) -> models.Model:
    """Copy one content object into the new version, keeping its lineage and remapping links."""
    model = type(obj)
    fields: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if field.is_relation and field.related_model is not None:
            mapping = remap.get(field.related_model._meta.label_lower)
            if mapping is not None and value is not None:
                value = mapping[value]
        fields[field.attname] = value
    fields.update(overrides)
    m2m: dict[str, list[Any]] = {}
    for field in obj._meta.many_to_many:
        ids = list(getattr(obj, field.name).values_list("pk", flat=True))
        mapping = remap.get(field.related_model._meta.label_lower)
        m2m[field.name] = [mapping[i] for i in ids] if mapping is not None else ids
    copy = audit.create(actor, model, m2m=m2m, **fields)
    remap.setdefault(model._meta.label_lower, {})[obj.pk] = copy.pk
    return copy


@transaction.atomic
def new_draft(actor: Actor, version: ProgrammeVersion) -> ProgrammeVersion:
    """Start a new draft from a version; all its content is copied, measurements stay shared."""
    from lsoplan.areas.models import ResponseArea, Station
    from lsoplan.conditions.models import Capability, Risk, Vulnerability
    from lsoplan.evaluation.services import carry_open_actions
    from lsoplan.goals.models import Indicator, Measure, PerformanceGoal, SafetyGoal

    programme = version.programme
    open_draft = programme.versions.filter(status__in=[VersionStatus.UTKAST, VersionStatus.REMISS]).first()
    if open_draft is not None:
        raise ValidationError(f"Version {open_draft.number} är redan öppen för ändringar.")
    number = (programme.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    draft = audit.create(
        actor,
        ProgrammeVersion,
        organisation=version.organisation,
        programme=programme,
        number=number,
        status=VersionStatus.UTKAST,
        based_on=version,
        likelihood_labels=version.likelihood_labels,
        consequence_labels=version.consequence_labels,
    )
    remap: dict[str, dict[int, int]] = {"programmes.programmeversion": {version.pk: draft.pk}}
    # Parents before children, so that every link can be remapped to the new copies.
    content = (Chapter, Risk, Vulnerability, Capability, SafetyGoal, PerformanceGoal, Measure, Indicator)
    for model in (*content, Station, ResponseArea):
        for obj in model.objects.filter(version=version).order_by("pk"):
            _copy(actor, obj, remap)
    # Learning continues across versions: open improvement actions follow into the new draft.
    carry_open_actions(actor, version, draft)
    # A base adopted under an older chapter skeleton lacks chapters the draft must have.
    add_missing_chapters(actor, draft)
    return draft


def update_chapter(actor: Actor, chapter: Chapter, *, text: str) -> Chapter:
    """A chapter's text; the chapters themselves are the prescribed structure and stay. The
    formatting may not ask for what documents refuse (a javascript: link, a table too wide)."""
    found = markup.problems(text)
    if found:
        raise ValidationError({"text": found})
    return audit.update(actor, chapter, text=text)


# Who adds the chapters a newer chapter skeleton prescribes (migrate, programme file import).
STRUCTURE_ACTOR = Actor(None, "system (föreskriven kapitelstruktur)")


@transaction.atomic
def add_missing_chapters(actor: Actor, version: ProgrammeVersion) -> list[Chapter]:
    """Give a draft the chapters the current skeleton prescribes and it lacks (a programme stored
    before "Larmning av räddningstjänsten och varning av allmänheten" existed), each at its place
    in the skeleton, empty, audited. The prescribed chapters are then numbered as in the skeleton
    (uppföljning 7 → 8), so no two chapters share a number. Only a draft (utkast) changes: an
    adopted version is what was decided, and a version on remiss is what the parties received."""
    if version.status != VersionStatus.UTKAST:
        return []
    _, skeleton = msbfs_chapters()
    chapters = list(Chapter.objects.filter(version=version).order_by("order", "pk"))
    present = {c.key for c in chapters}
    missing = [ref for ref in skeleton if ref.key not in present]
    if not missing:
        return []
    added = []
    for ref in missing:
        # After the nearest chapter that comes before it in the skeleton (first if none does).
        earlier = [r.key for r in skeleton[: skeleton.index(ref)]]
        at = 0
        for i, c in enumerate(chapters):
            if c.key in earlier:
                at = i + 1
        chapter = Chapter(
            organisation=version.organisation,
            version=version,
            key=ref.key,
            number=ref.number,
            title=ref.title,
        )
        chapters.insert(at, chapter)
        added.append(chapter)
    numbers = {ref.key: ref.number for ref in skeleton}
    for order, c in enumerate(chapters):
        if c in added:
            created = audit.create(
                actor,
                Chapter,
                organisation=version.organisation,
                version=version,
                key=c.key,
                number=c.number,
                title=c.title,
                order=order,
            )
            added[added.index(c)] = created
            continue
        changes: dict[str, Any] = {}
        if c.order != order:
            changes["order"] = order
        if c.prescribed and c.key in numbers and c.number != numbers[c.key]:
            changes["number"] = numbers[c.key]
        if changes:
            audit.update(actor, c, **changes)
    return added


def complete_draft_chapters(actor: Actor = STRUCTURE_ACTOR) -> int:
    """Every draft gets the chapters it lacks (run after every migrate); returns how many."""
    drafts = ProgrammeVersion.objects.filter(status=VersionStatus.UTKAST).select_related("organisation")
    return sum(len(add_missing_chapters(actor, v)) for v in drafts)
