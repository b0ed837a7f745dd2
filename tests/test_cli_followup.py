"""`lsoplan followup`: the promised JSON keys and codes, the text form, and usage errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lsoplan.cli import main
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_json_has_one_object_per_indicator_with_the_promised_keys(world: World, capsys: Any) -> None:
    assert main(["followup", str(world.programme.pk), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["indicator"] for r in rows] == ["Bränder i bostad"]
    row = rows[0]
    assert row["goal"] == "S1"
    # "ska minska med 20 % till 2030": a relative change of an outcome.
    assert (row["target_kind"], row["indicator_kind"]) == ("relative_change", "utfall")
    assert isinstance(row["failing_years"], list) and isinstance(row["preliminary"], bool)
    assert row["sentence"].endswith(".")


def test_text_form_gives_one_line_per_indicator(world: World, capsys: Any) -> None:
    assert main(["followup", str(world.programme.pk), "--format", "text"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("S1") and "Bränder i bostad" in lines[0]


def test_an_unknown_format_is_a_usage_error(world: World, capsys: Any) -> None:
    assert main(["followup", str(world.programme.pk), "--format", "xml"]) == 2
    assert "lsoplan: fel:" in capsys.readouterr().err
