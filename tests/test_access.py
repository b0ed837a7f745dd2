"""Three personas on every URL: a member sees it, another organisation's member gets 404, an
anonymous visitor is sent to the login page. The URL list comes from the URL configuration, so a
new view that is not listed here fails the completeness test instead of escaping the check."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, World

# url name → how to fill its arguments from a World (None: the URL takes no object id).
ARGS: dict[str, Callable[[World], dict[str, Any]] | None] = {
    "home": None,
    "login": None,
    "logout": None,
    "programme_list": None,
    "programme_create": None,
    "programme_detail": lambda w: {"pk": w.programme.pk},
    "object_history": lambda w: {"model": "conditions.risk", "object_id": w.risk.pk},
    "version_overview": lambda w: {"pk": w.version.pk},
    "version_chapters": lambda w: {"pk": w.version.pk},
    "version_checks": lambda w: {"pk": w.version.pk},
    "version_documents": lambda w: {"pk": w.version.pk},
    "version_incidents": lambda w: {"pk": w.version.pk},
    "version_consultation": lambda w: {"pk": w.version.pk},
    "version_adopt": lambda w: {"pk": w.version.pk},
    "version_new_draft": lambda w: {"pk": w.version.pk},
    "version_history": lambda w: {"pk": w.version.pk},
    "version_evaluation": lambda w: {"pk": w.version.pk},
    "version_learning": lambda w: {"pk": w.version.pk},
    "version_conditions": lambda w: {"pk": w.version.pk},
    "matrix_cell": lambda w: {"pk": w.version.pk, "likelihood": 4, "consequence": 4},
    "risk_create": lambda w: {"pk": w.version.pk},
    "risk_detail": lambda w: {"pk": w.risk.pk},
    "vulnerability_add": lambda w: {"pk": w.risk.pk},
    "capability_create": lambda w: {"pk": w.version.pk},
    "version_goals": lambda w: {"pk": w.version.pk},
    "version_smart": lambda w: {"pk": w.version.pk},
    "safety_goal_create": lambda w: {"pk": w.version.pk},
    "performance_goal_create": lambda w: {"pk": w.version.pk},
    "goal_detail": lambda w: {"kind": "sakerhetsmal", "pk": w.safety_goal.pk},
    "indicator_create": lambda w: {"kind": "sakerhetsmal", "pk": w.safety_goal.pk},
    "measure_create": lambda w: {"pk": w.performance_goal.pk},
    "indicator_detail": lambda w: {"pk": w.indicator.pk},
    "measurement_grid": lambda w: {"pk": w.indicator.pk},
    "version_followup": lambda w: {"pk": w.version.pk},
}
PUBLIC = {"login", "logout"}
POST_ONLY = {"version_new_draft", "vulnerability_add", "measure_create", "logout"}
ADMIN_ONLY: set[str] = set()  # pages for the administratör only: the editor gets 403

# Each app's tests add their URLs in tests/<app>/access_args.py (ARGS, and optionally POST_ONLY and
# PUBLIC), so that apps built in parallel need not edit this file.
for _path in sorted(Path(__file__).parent.glob("*/access_args.py")):
    _module = importlib.import_module(f"tests.{_path.parent.name}.access_args")
    ARGS.update(_module.ARGS)
    POST_ONLY |= set(getattr(_module, "POST_ONLY", ()))
    PUBLIC |= set(getattr(_module, "PUBLIC", ()))
    ADMIN_ONLY |= set(getattr(_module, "ADMIN_ONLY", ()))


def _names(patterns: list[Any]) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            # The API answers tokens, not sessions: its persona tests are generated from its
            # OpenAPI document instead (tests/api/test_api_access.py).
            if p.namespace == "api-v1":
                continue
            yield from _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_url_is_covered() -> None:
    names = set(_names(get_resolver().url_patterns))
    assert names - set(ARGS) == set(), "add the new URL to ARGS so the persona tests cover it"


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


PRIVATE = sorted(n for n in ARGS if n not in PUBLIC)
WITH_OBJECT = sorted(n for n in PRIVATE if ARGS[n] is not None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE)
def test_anonymous_is_sent_to_login(name: str, world: World) -> None:
    fill = ARGS[name]
    url = reverse(name, kwargs=fill(world) if fill else None)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_OBJECT)
def test_member_of_another_organisation_gets_404(name: str, world: World, other_world: World) -> None:
    fill = ARGS[name]
    assert fill is not None
    url = reverse(name, kwargs=fill(world))
    client = _login(other_world.editor.username)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE)
def test_member_can_open(name: str, world: World, other_world: World) -> None:
    fill = ARGS[name]
    url = reverse(name, kwargs=fill(world) if fill else None)
    client = _login(world.editor.username)
    response = client.get(url)
    if name in POST_ONLY:
        assert response.status_code == 405
    elif name in ADMIN_ONLY:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            # Nothing of the other organisation may leak into any page.
            assert other_world.org.name not in response.content.decode()


@pytest.mark.django_db
def test_reader_cannot_change(world: World) -> None:
    client = _login(world.reader.username)
    assert client.get(reverse("version_goals", kwargs={"pk": world.version.pk})).status_code == 200
    response = client.post(reverse("risk_edit", kwargs={"pk": world.risk.pk}), {"title": "X"})
    assert response.status_code == 403
    world.risk.refresh_from_db()
    assert world.risk.title == "Brand i bostad"


@pytest.mark.django_db
def test_history_refuses_models_outside_the_list(world: World) -> None:
    client = _login(world.editor.username)
    url = reverse("object_history", kwargs={"model": "auth.user", "object_id": world.editor.pk})
    assert client.get(url).status_code == 404


# The persona "anonymous public": every /allmanhet/ route (tests/public/access_args.py) answers a
# visitor without login for a published organisation, and 404 for an unpublished one; nothing of
# another organisation, no user name and no internal link appears.
PUBLIC_PAGES = sorted(n for n in PUBLIC if n.startswith("public_"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_anonymous_public_reads_a_published_organisation(name: str, world: World, other_world: World) -> None:
    from tests.public.helpers import adopt_and_publish

    cache.clear()  # pages are cached by data version; another test's ids may repeat
    adopt_and_publish(world)
    adopt_and_publish(other_world)
    fill = ARGS[name]
    assert fill is not None
    response = Client().get(reverse(name, kwargs=fill(world)))
    assert response.status_code == 200
    body = response.content.decode(errors="replace")
    assert other_world.org.name not in body
    assert world.editor.username not in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_anonymous_public_gets_404_for_an_unpublished_organisation(
    name: str, world: World, other_world: World
) -> None:
    from tests.public.helpers import adopt_and_publish

    cache.clear()
    adopt_and_publish(world, publish=False)
    adopt_and_publish(other_world)
    fill = ARGS[name]
    assert fill is not None
    client = Client()
    url = reverse(name, kwargs=fill(world))
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hej"}).status_code in (404, 405)
