"""One sample object per editable kind, made through the real services from a ``World``.

The completeness test in ``test_editing.py`` fails for a registered kind without a sample here, so
every new kind is covered by the shared edit/delete behaviours.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from lsoplan.accounts.models import Membership, Role
from lsoplan.areas import services as areas
from lsoplan.checks import services as checks
from lsoplan.checks.models import Distribution
from lsoplan.conditions import services as conditions
from lsoplan.goals.models import Measurement
from lsoplan.programmes import services as programmes
from tests.consultation import helpers as consultation
from tests.evaluation import helpers
from tests.factories import SYSTEM, World
from tests.public.helpers import citizen_view


def vulnerability(w: World) -> Any:
    return conditions.add_vulnerability(SYSTEM, w.risk, "Många äldre bor ensamma.")


def station(w: World) -> Any:
    return areas.create_station(SYSTEM, w.version, name="Centrum", kind="heltid", x=674_000.0, y=6_580_000.0)


def response_area(w: World) -> Any:
    square = [[674_000, 6_580_000], [675_000, 6_580_000], [675_000, 6_581_000], [674_000, 6_581_000]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"namn": "Centrum"},
                "geometry": {"type": "Polygon", "coordinates": [[*square, square[0]]]},
            }
        ],
    }
    return areas.import_areas(SYSTEM, w.version, json.dumps(geojson).encode())[0]


def measurement(w: World) -> Measurement:
    return Measurement.objects.get(series=w.indicator.series, year=2020, replaced_at__isnull=True)


def distribution(w: World) -> Any:
    """A distribution of an adopted version of a second programme of the world's organisation:
    adopting the world's own version would freeze the draft the other samples are made in."""
    found = Distribution.objects.filter(organisation=w.org).first()
    if found is not None:
        return found
    other = programmes.create_programme(
        SYSTEM, w.org, title="Äldre program", period_start=2023, period_end=2026
    )
    version = programmes.current_version(other)
    today = timezone.localdate()
    programmes.adopt(SYSTEM, version, body="kommunfullmaktige", date=today, paragraph="§ 3")
    return checks.add_distribution(SYSTEM, version, recipient="lansstyrelsen", sent_on=today)


def organisation(w: World) -> Any:
    # Organisation settings are an administrator's; the world's editor is made one for the test.
    Membership.objects.filter(user=w.editor, organisation=w.org).update(role=Role.ADMINISTRATOR)
    return w.org


SAMPLES: dict[str, Callable[[World], Any]] = {
    "risk": lambda w: w.risk,
    "vulnerability": vulnerability,
    "capability": lambda w: w.capability,
    "chapter": lambda w: w.chapter,
    "sakerhetsmal": lambda w: w.safety_goal,
    "prestationsmal": lambda w: w.performance_goal,
    "measure": lambda w: w.measure,
    "indicator": lambda w: w.indicator,
    "measurement": measurement,
    "evaluation": helpers.evaluation,
    "survey": helpers.survey,
    "costbenefit": helpers.analysis,
    "action": helpers.action,
    "distribution": distribution,
    "organisation": organisation,
    "station": station,
    "responsearea": response_area,
    "remissinstans": consultation.party,
    "remissvar": consultation.response,
    "remissbeslut": consultation.decided,
    "citizen_view": citizen_view,
}

# A valid change for each kind (POST data); the shared tests check that it is saved and audited.
CHANGES: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "risk": lambda w, o: {
        "title": "Brand i flerbostadshus",
        "event_type": "1",
        "likelihood": "3",
        "consequence": "4",
    },
    "vulnerability": lambda w, o: {"description": "Många äldre bor ensamma i glesbygd."},
    "capability": lambda w, o: {
        "risk": str(w.risk.pk),
        "kind": "olyckstyp",
        "readiness": "fred",
        "description": "Rökdykning inom 12 minuter",
    },
    "chapter": lambda w, o: {"text": "Ny text för kapitlet."},
    "sakerhetsmal": lambda w, o: {"code": "S1", "text": "Färre bränder i bostad.", "owner": "Direktionen"},
    "prestationsmal": lambda w, o: {
        "code": "P1",
        "text": "Minst 500 hembesök per år.",
        "owner": "Förebyggande",
    },
    "measure": lambda w, o: {
        "text": "Hembesök i alla flerbostadshus",
        "owner": "Förebyggande",
        "status": "planerad",
    },
    "indicator": lambda w, o: {
        "name": "Bränder i bostad per år",
        "unit": "antal",
        "direction": "lower",
        "normalisation": o.normalisation,
        "is_count": "on",
        "source": "manual",
        "baseline_value": "25",
        "baseline_start": "2016",
        "baseline_end": "2019",
        "target_value": "20",
        "target_year": "2030",
    },
    "measurement": lambda w, o: {"value": "22", "vintage": "slutlig", "note": "Rättat efter ny körning"},
    "evaluation": lambda w, o: {"period_start": "2016", "period_end": "2021"},
    "survey": lambda w, o: {"name": "Trygghetsmätning 2024", "year": "2024", "source": "Egen enkät"},
    "citizen_view": lambda w, o: {"category": "forslag"},
    "costbenefit": lambda w, o: {
        "subject": f"atgard:{w.measure.pk}",
        "title": "Hembesök, rättad",
        "one_off_cost": "60 000",
        "yearly_cost": "200 000",
        "years": "10",
        "discount_percent": "3,5",
        "avoided_fires": "0,5",
    },
    "action": lambda w, o: {
        "title": "Fler hembesök",
        "owner": "Förebyggande",
        "status": "oppen",
        "source": "annat",
    },
    "distribution": lambda w, o: {
        "recipient": "lansstyrelsen",
        "name": "Länsstyrelsen i Gävleborg",
        "sent_on": o.sent_on.isoformat(),
    },
    "organisation": lambda w, o: {"name": "Räddningstjänsten Alfa"},
    "station": lambda w, o: {
        "name": "Centrum",
        "kind": "deltid",
        "x": "674 100",
        "y": "6 580 100",
        "staffing": "1+4",
    },
    "responsearea": lambda w, o: {"name": "Centrum och Norr", "population": "12 000"},
    "remissinstans": lambda w, o: {
        "name": "Länsstyrelsen Gävleborg",
        "contact": "Bo Ek",
        "email": "bo@example.se",
    },
    "remissvar": lambda w, o: {"about": f"kapitel-{w.chapter.pk}", "text": "Gäller kapitlet, inte målet."},
    "remissbeslut": lambda w, o: {
        "decision": "tillgodosett",
        "motivation": "Kapitlet är ändrat.",
        "changed_chapters": [str(w.chapter.pk)],
    },
}
