"""Uploaded incident files waiting for the user's confirmation.

The web import is two steps (preview, then confirm), and the confirm step must not trust anything
the browser sends back. So the file itself is kept on the server, under
``MEDIA_ROOT/incidents/<organisation id>/<sha256>``, and the confirm step reads and checks it
again. Only the hash travels through the browser; a file under another organisation's folder
cannot be reached with it. A stored file is valid for half an hour (the preview re-reads it on
every GET, so a link that lived for a day was a day-long handle on that work); older ones are
refused on load and removed whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from lsoplan.accounts.models import Organisation
from lsoplan.lib.incidents.limits import NUL_MESSAGE, columns_refusal, nul_bytes, xlsx_refusal
from lsoplan.lib.incidents.native import decode, sniff_delimiter

KEEP_SECONDS = 30 * 60
TOKEN = re.compile(r"^[0-9a-f]{64}$")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class StoredUpload:
    token: str
    file_name: str
    mapping: str  # a shipped mapping's name, or "" for the native format
    size: int
    uploaded_by: str

    def read(self, organisation: Organisation) -> bytes:
        return (_folder(organisation) / self.token).read_bytes()


def _folder(organisation: Organisation) -> Path:
    return Path(settings.MEDIA_ROOT) / "incidents" / str(organisation.pk)


def sniff(data: bytes, file_name: str) -> str:
    """ "csv" or "xlsx" when the name and the content agree; ValidationError (Swedish) otherwise."""
    kind = EXTENSIONS.get(Path(file_name).suffix.lower())
    if kind is None:
        raise ValidationError("Filen måste vara en CSV-fil (.csv) eller en Excel-fil (.xlsx).")
    if kind == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise ValidationError("Filen heter .xlsx men är ingen Excel-fil.")
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ValidationError("Filen heter .xlsx men är ingen Excel-fil.") from exc
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise ValidationError("Filen heter .xlsx men är ingen Excel-fil.")
        if refusal := xlsx_refusal(data):  # before anything unpacks it (also in the reader)
            raise ValidationError(f"{refusal.message}.")
        return kind
    head = data[:65536]
    # Text: no NUL bytes (UTF-16 with a byte-order mark is the one text form that has them).
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")) or (b"\x00" in head and not utf16):
        raise ValidationError("Filen heter .csv men innehåller inte text. Spara den som CSV eller .xlsx.")
    _check_text(data)
    return kind


def _check_text(data: bytes) -> None:
    """The whole file, not only its start: NUL bytes anywhere and the header's width."""
    utf8, _ = decode(data)
    end = utf8.find(b"\n")
    header_line = utf8[: end if end != -1 else len(utf8)].decode("utf-8", errors="replace").rstrip("\r")
    delimiter = sniff_delimiter(header_line)
    header = [cell.strip().strip('"') for cell in header_line.split(delimiter)]
    if refusal := columns_refusal(len(header)):
        raise ValidationError(f"{refusal.message}.")
    found, n_nul = nul_bytes(utf8, header, delimiter, first=1)
    if found:
        more = f" (och {n_nul - 1} tecken NUL till)" if n_nul > 1 else ""
        raise ValidationError(f"Rad {found[0].row}, kolumn {found[0].column}: {NUL_MESSAGE}{more}.")


def _clean_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # another request removed it first


def store(
    organisation: Organisation, data: bytes, *, file_name: str, mapping: str, uploaded_by: str
) -> StoredUpload:
    folder = _folder(organisation)
    folder.mkdir(parents=True, exist_ok=True)
    _clean_old(folder)
    token = hashlib.sha256(data).hexdigest()
    (folder / token).write_bytes(data)
    upload = StoredUpload(token, Path(file_name).name[:255], mapping, len(data), uploaded_by)
    (folder / f"{token}.json").write_text(json.dumps(upload.__dict__), encoding="utf-8")
    return upload


def load(organisation: Organisation, token: str) -> StoredUpload | None:
    """The stored upload, or None when the token is malformed, unknown or expired."""
    if not TOKEN.match(token):
        return None
    folder = _folder(organisation)
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        if not (folder / token).is_file():
            return None
        if (folder / token).stat().st_mtime < time.time() - KEEP_SECONDS:
            discard(organisation, token)
            return None
    except (OSError, ValueError):
        return None
    return StoredUpload(**meta)


def discard(organisation: Organisation, token: str) -> None:
    if not TOKEN.match(token):
        return
    for path in (_folder(organisation) / token, _folder(organisation) / f"{token}.json"):
        path.unlink(missing_ok=True)
