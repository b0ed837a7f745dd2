"""The pages issue 19 made cheap stay cheap: with warm caches their query counts do not grow with
the number of goals, and stay low (the counts measured at the time, plus a little room)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, World
from tests.ops.test_query_counts import _add_goals

# Warm: what each page still reads (session, user, version, the data version, its own rows).
PAGES = {
    "version_overview": 16,
    "version_goals": 20,
    "version_evaluation": 14,
    "version_checks": 14,
    "version_history": 10,
    "version_incidents": 12,
    "version_diff": 12,
    "version_followup": 10,
}


def _counts(world: World) -> dict[str, int]:
    client = Client()
    assert client.login(username=world.editor.username, password=PASSWORD)
    counts = {}
    for name in PAGES:
        url = reverse(name, kwargs={"pk": world.version.pk})
        client.get(url)  # the first request after a write computes and fills the cache
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_warm_pages_read_a_bounded_number_of_rows_whatever_the_number_of_goals(world: World) -> None:
    _add_goals(world, 2, 2)
    few = _counts(world)
    _add_goals(world, 4, 10)
    many = _counts(world)
    report = {name: (few[name], many[name]) for name in PAGES}
    assert {name: c for name, c in report.items() if c[1] > c[0]} == {}, report
    assert {name: many[name] for name in PAGES if many[name] > PAGES[name]} == {}, report
