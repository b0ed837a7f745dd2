"""Producing documents at once: for `lsoplan report` and scripts.

The download views do not call ``produce``: they never render, and ask `reports.jobs` for the file
or the job making it. ``produce`` renders synchronously, for the command line and scripts.

Making a document reads the programme; what it says can always be traced to the versioned, audited
data it was built from (the title page names the version and the date it was printed). The
rendered bytes are kept by their content (`reports.cache`), so the same document is laid out once,
not on every download. The one exception is an adopted version's programme: it is archived once
(`reports.archive`, with an audit entry) and every download returns the archived bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from lsoplan.audit import dataversion
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import cache, charts
from lsoplan.reports.archive import archive_adopted_version, archived_bytes, is_archivable
from lsoplan.reports.jobs import contents
from lsoplan.reports.programme_doc import build_programme

PROGRAMME = "programme"
FOLLOWUP = "followup"
KINDS = (PROGRAMME, FOLLOWUP)
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EARLIEST_YEAR = 1990
__all__ = ["Produced", "advisories", "archive_adopted_version", "produce"]


@dataclass(frozen=True)
class Produced:
    filename: str
    content_type: str
    content: bytes


def default_year(today: dt.date | None = None) -> int:
    """The year a follow-up report is normally about: the last complete calendar year."""
    return (today or dt.date.today()).year - 1


def check_year(year: int, today: dt.date | None = None) -> int:
    latest = (today or dt.date.today()).year
    if not EARLIEST_YEAR <= year <= latest:
        raise ValidationError({"year": f"Ange ett år mellan {EARLIEST_YEAR} och {latest}."})
    return year


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "lsoplan"


def filename(version: ProgrammeVersion, kind: str, fmt: str, year: int | None = None) -> str:
    org = _slug(version.organisation.slug)
    if fmt == "xlsx":
        stem = f"listor-{org}-v{version.number}" + (f"-{year}" if kind == FOLLOWUP and year else "")
    elif kind == FOLLOWUP:
        stem = f"uppfoljning-{year}-{org}-v{version.number}"
    else:
        stem = f"handlingsprogram-{org}-{version.programme.period_label.replace('–', '-')}-v{version.number}"
    return f"{stem}.{fmt}"


def advisories(version: ProgrammeVersion) -> list[str]:
    """Remarks for the planner on the programme document (missing data, goals without owner…).

    They are kept out of the document itself; the documents page (and the egenkontroll, when it
    asks) shows them. Empty for a version that can no longer change."""
    if version.is_frozen:
        return []

    def compute() -> list[str]:
        with charts.cached_only():  # a page shows them: no chart is drawn for it (reports.jobs)
            return list(build_programme(version).advisories)

    # Building the document model reads the whole version: once per data version and day.
    return dataversion.cached(version.organisation_id, "advisories", (version.pk, dt.date.today()), compute)


def produce(
    version: ProgrammeVersion, kind: str, fmt: str, *, year: int | None = None, today: dt.date | None = None
) -> Produced:
    """Build and render one document now (never in a web request). ``xlsx`` gives the lists (for a
    follow-up also its statuses)."""
    if kind not in KINDS:
        raise ValidationError({"kind": f"Okänt dokument '{kind}'; välj programme eller followup."})
    if fmt not in FORMATS:
        raise ValidationError({"format": f"Okänt format '{fmt}'; välj docx, pdf eller xlsx."})
    # A programme document is not about one year; a follow-up is about the last year by default.
    year = check_year(year if year is not None else default_year(today), today) if kind == FOLLOWUP else None
    if kind == PROGRAMME and fmt != "xlsx" and is_archivable(version):
        content = archived_bytes(version, fmt)  # what was adopted, byte for byte
    else:
        # The same files the background jobs make (reports.jobs): one set of cache keys.
        key, make = contents(version, kind, year, today).files[fmt]
        content = cache.stored("documents", key, fmt, make)
    return Produced(filename(version, kind, fmt, year), FORMATS[fmt], content)
