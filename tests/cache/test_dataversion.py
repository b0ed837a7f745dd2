"""The data version: every write changes it, a cached result lives only as long as its version."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from lsoplan import settings as lsoplan_settings
from lsoplan.audit import dataversion
from lsoplan.audit.services import update
from lsoplan.lib.publicdata.observation import Observation
from lsoplan.publicdata.services import write_population
from lsoplan.reference_sync import sync_reference_data
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db


def test_an_audited_write_changes_the_organisations_number(world: World) -> None:
    before = dataversion.numbers(world.org.pk)
    update(SYSTEM, world.risk, title="Brand i flerbostadshus")
    assert dataversion.numbers(world.org.pk)[0] != before[0]


def test_a_write_leaves_another_organisations_number_alone(world: World, other_world: World) -> None:
    before = dataversion.numbers(other_world.org.pk)
    update(SYSTEM, world.risk, title="Brand i flerbostadshus")
    assert dataversion.numbers(other_world.org.pk) == before


def test_a_rolled_back_write_leaves_a_number_no_later_write_reuses(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        dataversion.bump(world.org.pk)
        abandoned = dataversion.numbers(world.org.pk)[0]
        raise RuntimeError
    dataversion.bump(world.org.pk)
    assert dataversion.numbers(world.org.pk)[0] > abandoned


def test_a_cached_result_is_reused_until_the_next_write(world: World) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    first = dataversion.cached(world.org.pk, "test", ("a",), compute)
    again = dataversion.cached(world.org.pk, "test", ("a",), compute)
    update(SYSTEM, world.risk, title="Brand i flerbostadshus")
    after_write = dataversion.cached(world.org.pk, "test", ("a",), compute)
    assert (first, again, after_write) == (1, 1, 2)


def test_reference_data_sync_changes_the_global_number(world: World) -> None:
    before = dataversion.numbers(world.org.pk)
    sync_reference_data()
    after = dataversion.numbers(world.org.pk)
    assert after[0] == before[0] and after[1] != before[1]


def test_a_new_population_figure_changes_the_global_number(world: World) -> None:
    before = dataversion.numbers(None)
    observation = Observation(
        source="scb", dataset="BE0101N1", municipality="0484", period=2031, dimension="", value=105000.0
    )
    assert write_population([observation], source_text="SCB", offline=False) == 1
    assert dataversion.numbers(None) != before


def test_a_cache_that_fails_costs_speed_not_the_page(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("cache down")

        def set(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("cache down")

    monkeypatch.setattr(dataversion, "caches", {"default": Broken()})
    assert dataversion.cached(world.org.pk, "test", (), lambda: 42) == 42


def test_the_page_cache_can_be_switched_off(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_PAGE_CACHE = False
    values = iter([1, 2])
    dataversion.cached(world.org.pk, "off", (), lambda: next(values))
    assert dataversion.cached(world.org.pk, "off", (), lambda: next(values)) == 2


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem:", "locmem.LocMemCache"),
        ("", "locmem.LocMemCache"),
        ("file:///var/cache/lsoplan", "filebased.FileBasedCache"),
        ("db:", "db.DatabaseCache"),
        ("redis://cache.example:6379/0", "redis.RedisCache"),
    ],
)
def test_the_cache_url_chooses_the_backend(url: str, backend: str) -> None:
    assert lsoplan_settings._caches(url)["default"]["BACKEND"] == f"django.core.cache.backends.{backend}"


def test_an_unknown_cache_url_is_refused_in_one_swedish_line() -> None:
    with pytest.raises(ImproperlyConfigured, match="LSOPLAN_CACHE_URL ska börja med"):
        lsoplan_settings._caches("memcached://x")


def test_a_file_cache_without_a_path_lives_under_the_cache_folder() -> None:
    location = str(lsoplan_settings._caches("file:")["default"]["LOCATION"])
    assert location.endswith("/pages")
