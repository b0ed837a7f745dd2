"""Organisations, their municipalities and their members.

Every domain object carries an ``organisation`` foreign key (``OrgOwned``) so that one filter,
``organisation__in=<the user's organisations>``, scopes every query the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of Sweden's 290 municipalities; synced from reference data after each migrate."""

    code = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    county_code = models.CharField(_("länskod"), max_length=2)
    county_name = models.CharField(_("län"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Population(models.Model):
    """Inhabitants of a municipality in a year; estimates are marked as such."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()
    estimated = models.BooleanField(default=False)
    source = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_unique_year")
        ]
        ordering = ["municipality", "year"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.population}"


class Organisation(models.Model):
    """A municipality or a kommunalförbund of several, the owner of all programme data."""

    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("namn"), max_length=200)
    municipalities = models.ManyToManyField(Municipality, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)
    # Opt-in: only a published organisation has pages under /allmanhet/<slug>/ (public app).
    published = models.BooleanField(_("publicerad för allmänheten"), default=False)
    # Citizens' views (public app) are deleted this many months after they arrived.
    citizen_view_retention_months = models.PositiveSmallIntegerField(
        _("gallra synpunkter efter (månader)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Capability maps (lib.geo.settings holds the defaults, ranges and reasons): the time the
    # organisation holds acceptable (LSO 1 kap. 3 §), and the fewest incidents a cell needs to be
    # shown on a map for the council or the public.
    acceptable_minutes = models.PositiveSmallIntegerField(
        _("godtagbar tid (minuter)"),
        default=20,
        help_text=_("Tiden till första enhet på plats som organisationen bedömer som godtagbar."),
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("minsta antal händelser per ruta på publicerade kartor"),
        default=3,
        help_text=_(
            "Rutor med färre händelser döljs på kartor för fullmäktige och allmänheten (personuppgifter)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    @property
    def is_federation(self) -> bool:
        return self.municipalities.count() > 1


class Role(models.TextChoices):
    LASARE = "lasare", _("Läsare")
    REDAKTOR = "redaktor", _("Redaktör")
    ADMINISTRATOR = "administrator", _("Administratör")


ROLE_RANK = {Role.LASARE: 1, Role.REDAKTOR: 2, Role.ADMINISTRATOR: 3}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LASARE)
    # A member who leaves is deactivated, not deleted: the row, and so the name in the audit
    # trail and on values they entered, stays; an inactive membership grants nothing.
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} i {self.organisation}"

    def allows(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class OrgOwned(models.Model):
    """Base for every object that belongs to an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
