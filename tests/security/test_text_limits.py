"""Chapter texts have a size limit, and imported texts may not hide bidirectional overrides.

A chapter above 100 000 characters is refused with one Swedish message in the form, the service
and the programme file; bidirectional embedding/override/isolate characters (U+202A–U+202E,
U+2066–U+2069) are refused in the programme file with the JSON path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lsoplan.audit import services as audit
from lsoplan.cli import main
from lsoplan.lib.control_chars import control_problem, has_bidi_controls
from lsoplan.programmes.models import CHAPTER_TEXT_MAX, Chapter
from tests.factories import SYSTEM, World
from tests.test_programme_file import counts, enrich, exported

TOO_LONG = "Brand. " * (CHAPTER_TEXT_MAX // 7 + 1)


@pytest.fixture
def rich(world: World) -> World:
    enrich(world)
    return world


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_every_bidirectional_control_is_found(char: str) -> None:
    assert has_bidi_controls(f"minska med {char}20 %")
    assert control_problem(f"minska med {char}20 %") is not None


def test_ordinary_swedish_text_has_no_control_problem() -> None:
    assert control_problem("Antalet bränder ska minska med 20 % – till 2030.\n\tSe bilaga.") is None


@pytest.mark.django_db
def test_the_service_refuses_a_chapter_text_above_the_limit(world: World) -> None:
    with pytest.raises(ValidationError, match="högst 100 000 tecken"):
        audit.update(SYSTEM, world.chapter, text=TOO_LONG)
    assert Chapter.objects.get(pk=world.chapter.pk).text != TOO_LONG


@pytest.mark.django_db
def test_a_chapter_text_at_the_limit_is_accepted(world: World) -> None:
    audit.update(SYSTEM, world.chapter, text="x" * CHAPTER_TEXT_MAX)
    assert len(Chapter.objects.get(pk=world.chapter.pk).text) == CHAPTER_TEXT_MAX


@pytest.mark.django_db
def test_the_chapter_form_refuses_a_text_above_the_limit_in_swedish(world: World) -> None:
    client = Client()
    client.force_login(world.editor)
    response = client.post(reverse("chapter_edit", kwargs={"pk": world.chapter.pk}), {"text": TOO_LONG})
    assert response.status_code == 400
    assert "Kapiteltexten får vara högst 100 000 tecken" in response.content.decode()
    assert Chapter.objects.get(pk=world.chapter.pk).text != TOO_LONG


def _import(data: dict[str, Any], tmp_path: Path, org: str) -> int:
    path = tmp_path / "fil.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return main(["import", str(path), "--org", org])


@pytest.mark.django_db
def test_the_programme_file_refuses_a_chapter_text_above_the_limit(
    rich: World,
    other_world: World,
    tmp_path: Path,
    capsys: Any,
) -> None:
    data = json.loads(exported(rich.programme))
    data["chapters"][0]["text"] = TOO_LONG
    before = counts()
    assert _import(data, tmp_path, other_world.org.slug) == 1
    err = capsys.readouterr().err
    assert "$.chapters[0].text: får vara högst 100000 tecken" in err
    assert counts() == before


@pytest.mark.django_db
def test_the_programme_file_refuses_a_bidirectional_override_with_its_path(
    rich: World,
    other_world: World,
    tmp_path: Path,
    capsys: Any,
) -> None:
    data = json.loads(exported(rich.programme))
    data["safety_goals"][0]["text"] = "Antalet bränder ska \u202eöka\u202c med 20 %."
    before = counts()
    assert _import(data, tmp_path, other_world.org.slug) == 1
    err = capsys.readouterr().err
    assert "$.safety_goals[0].text: texten innehåller dolda tecken för skrivriktning" in err
    assert counts() == before
