"""The reference data the incident layer validates against."""

from __future__ import annotations

import dataclasses

import pytest

from lsoplan import reference


def test_event_types_are_mcfs_fourteen_without_id_10() -> None:
    types = reference.event_types()
    assert [t.id for t in types] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]
    names = {t.id: t.name for t in types}
    assert names[1] == "Brand i byggnad"
    assert names[5] == "Drunkning/-tillbud"
    assert names[14] == "Automatlarm utan brandtillbud"
    assert names[15] == "Annan händelse utan risk för skada"
    assert {t.id for t in types if t.since == 2005} == {6, 11}
    assert "MCF" in types.meta.source and types.meta.retrieved and types.meta.version


def test_municipalities_keep_leading_zeros_and_carry_their_source() -> None:
    munis = reference.municipalities()
    assert len(munis) == 290
    by_code = {m.code: m for m in munis}
    assert by_code["0114"].name == "Upplands Väsby"
    assert by_code["0114"].county_code == "01"
    assert by_code["2080"].name == "Falun" and by_code["2080"].county_name == "Dalarnas län"
    assert "CC0" in munis.meta.licence


def test_population_is_scb_november_2024() -> None:
    pop = reference.population()
    assert len(pop) == 290
    assert sum(pop.values()) == 10_587_140
    assert pop[("0180", 2024)] == 995_600
    assert pop[("2425", 2024)] == min(pop.values()) == 2_308  # Dorotea is the smallest
    assert pop.meta.version == "2024-11-01"
    assert {r.code for r in reference.population_rows()} == {m.code for m in reference.municipalities()}


def test_loaders_are_cached_and_cannot_be_changed() -> None:
    assert reference.event_types() is reference.event_types()
    with pytest.raises(dataclasses.FrozenInstanceError):
        reference.event_types()[0].name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        reference.population()[("0180", 2024)] = 1  # type: ignore[index]


def test_load_yaml_returns_meta_and_items() -> None:
    meta, items = reference.load_yaml("event_types.yaml")
    assert meta.source.startswith("MCF")
    assert len(items) == 14 and items[0] == {"id": 1, "name": "Brand i byggnad"}
