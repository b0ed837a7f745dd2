"""No internal code (a chain gap code, an egenkontroll rule id, a status key) shows as text on any
page a member opens. Codes inside attributes (ids, classes, URLs) are fine; text is not."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.checks import services as checks
from lsoplan.evaluation import services as evaluation
from lsoplan.lib.compliance import load_rules
from lsoplan.lib.goalchain import GAP_LABELS
from lsoplan.programmes import services as programmes
from tests.factories import SYSTEM, World
from tests.test_access import ARGS, POST_ONLY, PRIVATE

pytestmark = pytest.mark.django_db

GAP_CODES = list(GAP_LABELS)
STATUS_KEYS = ["okant", "ej_tillämplig", "ej_tillamplig"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _codes() -> list[str]:
    return GAP_CODES + STATUS_KEYS + [rule.id for rule in load_rules().rules]


@pytest.fixture
def busy_world(world: World) -> World:
    """A world whose pages show gaps, a check run and an action created from a finding."""
    run = checks.run_checks(SYSTEM, world.version)
    rule = load_rules().rules[0]
    evaluation.create_action(
        SYSTEM,
        world.version,
        title="Rätta ordningen",
        owner="Förebyggande",
        source="egenkontroll",
        source_ref={"rule": rule.id, "run": run.pk},
    )
    return world


def test_no_internal_code_shows_on_any_page(busy_world: World, editor: Client) -> None:
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in _codes()) + r")(?![\w-])")
    leaks: dict[str, list[str]] = {}
    # Distribution samples adopt the version, after which draft content cannot be made: last.
    for name in sorted(PRIVATE, key=lambda n: "distribution" in n):
        if name in POST_ONLY:
            continue
        fill = ARGS[name]
        response = editor.get(reverse(name, kwargs=fill(busy_world) if fill else None))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        found = sorted(set(pattern.findall(_text(response.content.decode()))))
        if found:
            leaks[name] = found
    assert leaks == {}


def test_history_names_fields_by_their_labels(world: World, editor: Client) -> None:
    editor.post(
        reverse("risk_edit", kwargs={"pk": world.risk.pk}),
        {"title": "Brand i flerbostadshus", "event_type": "1", "likelihood": "3", "consequence": "4"},
    )
    url = reverse("object_history", kwargs={"model": "conditions.risk", "object_id": world.risk.pk})
    text = _text(editor.get(url).content.decode())
    assert "likelihood" not in text and "sannolikhet" in text.lower()


def test_adoption_history_shows_labels(world: World, editor: Client) -> None:
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 3"
    )
    page = editor.get(reverse("version_history", kwargs={"pk": world.version.pk})).content.decode()
    assert "kommunfullmaktige" not in _text(page)
