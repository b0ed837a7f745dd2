"""Undoing an import asks first, and leaves nothing derived from the removed incidents behind."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from lsoplan.cli import main
from lsoplan.followup.selectors import indicator_status
from lsoplan.goals import services as goals
from lsoplan.goals.models import Measurement
from lsoplan.goals.selectors import spec_for
from lsoplan.incidents import selectors
from lsoplan.incidents.models import ImportBatch, Incident
from lsoplan.incidents.services import import_incidents, undo_import
from lsoplan.lib.verdicts import Point, judge
from tests.factories import World
from tests.incidents.test_import import CLI, native


def _fires(prefix: str, year: int, n: int) -> list[str]:
    return [
        f"{prefix}-{year}-{i};0484;1;{year}-05-{1 + i % 28:02d} 12:00;{year}-05-{1 + i % 28:02d} 12:09;;"
        for i in range(n)
    ]


def _current(world: World) -> dict[int, float]:
    rows = Measurement.objects.filter(series=world.indicator.series, replaced_at__isnull=True)
    return {m.year: m.value for m in rows}


def _counts_from_the_remaining_incidents(world: World) -> dict[int, float]:
    """An independent count: the year of each remaining fire's alarm in Swedish time (midday, so
    the date is the same in UTC)."""
    counts: dict[int, float] = {}
    for alarm in Incident.objects.filter(organisation=world.org, event_type_id=1).values_list(
        "alarm_at", flat=True
    ):
        counts[alarm.year] = counts.get(alarm.year, 0) + 1
    return counts


@pytest.mark.django_db
def test_after_undo_the_incident_indicator_and_its_verdict_follow_the_remaining_incidents(
    world: World,
) -> None:
    goals.update_indicator(CLI, world.indicator, source="incidents", source_config={"event_types": [1]})
    import_incidents(
        CLI, world.org, native(*_fires("A", 2021, 22), *_fires("A", 2022, 21)), file_name="a.csv"
    )
    before = indicator_status(world.indicator)
    second = import_incidents(
        CLI, world.org, native(*_fires("B", 2023, 60), *_fires("B", 2024, 55)), file_name="b.csv"
    )
    assert second.batch is not None
    assert _current(world)[2023] == 60.0 and indicator_status(world.indicator) != before

    undo_import(CLI, second.batch)

    typed = {2016: 26.0, 2017: 24.0, 2018: 25.0, 2019: 25.0, 2020: 23.0}  # the factory's own values
    assert _current(world) == typed | _counts_from_the_remaining_incidents(world)
    # Independently of the pages: the verdict rule applied to the values that remain.
    points = [Point(year, value, False) for year, value in sorted(_current(world).items())]
    expected = judge(spec_for(world.indicator), points, today_year=dt.date.today().year)
    assert indicator_status(world.indicator) == expected
    assert indicator_status(world.indicator) == before


@pytest.mark.django_db
def test_undoing_the_only_import_withdraws_every_computed_value_but_keeps_typed_ones(world: World) -> None:
    goals.update_indicator(CLI, world.indicator, source="incidents", source_config={"event_types": [1]})
    first = import_incidents(CLI, world.org, native(*_fires("A", 2022, 5)), file_name="a.csv")
    assert first.batch is not None and _current(world)[2022] == 5.0
    undo_import(CLI, first.batch)
    assert 2022 not in _current(world) and _current(world)[2016] == 26.0
    withdrawn = Measurement.objects.get(series=world.indicator.series, year=2022)
    assert withdrawn.replaced_at is not None  # kept in the history, not deleted
    assert selectors.counts(world.org)["total"] == 0  # the statistics copy follows as well


@pytest.mark.django_db
def test_cli_undo_names_the_count_and_asks_in_a_terminal(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = import_incidents(CLI, world.org, native(*_fires("A", 2022, 7)), file_name="a.csv").batch
    assert batch is not None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("nej\n"))
    assert main(["incidents", "undo", str(batch.pk), "--org", world.org.slug]) == 0
    out = capsys.readouterr().out
    assert "7 händelser tas bort" in out and "ingenting har ändrats" in out
    assert Incident.objects.count() == 7
    monkeypatch.setattr("sys.stdin", Terminal("ja\n"))
    assert main(["incidents", "undo", str(batch.pk), "--org", world.org.slug]) == 0
    assert Incident.objects.count() == 0 and ImportBatch.objects.get().undone_at is not None


@pytest.mark.django_db
def test_cli_undo_outside_a_terminal_needs_yes(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    batch = import_incidents(CLI, world.org, native(*_fires("A", 2022, 2)), file_name="a.csv").batch
    assert batch is not None
    assert main(["incidents", "undo", str(batch.pk), "--org", world.org.slug]) == 2
    assert "--yes" in capsys.readouterr().err and Incident.objects.count() == 2
