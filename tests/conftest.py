from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client

from tests.browser_support import browser, page  # noqa: F401  (shared, session-wide browser)
from tests.factories import PASSWORD, World, build_world


@pytest.fixture(autouse=True)
def _fast_hasher(request: pytest.FixtureRequest, settings: LazySettings) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_document_cache(tmp_path_factory: pytest.TempPathFactory, settings: LazySettings) -> None:
    """Each test starts without rendered documents, so no test sees another's output."""
    settings.LSOPLAN_CACHE_DIR = tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings: LazySettings) -> None:
    """Queued jobs run inside the call that enqueues them; tests of the queue itself override this."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db: None) -> World:
    return build_world("alfa", ["0484", "0486"])


@pytest.fixture
def other_world(db: None) -> World:
    return build_world("beta", ["0180"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Anything that drives Chromium is a browser test, wherever it lives (the PostgreSQL pass skips them).
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Persona clients (STYLE (c)): a member who edits, a member who only reads, a member of another
# organisation, and a visitor who is not logged in.
def _client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(world: World) -> Client:
    return _client_for(world.editor.username)


@pytest.fixture
def reader(world: World) -> Client:
    return _client_for(world.reader.username)


@pytest.fixture
def outsider(other_world: World) -> Client:
    return _client_for(other_world.editor.username)


@pytest.fixture
def anonymous() -> Client:
    return Client()
