"""Copies the versioned reference files into their tables after every migrate.

The files under ``lsoplan/reference/data`` are the truth; the tables exist so that programme data
can point at them with foreign keys. Rows are upserted, never deleted, so old links stay valid.
"""

from __future__ import annotations

from django.db import transaction

from lsoplan import reference
from lsoplan.accounts.models import Municipality, Population
from lsoplan.audit import dataversion
from lsoplan.conditions.models import EventType
from lsoplan.goals.models import NationalGoal
from lsoplan.reference.lso import national_goals


@transaction.atomic
def sync_reference_data(using: str = "default") -> None:
    for m in reference.municipalities():
        Municipality.objects.using(using).update_or_create(
            code=m.code, defaults={"name": m.name, "county_code": m.county_code, "county_name": m.county_name}
        )
    for et in reference.event_types():
        EventType.objects.using(using).update_or_create(id=et.id, defaults={"name": et.name})
    meta, goals = national_goals()
    for g in goals:
        NationalGoal.objects.using(using).update_or_create(
            key=g.key,
            defaults={
                "reference": g.reference,
                "title": g.title,
                "wording": g.wording,
                "order": g.order,
                "source": meta.source[:300],
            },
        )
    existing = set(Population.objects.using(using).values_list("municipality_id", "year"))
    rows = [
        Population(
            municipality_id=p.code,
            year=p.year,
            population=p.population,
            estimated=p.estimated,
            source=p.source,
        )
        for p in reference.population_rows()
        if (p.code, p.year) not in existing
    ]
    Population.objects.using(using).bulk_create(rows, batch_size=1000)
    # Reference data are shared by every organisation; a migrate may also bring new code, whose
    # results must not be mixed with the old ones': every cached result is computed anew.
    dataversion.bump(None, using=using)
