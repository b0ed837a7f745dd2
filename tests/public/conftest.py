from __future__ import annotations

import pytest
from django.core.cache import cache

from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import World
from tests.public.helpers import adopt_and_publish


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with no cached page and no submission count."""
    cache.clear()


@pytest.fixture
def published(world: World) -> ProgrammeVersion:
    return adopt_and_publish(world)
