"""Models of the reports app: the archived documents of an adopted programme version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.programmes.models import ProgrammeVersion


class AdoptedArchive(OrgOwned):
    """What a council adopted, kept byte for byte: the programme as PDF and DOCX, the statistics
    they show (cut at the decision date) and a SHA-256 checksum of each.

    Written once, at adoption (or, for versions adopted before archives existed, on the first
    download), and never changed: a download of an adopted version returns these bytes, so the
    document stays what was decided however the follow-up data grow afterwards.
    """

    version = models.OneToOneField(ProgrammeVersion, on_delete=models.PROTECT, related_name="archive")
    as_of = models.DateField(_("uppgifter per"))  # the decision date the statistics are cut at
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    docx = models.BinaryField()
    docx_sha256 = models.CharField(max_length=64)
    data = models.JSONField()  # the statistics the documents show, as plain values
    data_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("arkiverat antaget program")
        verbose_name_plural = _("arkiverade antagna program")

    def __str__(self) -> str:
        return f"Arkiv för version {self.version_id} per {self.as_of}"


class JobKind(models.TextChoices):
    PROGRAMME = "programme", _("handlingsprogrammet")
    FOLLOWUP = "followup", _("uppföljningsrapporten")
    ARCHIVE = "archive", _("arkivet för det antagna programmet")


class JobStatus(models.TextChoices):
    QUEUED = "vantar", _("väntar i kön")
    RUNNING = "pagar", _("skapas")
    DONE = "klar", _("klar")
    FAILED = "fel", _("misslyckades")


class DocumentJob(OrgOwned):
    """One background rendering of a version's documents (`reports.jobs`), and how it went.

    Operational bookkeeping beside the content cache, not programme data: it is not audited (the
    archive a job creates is). At most one job per (version, kind, year) waits in the queue at a
    time, so a burst of edits gives one rendering, not one per keystroke.
    """

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="document_jobs")
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    year = models.PositiveSmallIntegerField(default=0)  # the follow-up's year; 0 for the others
    # The content asked for (known when a download asked) or rendered (set by the job); blank until
    # then, since a job enqueued by an edit renders whatever the content is when it runs.
    content_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=6, choices=JobStatus.choices, default=JobStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)  # one Swedish line for the planner
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokumentjobb")
        verbose_name_plural = _("dokumentjobb")
        indexes = [models.Index(fields=["version", "kind", "year", "-enqueued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "year"],
                condition=models.Q(status="vantar"),
                name="one_queued_document_job",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version_id} {self.year or ''} {self.status}".strip()
