"""The demo's synthetic incidents: reproducible, imported as a batch, shaped like real ones."""

from __future__ import annotations

import polars as pl
import pytest

from lsoplan import reference
from lsoplan.audit.services import Actor
from lsoplan.demo.incidents import (
    demo_indicator_values,
    demo_rates,
    generate_demo_incidents,
    load_demo_incidents,
)
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measurement
from lsoplan.incidents import selectors
from lsoplan.incidents.models import ImportBatch
from tests.factories import World

CODES = ["0482", "0484", "0486"]


def test_rates_file_names_its_sources() -> None:
    meta, raw = demo_rates()
    assert meta.source and meta.retrieved and meta.version
    assert sorted(i["id"] for i in raw["items"]) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]
    assert all(i["source"] for i in raw["items"])


def test_same_seed_same_incidents() -> None:
    first = generate_demo_incidents(CODES, years=range(2020, 2022))
    assert first.equals(generate_demo_incidents(CODES, years=range(2020, 2022)))
    assert not first.equals(generate_demo_incidents(CODES, seed=1, years=range(2020, 2022)))


def test_shapes_follow_the_documented_rates() -> None:
    table = generate_demo_incidents(CODES, years=range(2014, 2026))
    population = sum(reference.population()[(c, 2024)] for c in CODES)
    per_year = table.filter(pl.col("handelsetyp") == "2").height / 12
    assert per_year == pytest.approx(1.61 * population / 1000, rel=0.1)  # traffic: MSB 2023
    drowning = table.filter(pl.col("handelsetyp") == "5").with_columns(m=pl.col("_larm").dt.month())
    assert drowning.filter(pl.col("m").is_between(5, 9)).height > 0.7 * drowning.height
    assert table.get_column("handelse_id").is_unique().all()


@pytest.mark.django_db
def test_load_imports_a_batch_and_feeds_indicators(world: World) -> None:
    goals.update_indicator(
        Actor(None, "demo"), world.indicator, source="incidents", source_config={"event_types": [2]}
    )
    outcome = load_demo_incidents(world.org, years=range(2016, 2026))
    assert outcome.ok and outcome.n_warnings == 0
    assert ImportBatch.objects.get(organisation=world.org).imported_by_label == "demo"
    times = {
        g["kommun"]: g["median_s"] for g in selectors.response_time_table(world.org, ["kommun"])["groups"]
    }
    assert times["0486"] > times["0484"]  # smaller municipality, longer insatstid
    stored = Measurement.objects.filter(series=world.indicator.series, replaced_at__isnull=True)
    expected = demo_indicator_values(["0484", "0486"], {"event_types": [2]}, years=range(2016, 2026))
    assert {m.year: m.value for m in stored} == expected
