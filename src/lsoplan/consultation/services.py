"""Every write of the consultation goes through here, and through ``audit.services``.

A party's link is issued, re-issued and revoked here; the secret is returned once, to be shown or
mailed, and only its digest is kept. Responses arrive from a link (actor: the party) or from the
public page (actor: "allmänheten"); the planner edits, decides on and deletes them. The version
must be on remiss for links and responses; an adopted version refuses every change (audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lsoplan.audit import services as audit
from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor
from lsoplan.consultation.models import Consultation, Decision, Party, Response
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.lib import remiss
from lsoplan.programmes.models import Chapter, ProgrammeVersion, VersionStatus
from lsoplan.reports.common import consultation_parties

NOT_ON_REMISS = "Versionen är inte på remiss. Skicka den på remiss först."
CLOSED = "Remisstiden är slut; inga fler svar tas emot."


def party_actor(party: Party) -> Actor:
    return Actor(None, f"Remissinstans: {party.name}"[:150])


PUBLIC_ACTOR = Actor(None, "Allmänheten (allmän remiss)")


def _on_remiss(version: ProgrammeVersion) -> None:
    if version.is_frozen:
        raise audit.FrozenVersionError()
    if version.status != VersionStatus.REMISS:
        raise ValidationError(NOT_ON_REMISS)


def is_open(version: ProgrammeVersion) -> bool:
    """Responses are taken while the version is on remiss and the grace period has not run out."""
    return version.status == VersionStatus.REMISS and not remiss.is_expired(
        version.consultation_to, settings.LSOPLAN_REMISS_GRACE_DAYS, timezone.localdate()
    )


def consultation_of(version: ProgrammeVersion) -> Consultation | None:
    return Consultation.objects.filter(version=version).first()


def set_public(actor: Actor, version: ProgrammeVersion, *, public: bool) -> Consultation:
    """Open or close the public remiss (anyone may comment on the draft without a link)."""
    if public:
        _on_remiss(version)
    found = consultation_of(version)
    if found is None:
        return audit.create(
            actor, Consultation, organisation=version.organisation, version=version, public=public
        )
    return audit.update(actor, found, public=public)


# --- parties and links ------------------------------------------------------------------------


def create_party(
    actor: Actor, version: ProgrammeVersion, *, name: str, contact: str = "", email: str = ""
) -> Party:
    _on_remiss(version)
    name = name.strip()
    if Party.objects.filter(version=version, name__iexact=name).exists():
        raise ValidationError({"name": f"{name} finns redan bland remissinstanserna."})
    return audit.create(
        actor,
        Party,
        organisation=version.organisation,
        version=version,
        name=name,
        contact=contact,
        email=email,
    )


def add_listed_parties(actor: Actor, version: ProgrammeVersion) -> list[Party]:
    """The parties named when the version was sent on remiss, those not yet added."""
    _on_remiss(version)
    have = {p.name.casefold() for p in Party.objects.filter(version=version)}
    made = []
    for name in consultation_parties(version):
        if name.casefold() not in have and len(name) <= 200:
            made.append(create_party(actor, version, name=name))
            have.add(name.casefold())
    return made


def update_party(actor: Actor, party: Party, *, name: str, contact: str, email: str) -> Party:
    name = name.strip()
    if Party.objects.filter(version=party.version, name__iexact=name).exclude(pk=party.pk).exists():
        raise ValidationError({"name": f"{name} finns redan bland remissinstanserna."})
    return audit.update(actor, party, name=name, contact=contact, email=email)


def delete_party(actor: Actor, party: Party) -> Party:
    """The party and its responses (the confirmation page says how many)."""
    with transaction.atomic():
        for response in Response.objects.filter(party=party):
            delete_response(actor, response)
        audit.delete(actor, party)
    return party


def issue_link(actor: Actor, party: Party) -> str:
    """A new link secret for the party (the old link, if any, stops working); returned once."""
    _on_remiss(party.version)
    issued = remiss.new_token()
    audit.update(actor, party, token_digest=issued.digest, link_issued_at=timezone.now(), revoked_at=None)
    return issued.token


def revoke_link(actor: Actor, party: Party) -> Party:
    if not party.token_digest:
        raise ValidationError("Remissinstansen har ingen länk att återkalla.")
    return audit.update(actor, party, revoked_at=timezone.now())


@dataclass(frozen=True)
class Link:
    party: Party
    url: str
    mailed: bool


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def deliver(version: ProgrammeVersion, links: list[tuple[Party, str]]) -> list[Link]:
    """Mail each link to its party when a mail server is configured and the party has an address;
    the planner copies the others. A failed delivery is reported, not raised."""
    done = []
    for party, url in links:
        mailed = False
        if mail_configured() and party.email:
            last = remiss.valid_until(version.consultation_to, settings.LSOPLAN_REMISS_GRACE_DAYS)
            body = (
                f"Hej!\n\n{version.organisation.name} skickar {version.programme.title} "
                f"({version.programme.period_label}) på remiss till {party.name}.\n\n"
                f"Läs utkastet och lämna era synpunkter här:\n{url}\n\n"
                + (f"Länken gäller till och med {last:%Y-%m-%d}.\n" if last else "")
                + "Länken är personlig för er organisation; dela den inte vidare.\n"
            )
            try:
                send_mail(f"Remiss: {version.programme.title}", body, None, [party.email])
                mailed = True
            except OSError:
                mailed = False
        done.append(Link(party, url, mailed))
    return done


# --- responses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def check_target(
    version: ProgrammeVersion,
    chapter: Chapter | None,
    safety_goal: SafetyGoal | None,
    performance_goal: PerformanceGoal | None,
) -> None:
    for obj in (chapter, safety_goal, performance_goal):
        if obj is not None and obj.version_id != version.pk:
            raise ValidationError({"about": "Välj ett kapitel eller mål i det här utkastet."})
    if sum(o is not None for o in (chapter, safety_goal, performance_goal)) > 1:
        raise ValidationError({"about": "Välj ett kapitel eller ett mål, inte flera."})


def _attachment(upload: Upload | None) -> tuple[ContentFile[bytes] | None, str]:
    if upload is None:
        return None, ""
    error = remiss.attachment_error(upload.name, upload.content, settings.LSOPLAN_REMISS_ATTACHMENT_MAX_BYTES)
    if error:
        raise ValidationError({"attachment": error})
    ext = remiss.extension(upload.name)
    # Stored under a name of our own: the party's file name is only shown, never used as a path.
    return ContentFile(upload.content, name=f"remissvar.{ext}"), upload.name[-200:]


def submit_response(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    party: Party | None,
    text: str,
    author: str = "",
    chapter: Chapter | None = None,
    safety_goal: SafetyGoal | None = None,
    performance_goal: PerformanceGoal | None = None,
    upload: Upload | None = None,
) -> Response:
    _on_remiss(version)
    if not is_open(version):
        raise ValidationError(CLOSED)
    if party is None:
        found = consultation_of(version)
        if found is None or not found.public:
            raise ValidationError("Utkastet är inte ute på allmän remiss.")
    elif party.version_id != version.pk or not party.has_link:
        raise ValidationError("Länken gäller inte det här utkastet.")
    if not text.strip():
        raise ValidationError({"text": "Skriv er synpunkt."})
    check_target(version, chapter, safety_goal, performance_goal)
    file, name = _attachment(upload)
    response = audit.create(
        actor,
        Response,
        organisation=version.organisation,
        version=version,
        party=party,
        author=author.strip() if party is None else "",
        chapter=chapter,
        safety_goal=safety_goal,
        performance_goal=performance_goal,
        text=text.strip(),
        submitted_at=timezone.now(),
        attachment=file or "",
        attachment_name=name,
    )
    return response


def record_response(
    actor: Actor,
    version: ProgrammeVersion,
    *,
    party: Party,
    text: str,
    received_at: Any,
    chapter: Chapter | None = None,
    safety_goal: SafetyGoal | None = None,
    performance_goal: PerformanceGoal | None = None,
) -> Response:
    """A response that came by letter or e-mail, registered by the planner (also after the
    remiss time: it is dated when it was received, and the planner is accountable in the audit)."""
    _on_remiss(version)
    if party.version_id != version.pk:
        raise ValidationError("Remissinstansen hör inte till det här utkastet.")
    if not text.strip():
        raise ValidationError({"text": "Skriv synpunkten."})
    check_target(version, chapter, safety_goal, performance_goal)
    return audit.create(
        actor,
        Response,
        organisation=version.organisation,
        version=version,
        party=party,
        chapter=chapter,
        safety_goal=safety_goal,
        performance_goal=performance_goal,
        text=text.strip(),
        submitted_at=received_at,
    )


def update_response(
    actor: Actor,
    response: Response,
    *,
    text: str,
    chapter: Chapter | None = None,
    safety_goal: SafetyGoal | None = None,
    performance_goal: PerformanceGoal | None = None,
) -> Response:
    """The planner corrects what a response is about (or a transcription of it)."""
    check_target(response.version, chapter, safety_goal, performance_goal)
    return audit.update(
        actor,
        response,
        text=text.strip(),
        chapter=chapter,
        safety_goal=safety_goal,
        performance_goal=performance_goal,
    )


def delete_response(actor: Actor, response: Response) -> Response:
    stored = response.attachment.name if response.attachment else ""
    audit.delete(actor, response)
    if stored:
        # After the row is gone (and only if the delete commits): the file goes with it.
        transaction.on_commit(lambda: response.attachment.storage.delete(stored))
    return response


def decide(
    actor: Actor,
    response: Response,
    *,
    decision: str,
    motivation: str,
    changed_chapters: Any = (),
    changed_safety_goals: Any = (),
    changed_performance_goals: Any = (),
) -> Response:
    """The planner's position on a response, with its motivation and the changes it led to."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Välj tillgodosett, delvis tillgodosett eller inte tillgodosett."})
    if not motivation.strip():
        raise ValidationError({"motivation": "Motivera ställningstagandet."})
    linked = [*changed_chapters, *changed_safety_goals, *changed_performance_goals]
    if any(o.version_id != response.version_id for o in linked):
        raise ValidationError("Länka bara ändringar i samma utkast.")
    return audit.update(
        actor,
        response,
        decision=decision,
        motivation=motivation.strip(),
        decided_at=timezone.now(),
        decided_by_label=actor.label[:150],
        m2m={
            "changed_chapters": changed_chapters,
            "changed_safety_goals": changed_safety_goals,
            "changed_performance_goals": changed_performance_goals,
        },
    )


@transaction.atomic
def clear_decision(actor: Actor, response: Response) -> Response:
    """Take the decision back (the response stays, undecided); audited as the decision's removal."""
    audit.ensure_editable(response)
    if not response.decision:
        raise ValidationError("Remissvaret har inget ställningstagande att ta bort.")
    before = audit.snapshot(response)
    response.decision, response.motivation, response.decided_at, response.decided_by_label = "", "", None, ""
    response.save()
    for name in ("changed_chapters", "changed_safety_goals", "changed_performance_goals"):
        getattr(response, name).clear()
    audit.record(actor, response, Action.DELETE, audit.diff(before, audit.snapshot(response)))
    return response
