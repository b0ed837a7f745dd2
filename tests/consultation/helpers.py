"""A world's version on remiss, with a party and its link, made through the real services."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.urls import reverse
from django.utils import timezone

from lsoplan.consultation import services
from lsoplan.consultation.models import Party, Response
from lsoplan.programmes import services as programmes
from lsoplan.programmes.models import VersionStatus
from tests.factories import SYSTEM, World

PARTIES = "Länsstyrelsen i Gävleborg\nPolismyndigheten"


def on_remiss(w: World, days_left: int = 30) -> None:
    if w.version.status == VersionStatus.UTKAST:
        today = timezone.localdate()
        programmes.send_to_consultation(
            SYSTEM, w.version, parties=PARTIES, date_from=today, date_to=today + dt.timedelta(days=days_left)
        )
        w.version.refresh_from_db()


def party(w: World, name: str = "Länsstyrelsen i Gävleborg") -> Party:
    on_remiss(w)
    found = Party.objects.filter(version=w.version, name=name).first()
    return found or services.create_party(SYSTEM, w.version, name=name, contact="Anna Ek", email="")


def link(w: World, name: str = "Länsstyrelsen i Gävleborg") -> tuple[Party, str]:
    """A party and the path of its fresh link."""
    p = party(w, name)
    token = services.issue_link(SYSTEM, p)
    p.refresh_from_db()
    return p, reverse("remiss_party", kwargs={"token": token})


def response(
    w: World,
    text: str = "Målet om bostadsbränder bör gälla hela länet.",
    upload: services.Upload | None = None,
    **about: Any,
) -> Response:
    p, _ = link(w)
    about = about or {"safety_goal": w.safety_goal}
    return services.submit_response(
        services.party_actor(p), w.version, party=p, text=text, upload=upload, **about
    )


def with_attachment(w: World) -> Response:
    return response(w, upload=services.Upload("yttrande.pdf", PDF_BYTES))


def decided(w: World) -> Response:
    r = response(w)
    return services.decide(
        SYSTEM,
        r,
        decision="delvis",
        motivation="Vi tar med länet i uppföljningen.",
        changed_safety_goals=[w.safety_goal],
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
