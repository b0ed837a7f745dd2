"""Adopted means frozen: the documents of an adopted version are made once and kept.

At adoption the programme is rendered as PDF and DOCX with the statistics as they stood on the
decision date (incidents alarmed up to and including that day, the population known for that
year), and the bytes are stored with their SHA-256 checksums (``AdoptedArchive``). Every later
download of that version returns exactly those bytes, however many measurements and incidents are
added afterwards; the yearly follow-up with today's figures is a separate document.

The archive is made by a background job (`reports.jobs`) queued at adoption; versions adopted
before archives existed are queued on their first download, with the data cut at the decision date
in the same way, so they too stay the same from then on.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lsoplan.audit.models import Action
from lsoplan.audit.services import Actor, record
from lsoplan.programmes.models import ProgrammeVersion, VersionStatus
from lsoplan.reports import selectors
from lsoplan.reports.models import AdoptedArchive
from lsoplan.reports.programme_doc import build_programme
from lsoplan.reports.render_docx import render_docx
from lsoplan.reports.render_pdf import render_pdf_with_pages

log = logging.getLogger(__name__)
ARCHIVED = (VersionStatus.ANTAGEN, VersionStatus.ERSATT)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def is_archivable(version: ProgrammeVersion) -> bool:
    return version.status in ARCHIVED and version.adopted_on is not None


def frozen_data(version: ProgrammeVersion) -> dict[str, Any]:
    """The statistics an adopted version's documents show, as of its decision date."""
    as_of = version.adopted_on
    assert as_of is not None
    incidents = selectors.incident_counts(version.organisation, as_of=as_of) or []
    population = [dataclasses.asdict(r) for r in selectors.municipalities(version.organisation, as_of=as_of)]
    return {
        "as_of": as_of.isoformat(),
        "incidents": sorted(
            (
                {"year": int(r["year"]), "type": str(r["handelsetyp"]), "count": int(r["count"])}
                for r in incidents
            ),
            key=lambda r: (r["year"], r["type"]),
        ),
        "population": population,
    }


def _as_adopted(version: ProgrammeVersion) -> ProgrammeVersion:
    """The version as it read on its decision day: a replaced version is archived as adopted."""
    adopted = copy.copy(version)
    adopted.status = VersionStatus.ANTAGEN
    return adopted


def archive_adopted_version(version: ProgrammeVersion, actor: Actor) -> AdoptedArchive:
    """Render and keep the adopted version's documents; an existing archive is returned unchanged."""
    existing = AdoptedArchive.objects.filter(version=version).first()
    if existing is not None:
        return existing
    if not is_archivable(version):
        raise ValidationError("Bara en antagen version med beslutsdatum kan arkiveras.")
    as_of = version.adopted_on
    assert as_of is not None
    document = build_programme(_as_adopted(version), as_of, as_of=as_of)
    # One layout gives the PDF and the pages its headings start on, for the Word file's contents.
    pdf, pages = render_pdf_with_pages(document)
    docx = render_docx(document, pages)
    data = frozen_data(version)
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    try:
        with transaction.atomic():
            archive = AdoptedArchive.objects.create(
                organisation_id=version.organisation_id,
                version=version,
                as_of=as_of,
                pdf=pdf,
                pdf_sha256=sha256(pdf),
                docx=docx,
                docx_sha256=sha256(docx),
                data=data,
                data_sha256=sha256(raw),
                created_at=timezone.now(),
                created_by=actor.user,
            )
            # The bytes stay out of the audit trail; their checksums identify them.
            record(
                actor,
                archive,
                Action.CREATE,
                {
                    "version": [None, version.pk],
                    "as_of": [None, as_of.isoformat()],
                    "pdf_sha256": [None, archive.pdf_sha256],
                    "docx_sha256": [None, archive.docx_sha256],
                    "data_sha256": [None, archive.data_sha256],
                },
            )
    except IntegrityError:
        # Another request archived the same version meanwhile: theirs is the archive.
        log.info("version %s was archived by a concurrent request", version.pk)
        return AdoptedArchive.objects.get(version=version)
    return archive


def archived_bytes(version: ProgrammeVersion, fmt: str) -> bytes:
    """The adopted document in ``fmt`` (pdf or docx), archiving the version first if needed."""
    archive = archive_adopted_version(version, Actor(None, "system"))
    return bytes(archive.pdf if fmt == "pdf" else archive.docx)
