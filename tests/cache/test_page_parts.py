"""Page parts (``{% versionpart %}``, ``{% organisationpart %}``): rendered once per data version and
per value they vary on, anew after every write they may read, and never shared between readers that
see different things (a läsare and a redaktör)."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lsoplan.goals import services as goals
from lsoplan.goals.models import SafetyGoal
from lsoplan.programmes import services as programmes
from tests.factories import SYSTEM, World

pytestmark = pytest.mark.django_db

PART = Template(
    '{% load page_parts %}{% versionpart "t" version can_edit %}{{ made }} {{ can_edit }}{% endversionpart %}'
)
WHOLE = Template('{% load page_parts %}{% organisationpart "t" version %}{{ made }}{% endorganisationpart %}')


class Counter:
    """A context value that counts how often the part was rendered from the data."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _render(template: Template, world: World, counter: Counter, can_edit: bool = True) -> str:
    return template.render(Context({"version": world.version, "can_edit": can_edit, "made": counter}))


def test_a_part_is_rendered_once_until_the_version_changes(world: World) -> None:
    made = Counter()
    assert _render(PART, world, made) == _render(PART, world, made) == "1 True"
    goals.update_goal(SYSTEM, world.safety_goal, owner="Enhet 5")
    assert _render(PART, world, made) == "2 True"


def test_a_part_is_kept_apart_for_each_value_it_varies_on(world: World) -> None:
    made = Counter()
    assert _render(PART, world, made, can_edit=True) == "1 True"
    assert _render(PART, world, made, can_edit=False) == "2 False"
    assert _render(PART, world, made, can_edit=True) == "1 True"


def test_a_version_part_outlives_a_write_to_another_version_an_organisation_part_does_not(
    world: World,
) -> None:
    programmes.adopt(
        SYSTEM, world.version, body="kommunfullmaktige", date=timezone.localdate(), paragraph="§ 1"
    )
    world.version.refresh_from_db()
    draft = programmes.new_draft(SYSTEM, world.version)
    part, whole = Counter(), Counter()
    _render(PART, world, part), _render(WHOLE, world, whole)
    goals.update_goal(SYSTEM, SafetyGoal.objects.filter(version=draft).first(), owner="Enhet 2")
    assert _render(PART, world, part) == "1 True"
    assert _render(WHOLE, world, whole) == "2"


def test_with_the_page_cache_off_a_part_is_rendered_each_time(world: World, settings: object) -> None:
    settings.LSOPLAN_PAGE_CACHE = False  # type: ignore[attr-defined]
    made = Counter()
    assert [_render(PART, world, made) for _ in range(2)] == ["1 True", "2 True"]


def test_a_part_without_a_name_is_refused_when_the_template_is_read() -> None:
    with pytest.raises(TemplateSyntaxError, match="versionpart"):
        Template("{% load page_parts %}{% versionpart version %}x{% endversionpart %}")


def test_a_reader_never_sees_the_editors_links_from_the_cache(world: World, editor: Client) -> None:
    reader = Client()
    reader.force_login(world.reader)
    page = reverse("version_conditions", kwargs={"pk": world.version.pk})
    new_risk = reverse("risk_create", kwargs={"pk": world.version.pk})
    assert new_risk in editor.get(page).content.decode()
    assert new_risk not in reader.get(page).content.decode()
