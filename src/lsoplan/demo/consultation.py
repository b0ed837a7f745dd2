"""The demo's consultation of version 1 (autumn 2022): the parties from the remiss list, a few
responses as they came in by letter and e-mail, and the decisions on them, so that the remiss page
and the samrådsredogörelse have something to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lsoplan.audit.services import Actor
from lsoplan.consultation import services
from lsoplan.consultation.models import Party
from lsoplan.goals.models import SafetyGoal
from lsoplan.programmes.models import Chapter, ProgrammeVersion

# (party name starts with, chapter key or "" or "mal", text, decision, motivation, received)
RESPONSES = (
    (
        "Länsstyrelsen",
        "risker",
        "Riskbilden bör ta upp skogsbrand i ett förändrat klimat tydligare, med hänvisning till "
        "länets risk- och sårbarhetsanalys.",
        "tillgodosett",
        "Avsnittet om skogsbrand är utökat med länets risk- och sårbarhetsanalys som underlag.",
        dt.date(2022, 9, 30),
    ),
    (
        "SOS Alarm",
        "",
        "SOS Alarm har inga synpunkter på programmet i sak, men vill bli informerade om ändrade "
        "larmplaner i god tid.",
        "tillgodosett",
        "Noterat; larmplanerna stäms av med SOS Alarm inför varje ändring.",
        dt.date(2022, 10, 3),
    ),
    (
        "Polismyndigheten",
        "mal",
        "Målet om bränder i bostad kunde kompletteras med anlagda bränder i skolor.",
        "delvis",
        "Anlagda bränder följs upp i den årliga uppföljningen; ett eget mål prövas i nästa program.",
        dt.date(2022, 10, 12),
    ),
)


def load_demo_consultation(actor: Actor, version: ProgrammeVersion) -> None:
    services.add_listed_parties(actor, version)
    parties = list(Party.objects.filter(version=version))
    goal = SafetyGoal.objects.filter(version=version).order_by("code", "id").first()
    for start, key, text, decision, motivation, received in RESPONSES:
        party = next(p for p in parties if p.name.startswith(start))
        chapter = Chapter.objects.filter(version=version, key=key).first() if key not in ("", "mal") else None
        response = services.record_response(
            actor,
            version,
            party=party,
            text=text,
            received_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
            chapter=chapter,
            safety_goal=goal if key == "mal" else None,
        )
        services.decide(
            actor,
            response,
            decision=decision,
            motivation=motivation,
            changed_chapters=[chapter] if chapter is not None and decision == "tillgodosett" else [],
        )
