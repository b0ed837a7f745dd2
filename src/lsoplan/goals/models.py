"""The goal chain: national goals → säkerhetsmål → prestationsmål → åtgärder, with indicators.

Measurements are follow-up data, not programme content: they belong to an ``IndicatorSeries`` that
outlives versions, so a value entered while version 1 is in force is still there in version 2.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lsoplan.accounts.models import OrgOwned
from lsoplan.conditions.models import Risk
from lsoplan.programmes.models import Versioned


class NationalGoal(models.Model):
    """LSO 1 kap. 1 §, 3 § and 3 a §; synced from reference data after migrate."""

    key = models.CharField(max_length=20, primary_key=True)
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=100)
    wording = models.TextField()
    source = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class SafetyGoal(Versioned):
    code = models.CharField(_("beteckning"), max_length=20, blank=True)
    text = models.TextField(_("måltext"))
    owner = models.CharField(_("ansvarig"), max_length=200, blank=True)
    national_goals = models.ManyToManyField(NationalGoal, blank=True, verbose_name=_("nationella mål"))
    risks = models.ManyToManyField(Risk, blank=True, related_name="safety_goals", verbose_name=_("risker"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("säkerhetsmål")
        verbose_name_plural = _("säkerhetsmål")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}".strip()


class PerformanceGoal(Versioned):
    code = models.CharField(_("beteckning"), max_length=20, blank=True)
    text = models.TextField(_("måltext"))
    owner = models.CharField(_("ansvarig"), max_length=200, blank=True)
    safety_goals = models.ManyToManyField(
        SafetyGoal, blank=True, related_name="performance_goals", verbose_name=_("säkerhetsmål")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("prestationsmål")
        verbose_name_plural = _("prestationsmål")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}".strip()


class MeasureStatus(models.TextChoices):
    PLANERAD = "planerad", _("Planerad")
    PAGAENDE = "pagaende", _("Pågående")
    GENOMFORD = "genomford", _("Genomförd")
    INSTALLD = "installd", _("Inställd")


class Measure(Versioned):
    performance_goal = models.ForeignKey(PerformanceGoal, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField(_("åtgärd"))
    owner = models.CharField(_("ansvarig"), max_length=200, blank=True)
    cost_once = models.DecimalField(
        _("engångskostnad (kr)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    cost_yearly = models.DecimalField(
        _("årlig kostnad (kr)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices, default="planerad")
    due_year = models.PositiveSmallIntegerField(_("klar år"), null=True, blank=True)
    due_date = models.DateField(_("klar senast"), null=True, blank=True)

    class Meta:
        ordering = ["performance_goal", "id"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.text[:80]


class MeasureProgress(OrgOwned):
    """A year's note on how a measure is going, with its status at the time (follow-up data).

    Like measurements, progress notes are written while the version is in force: they hang on the
    measure but are not programme content, so they are not copied into a new draft.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices)
    note = models.TextField(_("lägesbeskrivning"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["measure", "-year", "-entered_at"]
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")

    def __str__(self) -> str:
        return f"{self.measure}: {self.year} {self.get_status_display()}"


class IndicatorSeries(OrgOwned):
    """The identity of what is measured, shared by the indicator's copies in every version."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    LOWER = "lower", _("Lägre är bättre")
    HIGHER = "higher", _("Högre är bättre")


class Normalisation(models.TextChoices):
    NONE = "none", _("Ingen (absoluta tal)")
    PER_1000 = "per_1000", _("Per 1 000 invånare")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Manuell inmatning")
    INCIDENTS = "incidents", _("Egna händelser")
    KOLADA = "kolada", _("Kolada")
    MCF = "mcf", _("MCF statistikdatabas")
    SCB = "scb", _("SCB")


class TargetKind(models.TextChoices):
    # The codes are lib.targets' (LEVEL, EVERY_YEAR, …); the labels are what the form shows.
    LEVEL = "level", _("Nivå målåret")
    EVERY_YEAR = "every_year", _("Varje år i perioden")
    MEAN = "mean", _("Medelvärde över perioden")
    TOTAL = "total", _("Summa över perioden")
    RELATIVE_CHANGE = "relative_change", _("Förändring mot utgångsläget (relativ)")
    ABSOLUTE_CHANGE = "absolute_change", _("Förändring mot utgångsläget (absolut)")


class IndicatorKind(models.TextChoices):
    UTFALL = "utfall", _("Utfall (olyckor, skador, bränder: slumpen spelar in)")
    PRESTATION = "prestation", _("Prestation (egna insatser, räknade exakt)")


class Indicator(Versioned):
    safety_goal = models.ForeignKey(
        SafetyGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    performance_goal = models.ForeignKey(
        PerformanceGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    series = models.ForeignKey(IndicatorSeries, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(_("namn"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=60)
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices, default="lower")
    normalisation = models.CharField(
        _("normalisering"), max_length=10, choices=Normalisation.choices, default="none"
    )
    is_count = models.BooleanField(
        _("antal händelser"), default=False, help_text=_("Räknade händelser: Poissonmetoder används.")
    )
    source = models.CharField(_("källa"), max_length=10, choices=IndicatorSource.choices, default="manual")
    source_config = models.JSONField(default=dict, blank=True)
    baseline_value = models.FloatField(_("utgångsvärde"), null=True, blank=True)
    baseline_start = models.PositiveSmallIntegerField(_("utgångsperiod från"), null=True, blank=True)
    baseline_end = models.PositiveSmallIntegerField(_("utgångsperiod till"), null=True, blank=True)
    target_value = models.FloatField(_("målvärde"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    # A target on the wrong side of the baseline (lower is better, target above it) is refused
    # unless this says why (lib.plausibility); the reason stays with the indicator.
    target_reason = models.TextField(
        _("motivering till målet"),
        blank=True,
        help_text=_(
            "Krävs bara när målvärdet ligger på fel sida om utgångsvärdet, t.ex. ett medvetet "
            "högre antal eftersom registreringen har blivit bättre."
        ),
    )
    # How the target is judged; inferred from the goal text when the indicator is created.
    target_kind = models.CharField(
        _("typ av mål"), max_length=20, choices=TargetKind.choices, default=TargetKind.LEVEL
    )
    target_window_start = models.PositiveSmallIntegerField(_("målperiod från"), null=True, blank=True)
    target_window_end = models.PositiveSmallIntegerField(_("målperiod till"), null=True, blank=True)
    indicator_kind = models.CharField(
        _("utfall eller prestation"),
        max_length=12,
        choices=IndicatorKind.choices,
        default=IndicatorKind.UTFALL,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.CheckConstraint(
                condition=Q(safety_goal__isnull=False, performance_goal__isnull=True)
                | Q(safety_goal__isnull=True, performance_goal__isnull=False),
                name="indicator_one_goal",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def goal(self) -> SafetyGoal | PerformanceGoal:
        goal = self.safety_goal or self.performance_goal
        assert goal is not None
        return goal

    @property
    def baseline_period(self) -> str:
        if self.baseline_start is None:
            return ""
        if self.baseline_end in (None, self.baseline_start):
            return str(self.baseline_start)
        return f"{self.baseline_start}–{self.baseline_end}"


class Vintage(models.TextChoices):
    PRELIMINAR = "preliminar", _("Preliminär")
    SLUTLIG = "slutlig", _("Slutlig")


class Measurement(OrgOwned):
    """One value of a series for a year. Corrections keep the old row (``replaced_at`` set)."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.FloatField(_("värde"))
    vintage = models.CharField(_("status"), max_length=10, choices=Vintage.choices, default="slutlig")
    source = models.CharField(_("källa"), max_length=10, choices=IndicatorSource.choices, default="manual")
    source_ref = models.CharField(_("källhänvisning"), max_length=200, blank=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField()
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["series", "year", "entered_at"]
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"],
                condition=Q(replaced_at__isnull=True),
                name="measurement_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.year} = {self.value}"
