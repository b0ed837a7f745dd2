"""Reading the target kind, its years and outcome/output from Swedish goal texts (lib.targets)."""

from __future__ import annotations

import pytest

from lsoplan.lib.targets import infer_indicator_kind, infer_target


@pytest.mark.parametrize(
    ("text", "kind", "window"),
    [
        (
            "Förbundet ska genomföra minst 450 tillsyner enligt LSO per år 2023–2026, jämfört med i "
            "genomsnitt 380 per år 2016–2019.",
            "every_year",
            (2023, 2026),
        ),
        (
            "Varje år 2023–2026 ska minst 95 % av eleverna få brandskyddsutbildning.",
            "every_year",
            (2023, 2026),
        ),
        (
            "Antalet bostadsbränder ska minska med en tredjedel till 2030 jämfört med 2021–2023.",
            "relative_change",
            (2030, 2030),
        ),
        ("Trafikolyckorna ska halveras till 2026 jämfört med 2021.", "relative_change", (2026, 2026)),
        ("I genomsnitt minst 400 hembesök per år 2027–2030.", "mean", (2027, 2030)),
        ("Sammanlagt ska 2 000 personer utbildas 2027–2030.", "total", (2027, 2030)),
        ("Andelen ska öka med 5 procentenheter till 2030.", "absolute_change", (2030, 2030)),
        (
            "Bränderna ska minska med 10 till 2030 från 60 per år (medel 2021–2023).",
            "absolute_change",
            (2030, 2030),
        ),
        (
            "Responstiden ska vara högst 12 minuter till 2026, jämfört med 13 minuter i genomsnitt "
            "för 2016–2019.",
            "level",
            (2026, 2026),
        ),
        ("Minst 90 procent av hushållen ska ha brandvarnare senast 2030.", "level", (2030, 2030)),
    ],
)
def test_the_target_kind_and_years_are_read_from_the_goal_text(
    text: str, kind: str, window: tuple[int, int]
) -> None:
    reading = infer_target(text)
    assert (reading.kind, (reading.window_start, reading.window_end)) == (kind, window)
    assert reading.explanation.startswith("Målet")


def test_the_baselines_average_is_not_read_as_a_mean_target() -> None:
    reading = infer_target("Högst 50 bränder 2026, jämfört med i genomsnitt 60 per år 2016–2019.")
    assert reading.kind == "level" and reading.window_end == 2026


def test_every_year_without_named_years_uses_the_programme_period() -> None:
    reading = infer_target("Minst 300 hembesök varje år.", target_year=2030, period=(2027, 2030))
    assert (reading.kind, reading.window_start, reading.window_end) == ("every_year", 2027, 2030)


def test_a_goals_change_is_not_read_into_an_indicator_that_improves_the_other_way() -> None:
    text = "Antalet bränder i bostad ska minska med 20 % till 2026 jämfört med 2016–2019."
    assert infer_target(text, direction="lower").kind == "relative_change"
    assert infer_target(text, direction="higher").kind == "level"


def test_the_explanation_quotes_the_words_it_rests_on() -> None:
    reading = infer_target("Minst 450 tillsyner per år 2023–2026.")
    assert "”per år”" in reading.explanation and "2023–2026" in reading.explanation


@pytest.mark.parametrize(
    ("name", "unit", "performance", "kind"),
    [
        ("Genomförda tillsyner enligt LSO", "antal", True, "prestation"),
        ("Genomförda hembesök", "antal", True, "prestation"),
        ("Utbildade personer", "antal", False, "prestation"),
        ("Brandskyddskontroller inom frist", "%", True, "prestation"),
        ("Bränder i bostad", "antal", True, "utfall"),
        ("Trafikolyckor med räddningsinsats", "antal", False, "utfall"),
        ("Svårt skadade i trafiken", "antal", False, "utfall"),
        ("Omkomna i bränder", "antal", False, "utfall"),
        ("Andel hushåll med brandvarnare", "%", False, "utfall"),  # no cue: a safety goal's outcome
        ("Andel med brandvarnare", "%", True, "prestation"),  # no cue: a performance goal's output
    ],
)
def test_outcome_or_own_output_is_read_from_the_name_then_the_goal_type(
    name: str, unit: str, performance: bool, kind: str
) -> None:
    assert infer_indicator_kind(name, unit, performance_goal=performance).kind == kind
