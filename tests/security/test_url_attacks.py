"""Attacks on every URL of the URL configuration: stored XSS, CSRF, and another organisation's ids.

The URL list and how to fill each URL's arguments come from the persona test's registry
(``tests.test_access.ARGS``, which every app extends in ``tests/<app>/access_args.py`` and which
fails when a URL is missing), so a new view is attacked here as soon as it exists.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.models import Organisation, OrgOwned
from lsoplan.audit.models import AuditEntry
from tests.factories import World
from tests.test_access import ARGS, POST_ONLY, PUBLIC

PAYLOAD = '<script>alert("xss")</script>'
SHORT = "<xss>"  # for fields too short for the script tag
# Fields the application looks things up by; text there is not shown as entered.
LOOKUP_FIELDS = {"slug", "key", "model", "object_id", "lineage"}

PRIVATE = sorted(n for n in ARGS if n not in PUBLIC)
WITH_OBJECT = sorted(n for n in PRIVATE if ARGS[n] is not None)


def _url(name: str, world: World) -> str:
    fill = ARGS[name]
    return reverse(name, kwargs=fill(world) if fill else None)


def _unique_together(model: type[models.Model]) -> set[str]:
    """Fields in a multi-column unique constraint: one payload in every row would collide."""
    names = {n for group in model._meta.unique_together for n in group}
    for constraint in model._meta.constraints:
        names |= set(getattr(constraint, "fields", ()) or ())
    return names


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    together = _unique_together(model)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and not f.unique
        and f.name not in together
        and f.name not in LOOKUP_FIELDS
        and not isinstance(f, models.SlugField)
        and (f.max_length is None or f.max_length >= len(SHORT))
    ]


def _poison(org: Organisation, users: list[Any]) -> int:
    """Put the payload in every free-text field of every row the organisation owns, and in its
    own and its members' names. Written straight to the table: text reaches the database through
    forms, importers and the API alike, and the pages must escape it whatever the way."""
    fields_poisoned = 0
    for model in apps.get_models():
        if model is Organisation:
            rows = Organisation.objects.filter(pk=org.pk)
        elif issubclass(model, OrgOwned):
            rows = model._default_manager.filter(organisation=org)
        else:
            continue
        values = {
            f.name: PAYLOAD if f.max_length is None or f.max_length >= len(PAYLOAD) else SHORT
            for f in _text_fields(model)
        }
        if values and rows.exists():
            rows.update(**values)
            fields_poisoned += len(values)
    user_model = get_user_model()
    user_model.objects.filter(pk__in=[u.pk for u in users]).update(
        first_name=PAYLOAD, last_name=PAYLOAD, email="x@example.se"
    )
    return fields_poisoned


@pytest.mark.django_db
def test_stored_xss_is_escaped_on_every_page(world: World) -> None:
    urls = {name: _url(name, world) for name in PRIVATE if name not in POST_ONLY}
    assert _poison(world.org, [world.editor, world.reader]) > 20
    client = Client()
    client.force_login(world.editor)
    leaks, shown = [], []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code < 500, f"{name} failed with text that looks like HTML"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if PAYLOAD in body or SHORT in body:
            leaks.append(name)
        if "&lt;script&gt;alert(" in body:
            shown.append(name)
    assert leaks == [], f"unescaped user text on: {leaks}"
    # The test is only as good as the text it puts on the pages: most pages do show it, escaped.
    assert len(shown) >= len(urls) // 2, shown


@pytest.mark.django_db
def test_every_form_needs_the_csrf_token(world: World) -> None:
    urls = {name: _url(name, world) for name in ARGS}
    member = Client(enforce_csrf_checks=True)
    member.force_login(world.editor)
    anonymous = Client(enforce_csrf_checks=True)
    refused = {}
    for name, url in urls.items():
        client = anonymous if name in PUBLIC else member
        refused[name] = client.post(url, {"title": "x", "text": "x"}).status_code
    assert {name: status for name, status in refused.items() if status != 403} == {}


def _org_state(org: Organisation) -> dict[str, int]:
    """Row counts of everything the organisation owns, and its audit trail."""
    state = {
        model._meta.label_lower: model._default_manager.filter(organisation=org).count()
        for model in apps.get_models()
        if issubclass(model, OrgOwned)
    }
    state["audit"] = AuditEntry.objects.filter(organisation=org).count()
    return state


@pytest.mark.django_db
@pytest.mark.parametrize("name", WITH_OBJECT)
def test_another_organisation_cannot_post_to_any_object(name: str, world: World, other_world: World) -> None:
    url = _url(name, world)
    before = _org_state(world.org)
    intruder = Client()
    intruder.force_login(other_world.editor)
    response = intruder.post(url, {"title": "Kapad", "text": "Kapad", "description": "Kapad"})
    # 404 like a missing object; a view that only answers GET may say 405 before it looks.
    assert response.status_code in (404, 405)
    assert _org_state(world.org) == before
