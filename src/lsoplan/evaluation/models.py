"""Utvärdering and lärande: evaluations per goal and period, citizens' surveys, cost and benefit,
and the improvement actions that come out of them.

These are follow-up data, not programme content: a programme is evaluated while its adopted
version is in force, so they must be writable on a frozen version. That is why the link to the
version is called ``programme_version`` and not ``version``: ``audit.services.ensure_editable``
refuses objects whose ``.version`` is frozen, and these objects must pass. The ``version_id``
property keeps the audit trail filing their entries under the version they belong to.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.goals.models import Measure, PerformanceGoal, SafetyGoal
from lsoplan.programmes.models import ProgrammeVersion


class FollowUpData(OrgOwned):
    """Base for objects attached to a programme version that stay writable after adoption."""

    programme_version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def version_id(self) -> int:
        # Read by audit.services.record, so the entry shows on the version's history page.
        return self.programme_version_id


class Assessment(models.TextChoices):
    UPPNATT = "uppnatt", _("Uppnått")
    DELVIS = "delvis", _("Delvis uppnått")
    INTE_UPPNATT = "inte_uppnatt", _("Inte uppnått")
    KAN_INTE_BEDOMAS = "kan_inte_bedomas", _("Kan inte bedömas")


class EvaluationStatus(models.TextChoices):
    OPPEN = "oppen", _("Öppen")
    AVSLUTAD = "avslutad", _("Avslutad")


class GoalKind(models.TextChoices):
    SAKERHETSMAL = "sakerhetsmal", _("Säkerhetsmål")
    PRESTATIONSMAL = "prestationsmal", _("Prestationsmål")


class Survey(OrgOwned):
    """A citizens' survey (medborgarundersökning); belongs to the organisation, not to a version."""

    name = models.CharField(_("namn"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    source = models.CharField(_("källa"), max_length=300)
    file_name = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("medborgarundersökning")
        verbose_name_plural = _("medborgarundersökningar")

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class SurveyAnswer(OrgOwned):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("fråga"), max_length=500)
    option = models.CharField(_("svarsalternativ"), max_length=300)
    share = models.FloatField(_("andel"))  # 0–1
    respondents = models.PositiveIntegerField(_("antal svarande"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "order"]

    def __str__(self) -> str:
        return f"{self.question}: {self.option}"


class Evaluation(FollowUpData):
    """The five questions for one goal and period, an overall assessment, and the evidence."""

    # The goal may later be deleted from a draft; the evaluation keeps its label and lineage.
    safety_goal = models.ForeignKey(
        SafetyGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    performance_goal = models.ForeignKey(
        PerformanceGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    goal_kind = models.CharField(max_length=20, choices=GoalKind.choices)
    goal_lineage = models.UUIDField()
    goal_label = models.CharField(_("mål"), max_length=300)
    period_start = models.PositiveSmallIntegerField(_("från år"))
    period_end = models.PositiveSmallIntegerField(_("till år"))
    why = models.TextField(_("Varför har skyddet eller säkerheten ökat, eller inte?"), blank=True)
    side_effects = models.TextField(_("Vilka sidoeffekter har uppstått?"), blank=True)
    citizens_view = models.TextField(_("Hur ser invånarna på arbetet?"), blank=True)
    cost_benefit = models.TextField(_("Har kostnaderna överstigit nyttan?"), blank=True)
    learning = models.TextField(_("Vad har vi lärt oss, och vad ska förbättras?"), blank=True)
    assessment = models.CharField(
        _("samlad bedömning"), max_length=20, choices=Assessment.choices, blank=True
    )
    assessment_text = models.TextField(_("motivering"), blank=True)
    no_action_reason = models.TextField(_("skäl till att ingen åtgärd behövs"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.OPPEN
    )
    # The follow-up verdict per indicator when the evaluation was last saved or closed.
    followup_snapshot = models.JSONField(default=dict, blank=True)
    surveys = models.ManyToManyField(
        Survey, blank=True, related_name="evaluations", verbose_name=_("medborgarundersökningar")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme_version", "goal_kind", "goal_label", "-period_end", "id"]
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")

    def __str__(self) -> str:
        return f"Utvärdering {self.goal_label} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    @property
    def goal(self) -> SafetyGoal | PerformanceGoal | None:
        return self.safety_goal or self.performance_goal

    @property
    def is_closed(self) -> bool:
        return self.status == EvaluationStatus.AVSLUTAD


class ActionStatus(models.TextChoices):
    OPPEN = "oppen", _("Öppen")
    PAGAR = "pagar", _("Pågår")
    KLAR = "klar", _("Klar")
    AVBRUTEN = "avbruten", _("Avbruten")


OPEN_ACTION_STATUSES = (ActionStatus.OPPEN, ActionStatus.PAGAR)


class ActionSource(models.TextChoices):
    UTVARDERING = "utvardering", _("Utvärdering")
    EGENKONTROLL = "egenkontroll", _("Egenkontroll")
    ANNAT = "annat", _("Annat")


class ImprovementAction(FollowUpData):
    """Learning turned into work. Open actions are copied into the next version (same lineage)."""

    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("åtgärd"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    owner = models.CharField(_("ansvarig"), max_length=200)
    due_date = models.DateField(_("klar senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default="oppen")
    evaluation = models.ForeignKey(
        Evaluation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("utvärdering"),
    )
    source = models.CharField(_("källa"), max_length=20, choices=ActionSource.choices, default="annat")
    # Loose link to where the action came from, e.g. {"rule": "HP-12", "run": 5} for a control
    # finding; kept as data so the checks app need not be a dependency of this one.
    source_ref = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme_version", "due_date", "id"]
        verbose_name = _("förbättringsåtgärd")
        verbose_name_plural = _("förbättringsåtgärder")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class CostParameterSet(OrgOwned):
    """One version of the valuation parameters (the reference file's shape). Never overwritten:
    a change is a new row, so every analysis can name the version it used."""

    # Not called "version": throughout lsoplan that name means the programme version.
    parameter_version = models.CharField(_("version"), max_length=60)
    params = models.JSONField(blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("vad som ändrats och varför"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parameter_version"], name="costparameterset_unique_version"
            )
        ]
        verbose_name = _("kostnadsparametrar")
        verbose_name_plural = _("kostnadsparametrar")

    def __str__(self) -> str:
        return f"Kostnadsparametrar {self.parameter_version}"


class CostBenefitAnalysis(FollowUpData):
    """A cost-benefit calculation for a measure or a goal; the result is stored as computed."""

    title = models.CharField(_("rubrik"), max_length=200)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_benefit_analyses"
    )
    safety_goal = models.ForeignKey(
        SafetyGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_benefit_analyses"
    )
    performance_goal = models.ForeignKey(
        PerformanceGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cost_benefit_analyses",
    )
    subject_label = models.CharField(_("gäller"), max_length=300)
    subject_lineage = models.UUIDField(null=True, blank=True)
    one_off_cost = models.DecimalField(_("engångskostnad (kr)"), max_digits=14, decimal_places=0, default=0)
    yearly_cost = models.DecimalField(_("årlig kostnad (kr)"), max_digits=14, decimal_places=0, default=0)
    years = models.PositiveSmallIntegerField(_("kalkylperiod (år)"))
    discount_rate = models.FloatField(_("kalkylränta (andel)"))
    avoided_deaths = models.FloatField(_("undvikna dödsfall per år"), default=0)
    avoided_serious = models.FloatField(_("undvikna svårt skadade per år"), default=0)
    avoided_slight = models.FloatField(_("undvikna lindrigt skadade per år"), default=0)
    avoided_fires = models.FloatField(_("undvikna bränder i byggnad per år"), default=0)
    minutes_per_operation = models.FloatField(_("sparade minuter per insats"), default=0)
    operations_per_year = models.FloatField(_("berörda insatser per år"), default=0)
    assumptions = models.TextField(_("antaganden och underlag"), blank=True)
    parameter_set = models.ForeignKey(CostParameterSet, on_delete=models.PROTECT, related_name="analyses")
    parameter_version = models.CharField(max_length=60)
    result = models.JSONField(default=dict, blank=True)
    created_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme_version", "-created_at", "-id"]
        verbose_name = _("kostnad–nytta-kalkyl")
        verbose_name_plural = _("kostnad–nytta-kalkyler")

    def __str__(self) -> str:
        return self.title
