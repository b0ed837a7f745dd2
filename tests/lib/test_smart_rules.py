"""The SMART rules issue 13 asks for, one behaviour per test (see also test_smart.py)."""

from __future__ import annotations

import datetime

import pytest

from lsoplan.lib.smart import GoalInput, SmartResult, _prepare, check_goal
from lsoplan.lib.smart_text import YearSpan, analyse

KF = "Kommunfullmäktige"


def status(result: SmartResult, criterion: str) -> str:
    return result.criteria[criterion].status


def reasons(result: SmartResult, criterion: str) -> str:
    return " ".join(result.criteria[criterion].reasons)


# --- tidsatt: a time frame, and a passed date as a separate note ------------------------------


def test_a_goal_whose_date_has_passed_is_still_time_bound() -> None:
    text = "Antalet bränder i bostad ska vara högst 40 per år senast 2022"
    result = check_goal(GoalInput(text), reference_date=datetime.date(2024, 3, 1))
    assert status(result, "tidsatt") == "ok"
    assert "Måldatum har passerat (2022)." in result.criteria["tidsatt"].reasons


def test_the_passed_date_is_judged_against_the_version_date_not_today() -> None:
    # A 2019–2022 programme adopted in 2019: its 2022 date had not passed when it was adopted.
    text = "Antalet bränder i bostad ska vara högst 40 per år senast 2022"
    adopted = check_goal(GoalInput(text), reference_date=datetime.date(2019, 6, 1))
    assert "passerat" not in reasons(adopted, "tidsatt")


def test_the_note_names_the_date_it_was_judged_against() -> None:
    text = "Antalet bränder i bostad ska vara högst 40 per år senast 2022"
    result = check_goal(GoalInput(text), reference_date=datetime.date(2024, 3, 1))
    assert "Bedömt mot 2024-03-01" in reasons(result, "tidsatt")


def test_without_a_reference_date_no_passed_note_is_made() -> None:
    result = check_goal(GoalInput("Antalet bränder i bostad ska vara högst 40 per år senast 2001"))
    assert "passerat" not in reasons(result, "tidsatt")


def test_a_period_in_the_text_is_a_time_frame() -> None:
    text = "Antalet slutenvårdade efter fallolyckor ska minska under perioden 2020–2023"
    assert status(check_goal(GoalInput(text)), "tidsatt") == "ok"


# --- mätbart: absolute targets need no baseline -----------------------------------------------


def test_an_absolute_share_by_a_year_is_measurable_without_a_baseline() -> None:
    result = check_goal(GoalInput("Minst 90 procent av hushållen ska ha brandvarnare senast 2030"))
    assert status(result, "matbart") == "ok"
    assert "Målet saknar utgångsvärde." not in result.criteria["matbart"].reasons


def test_an_absolute_ceiling_reached_by_a_decrease_needs_no_reference() -> None:
    result = check_goal(GoalInput("Antalet bränder i bostad ska minska till högst 45 per år senast 2027"))
    assert status(result, "specifikt") == "ok"
    assert status(result, "matbart") == "ok"


def test_a_target_value_in_the_field_makes_the_goal_absolute() -> None:
    result = check_goal(GoalInput("Antalet bränder i bostad ska minska senast 2027", target=45))
    assert "Målet saknar utgångsvärde." not in result.criteria["matbart"].reasons


def test_a_relative_change_still_needs_a_baseline() -> None:
    result = check_goal(GoalInput("Antalet bränder i bostad ska minska med 20 % till 2030"))
    assert status(result, "matbart") == "brist"
    assert "Målet saknar utgångsvärde." in result.criteria["matbart"].reasons


# --- relative expressions are targets -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "percent", "change"),
    [
        ("Antalet omkomna ska minskas med minst en tredjedel till år 2030", 100 / 3, "decrease"),
        ("Antalet olyckor ska minska med en fjärdedel till 2030", 25.0, "decrease"),
        ("Antalet hembesök ska öka med en fjärdedel till 2030", 25.0, "increase"),
        ("Antalet bränder ska minska med hälften till 2030", 50.0, "decrease"),
        ("Antalet utbildade ska öka med hälften till 2030", 50.0, "increase"),
        ("Antalet bränder ska halveras till 2030", 50.0, "decrease"),
        ("Antalet hembesök ska fördubblas till 2030", 100.0, "increase"),
    ],
)
def test_relative_words_are_read_as_a_change_in_per_cent(text: str, percent: float, change: str) -> None:
    [quantity] = analyse(text).quantities
    assert (quantity.value, quantity.unit, quantity.change) == (pytest.approx(percent), "%", change)


def test_percentage_points_are_a_change_added_to_the_baseline() -> None:
    text = "Andelen hushåll med brandvarnare ska öka med 10 procentenheter till 2028"
    [quantity] = analyse(text).quantities
    assert (quantity.value, quantity.unit, quantity.change) == (10.0, "procentenheter", "increase")


def test_a_relative_word_counts_as_a_target() -> None:
    text = "Antalet omkomna ska minskas med minst en tredjedel till år 2030 jämfört med 2016–2019"
    result = check_goal(GoalInput(text))
    assert "inget målvärde" not in reasons(result, "matbart")


def test_a_third_less_than_the_baseline_gives_the_target_value() -> None:
    text = "Antalet omkomna ska minskas med en tredjedel till år 2030 jämfört med 2016–2019"
    goal = _prepare(GoalInput(text, baseline=60, baseline_period="2016–2019"))
    assert goal.target == pytest.approx(40.0)


# --- baselines written in the text ----------------------------------------------------------

STATED = "Antalet bostadsbränder ska minska från 60 per år (medel 2021–2023) till högst 45 per år senast 2027"


def test_a_baseline_value_written_in_the_text_is_read() -> None:
    assert analyse(STATED).stated_baseline == 60.0


def test_a_bracketed_average_period_is_the_reference_period() -> None:
    text = analyse(STATED)
    assert text.comparison_periods == (YearSpan(2021, 2023),)
    assert text.deadlines == (YearSpan(2027, 2027),)


def test_the_target_after_a_stated_baseline_is_the_only_target() -> None:
    goal = _prepare(GoalInput(STATED))
    assert (goal.baseline, goal.target, goal.deadline) == (60.0, 45.0, 2027)


# --- specifikt: vague verbs, ordinary adjectives --------------------------------------------


@pytest.mark.parametrize("verb", ["arbeta för", "jobba aktivt med", "verka för", "sträva efter"])
def test_an_effort_verb_is_not_specific(verb: str) -> None:
    result = check_goal(GoalInput(f"Vi ska {verb} färre bränder i bostäder", owner=KF))
    assert status(result, "specifikt") == "brist"
    assert f"Uttrycket ”{verb}” beskriver en strävan" in reasons(result, "specifikt")


def test_plain_work_beside_a_target_is_not_flagged() -> None:
    text = "Räddningstjänsten ska arbeta med minst 500 hembesök per år 2027–2030"
    result = check_goal(GoalInput(text, kind="prestationsmal"))
    assert status(result, "specifikt") == "ok"


def test_plain_work_without_a_target_is_not_specific() -> None:
    result = check_goal(GoalInput("Förbundet ska arbeta med kontinuerlig verksamhetsutveckling"))
    assert status(result, "specifikt") == "brist"


def test_an_ordinary_adjective_beside_a_target_is_not_flagged() -> None:
    text = "Minst 95 % av tillsynerna ska ha god dokumentation varje år 2027–2030"
    result = check_goal(GoalInput(text, kind="prestationsmal"))
    assert status(result, "specifikt") == "ok"


def test_an_ordinary_adjective_as_the_whole_goal_is_not_specific() -> None:
    result = check_goal(GoalInput("Räddningstjänsten ska ha en god operativ insatsförmåga"))
    assert status(result, "specifikt") == "brist"


def test_a_soft_phrase_without_a_level_is_not_specific() -> None:
    text = "Hjälpen till den enskilde ska påbörjas så snabbt som möjligt vid varje olycka"
    result = check_goal(GoalInput(text))
    assert "Uttrycket ”så snabbt som möjligt” anger ingen nivå" in reasons(result, "specifikt")


def test_functioning_smoke_alarms_name_an_indicator_not_a_vague_term() -> None:
    assert analyse("Minst 90 procent av hushållen ska ha fungerande brandvarnare").vague_terms == ()


def test_functioning_sba_still_needs_a_definition() -> None:
    assert analyse("Andelen verksamheter med fungerande SBA ska öka").vague_terms == ("fungerande",)


def test_informing_the_public_names_an_output() -> None:
    assert analyse("SÖRF skall informera allmänheten om den förebyggande verksamheten").output_words


# --- specifikt: new stations are a delivery ------------------------------------------------------


def test_new_rescue_stations_at_named_places_name_what_is_delivered() -> None:
    # Medelpad's Mål- och resursplan 2022 (benchmarks/smart_corpus, mrf22-04).
    text = "Pandora – nya räddningsstationer i Sundsvall, Timrå och Liden för framtidens verksamhet"
    assert status(check_goal(GoalInput(text, owner=KF)), "specifikt") == "ok"


def test_a_station_goal_without_a_number_still_has_no_target_value() -> None:
    text = "Pandora – nya räddningsstationer i Sundsvall, Timrå och Liden för framtidens verksamhet"
    assert "inget målvärde" in reasons(check_goal(GoalInput(text, owner=KF)), "matbart")
