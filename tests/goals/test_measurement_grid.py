"""Several years in one form and a paste from Excel: all rows or none, errors named by line."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.goals.models import Measure, Measurement
from tests.factories import World

pytestmark = pytest.mark.django_db


def _url(world: World) -> str:
    return reverse("measurement_grid", kwargs={"pk": world.indicator.pk})


def _current(world: World) -> dict[int, tuple[float, str]]:
    rows = Measurement.objects.filter(series=world.indicator.series, replaced_at__isnull=True)
    return {m.year: (m.value, m.vintage) for m in rows}


def _grid_post(editor: Client, world: World, values: dict[int, tuple[str, str]]) -> Any:
    page = editor.get(_url(world))
    years = page.context["rows"]
    data: dict[str, Any] = {
        "action": "grid",
        "ar-TOTAL_FORMS": str(len(years)),
        "ar-INITIAL_FORMS": str(len(years)),
    }
    for i, (year, form) in enumerate(years):
        value, vintage = values.get(year, (form.initial.get("value") or "", form.initial.get("vintage")))
        data |= {f"ar-{i}-year": str(year), f"ar-{i}-value": str(value), f"ar-{i}-vintage": vintage}
        data[f"ar-{i}-note"] = form.initial.get("note", "")
    return editor.post(_url(world), data)


def test_the_grid_saves_several_years_in_one_form(world: World, editor: Client) -> None:
    response = _grid_post(editor, world, {2021: ("21", "slutlig"), 2022: ("1 234,5", "preliminar")})
    assert response.status_code == 302, response.content.decode()[:3000]
    current = _current(world)
    assert current[2021] == (21.0, "slutlig") and current[2022] == (1234.5, "preliminar")


def test_the_grid_leaves_unchanged_years_alone(world: World, editor: Client) -> None:
    before = Measurement.objects.count()
    _grid_post(editor, world, {2021: ("21", "slutlig")})
    assert Measurement.objects.count() == before + 1


def test_a_bad_row_in_the_grid_saves_nothing(world: World, editor: Client) -> None:
    before = Measurement.objects.count()
    response = _grid_post(editor, world, {2021: ("21", "slutlig"), 2022: ("tjugo", "slutlig")})
    assert response.status_code == 400
    assert Measurement.objects.count() == before


def test_a_paste_from_excel_is_read_with_swedish_numbers(world: World, editor: Client) -> None:
    text = "2021\t1 234,5\n2022\t1\u00a0300\tpreliminär\n"
    response = editor.post(_url(world), {"action": "paste", "text": text, "vintage": "slutlig"})
    assert response.status_code == 302
    current = _current(world)
    assert current[2021] == (1234.5, "slutlig") and current[2022] == (1300.0, "preliminar")


def test_a_paste_with_errors_names_line_and_column_and_saves_nothing(world: World, editor: Client) -> None:
    before = Measurement.objects.count()
    text = "2021\t5\n2022\tsex\n"
    response = editor.post(_url(world), {"action": "paste", "text": text, "vintage": "slutlig"})
    assert response.status_code == 400
    assert "Rad 2, kolumn 2: ”sex” är inget tal." in response.content.decode()
    assert Measurement.objects.count() == before


def test_a_pasted_correction_keeps_the_old_value(world: World, editor: Client) -> None:
    editor.post(_url(world), {"action": "paste", "text": "2020\t22", "vintage": "slutlig"})
    rows = Measurement.objects.filter(series=world.indicator.series, year=2020).order_by("entered_at")
    assert [(m.value, m.replaced_at is not None) for m in rows] == [(23.0, True), (22.0, False)]


def test_reader_cannot_paste(world: World, reader: Client) -> None:
    before = Measurement.objects.count()
    response = reader.post(_url(world), {"action": "paste", "text": "2021\t5", "vintage": "slutlig"})
    assert response.status_code == 403 and Measurement.objects.count() == before


def test_measure_costs_accept_spaces_between_thousands(world: World, editor: Client) -> None:
    url = reverse("measure_edit", kwargs={"pk": world.measure.pk})
    data = {"text": world.measure.text, "owner": "", "status": "planerad", "cost_once": "150 000"}
    response = editor.post(url, data | {"cost_yearly": "1\u2009234"})
    assert response.status_code == 303, response.content.decode()[:2000]
    measure = Measure.objects.get(pk=world.measure.pk)
    assert (measure.cost_once, measure.cost_yearly) == (150000, 1234)
