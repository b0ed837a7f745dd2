"""Remiss without accounts: link secrets, how long a link lasts, and what an attachment really is.

Plain Python (no Django), so the rules are tested without a database. A link's secret is shown to
the planner once and stored only as its SHA-256 digest: a copy of the database gives no working
links. An attachment is accepted only when its bytes are what its name says (a PDF starts with
``%PDF-``; a DOCX is a ZIP archive holding ``word/document.xml``), so a renamed program or an HTML
page cannot be handed to the planner as a "PDF".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

TOKEN_BYTES = 32  # 256 bits: unguessable, and the URL stays short (43 characters)


@dataclass(frozen=True)
class Issued:
    token: str  # give this to the party, once
    digest: str  # store this


def new_token() -> Issued:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return Issued(token, digest(token))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def valid_until(consultation_to: dt.date | None, grace_days: int) -> dt.date | None:
    """The last day a link works: the remiss end date plus the grace period (None: no end set)."""
    if consultation_to is None:
        return None
    return consultation_to + dt.timedelta(days=max(0, grace_days))


def is_expired(consultation_to: dt.date | None, grace_days: int, today: dt.date) -> bool:
    last = valid_until(consultation_to, grace_days)
    return last is not None and today > last


# Attachment kinds: extension → (content type, Swedish name).
ATTACHMENT_KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(head: bytes, whole: bytes | None = None) -> str:
    """What the bytes are: "pdf", "docx" or "" (anything else, a ZIP without a Word document
    included). ``whole`` is needed to look inside a ZIP."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(whole)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return ""
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return ""


def attachment_error(name: str, content: bytes, max_bytes: int) -> str:
    """One Swedish line saying why the file is refused, or "" when it is accepted."""
    ext = extension(name)
    if ext not in ATTACHMENT_KINDS:
        return "Bilagan måste vara en PDF- eller Word-fil (.pdf eller .docx)."
    if len(content) > max_bytes:
        return f"Bilagan är för stor: högst {max_bytes // (1024 * 1024)} MB."
    if not content:
        return "Bilagan är tom."
    if sniff(content[:8], content) != ext:
        kind = ATTACHMENT_KINDS[ext][1]
        return f"Filen är inte en {kind}-fil fast den heter .{ext}. Spara den på nytt och försök igen."
    return ""
