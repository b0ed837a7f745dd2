"""Key statistics: counts under the maps' threshold are left out, and so are years not complete."""

from __future__ import annotations

import pytest

from lsoplan.public import selectors
from tests.factories import World

pytestmark = pytest.mark.django_db


def _counts(monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, object]]) -> None:
    monkeypatch.setattr(selectors.report_selectors, "incident_counts", lambda org: rows)


def test_a_count_below_the_threshold_is_suppressed(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _counts(
        monkeypatch,
        [{"year": 2024, "handelsetyp": "Brand i byggnad", "count": world.org.suppression_threshold - 1}],
    )
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.rows == [("Brand i byggnad", [None])]


def test_a_count_at_the_threshold_is_shown(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _counts(
        monkeypatch,
        [{"year": 2024, "handelsetyp": "Brand i byggnad", "count": world.org.suppression_threshold}],
    )
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.rows == [("Brand i byggnad", [world.org.suppression_threshold])]


def test_a_small_total_is_suppressed_too(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _counts(
        monkeypatch,
        [
            {"year": 2024, "handelsetyp": "Brand i byggnad", "count": 1},
            {"year": 2024, "handelsetyp": "Trafikolycka", "count": 1},
        ],
    )
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.totals == [None]


def test_only_the_last_five_complete_years_are_shown(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    this_year = dt.date.today().year
    rows = [{"year": y, "handelsetyp": "Brand", "count": 10} for y in range(this_year - 8, this_year + 1)]
    _counts(monkeypatch, rows)
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.years == list(range(this_year - 5, this_year))


def test_a_total_that_would_give_a_suppressed_count_back_is_left_out(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _counts(
        monkeypatch,
        [
            {"year": 2024, "handelsetyp": "Brand i byggnad", "count": 40},
            {"year": 2024, "handelsetyp": "Drunkning", "count": 1},
        ],
    )
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.rows[1] == ("Drunkning", [None]) and stats.totals == [None]


def test_the_organisations_own_threshold_is_used(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from lsoplan.accounts.services import update_organisation
    from tests.factories import SYSTEM

    update_organisation(SYSTEM, world.org, name=world.org.name, suppression_threshold=6)
    _counts(monkeypatch, [{"year": 2024, "handelsetyp": "Brand i byggnad", "count": 5}])
    stats = selectors.key_statistics(world.org)
    assert stats is not None and stats.rows == [("Brand i byggnad", [None])] and stats.threshold == 6
