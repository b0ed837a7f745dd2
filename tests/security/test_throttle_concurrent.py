"""Concurrent wrong passwords: the limit holds however many attempts arrive at once.

Threads post against the real database (committed, each thread its own connection), so the test
means the same on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from lsoplan.accounts.services import create_organisation, create_user
from lsoplan.ops.models import LoginFailure
from tests.factories import PASSWORD, SYSTEM

ATTEMPTS = 24


@pytest.mark.django_db(transaction=True)
@override_settings(LSOPLAN_LOGIN_MAX_FAILURES=5, LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS=1000)
def test_24_concurrent_wrong_passwords_let_at_most_5_through() -> None:
    org = create_organisation(SYSTEM, slug="samtidig", name="Samtidig", municipality_codes=["0180"])
    create_user(SYSTEM, username="granne", organisation=org, role="redaktor", password=PASSWORD)
    barrier = threading.Barrier(ATTEMPTS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            client = Client()
            barrier.wait()
            # Look-alike spellings too: they must count against the same name.
            name = "ｇranne" if n % 2 else "GRANNE"
            response = client.post(
                reverse("login"), {"username": name, "password": "fel-lösenord"}, REMOTE_ADDR="10.0.0.1"
            )
            statuses.append(response.status_code)
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    counted = Counter(statuses)
    assert counted[200] + counted[429] == ATTEMPTS
    assert 1 <= counted[200] <= 5
    assert LoginFailure.objects.filter(username="granne").count() == counted[200]
