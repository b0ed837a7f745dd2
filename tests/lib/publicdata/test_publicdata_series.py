"""From published figures to an indicator's yearly series."""

from __future__ import annotations

import pytest

from lsoplan.lib.publicdata.observation import FINAL, PRELIMINARY, Observation
from lsoplan.lib.publicdata.series import aggregate, parse_years


def obs(code: str, year: int, value: float | None, dim: str = "", vintage: str = FINAL) -> Observation:
    return Observation("mcf", "B/B1/B11", code, year, value, vintage=vintage, dimension=dim)


@pytest.mark.parametrize(
    ("text", "years"),
    [("2015-2024", range(2015, 2025)), ("2020", range(2020, 2021)), (" 2019 – 2021 ", range(2019, 2022))],
)
def test_parse_years(text: str, years: range) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["", "2024-2015", "tjugo", "15-24", "2015-"])
def test_parse_years_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_years(text)


def test_sum_over_municipalities_and_event_types() -> None:
    data = [
        obs("0484", 2024, 60, "t=1"), obs("0484", 2024, 40, "t=3"),
        obs("0486", 2024, 20, "t=1"), obs("0486", 2024, 10, "t=3"),
        obs("0484", 2024, 999, "t=14"),  # not asked for
    ]  # fmt: skip
    (yv,) = aggregate(data, municipalities=["0484", "0486"], dimensions=["t=1", "t=3"])
    assert (yv.year, yv.value, yv.vintage, yv.missing) == (2024, 130.0, FINAL, ())


def test_a_year_with_a_missing_part_is_not_summed() -> None:
    data = [obs("0484", 2004, 60, "t=1"), obs("0484", 2004, None, "t=6"), obs("0486", 2004, 5, "t=1")]
    (yv,) = aggregate(data, municipalities=["0484", "0486"], dimensions=["t=1", "t=6"])
    assert yv.value is None
    assert yv.missing == ("0484 t=6", "0486 t=6")


def test_preliminary_if_any_part_is() -> None:
    data = [obs("0484", 2025, 1), obs("0486", 2025, 2, vintage=PRELIMINARY)]
    (yv,) = aggregate(data, municipalities=["0484", "0486"])
    assert yv.vintage == PRELIMINARY and yv.value == 3


def test_requested_years_without_any_figure_are_left_out() -> None:
    data = [obs("0484", 2020, 1), obs("0484", 2021, None)]
    result = aggregate(data, municipalities=["0484"], years=range(2019, 2023))
    assert [(y.year, y.value) for y in result] == [(2020, 1.0), (2021, None)]
