"""Survey files and the margin of error (Wilson), checked against statsmodels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from lsoplan.lib.survey import SurveyFileError, parse_survey, wilson_interval

GOOD = (
    "fråga;svarsalternativ;andel;antal_svarande\n"
    "Hur trygg känner du dig i din bostad?;Mycket trygg;45,3;812\n"
    "Hur trygg känner du dig i din bostad?;Ganska trygg;40,0 %;812\n"
    "Har du en fungerande brandvarnare?;Ja;91;1 204\n"
)


def test_reads_percent_with_decimal_comma() -> None:
    rows = parse_survey(GOOD.encode("utf-8"))
    assert [(r.line, r.option, r.share, r.respondents) for r in rows] == [
        (2, "Mycket trygg", pytest.approx(0.453), 812),
        (3, "Ganska trygg", pytest.approx(0.40), 812),
        (4, "Ja", pytest.approx(0.91), 1204),
    ]


def test_windows_1252_bom_and_comma_separated() -> None:
    cp = GOOD.encode("cp1252")
    assert parse_survey(cp)[0].question == "Hur trygg känner du dig i din bostad?"
    bom = "\ufeff" + GOOD
    assert len(parse_survey(bom.encode("utf-8"))) == 3
    comma = 'fråga,svarsalternativ,andel,antal_svarande\n"Trygg, på natten?",Ja,"0,62",300\n'
    rows = parse_survey(comma.encode("utf-8"))
    assert rows[0].question == "Trygg, på natten?" and rows[0].share == pytest.approx(0.62)


def test_fractions_when_no_share_is_above_one() -> None:
    text = "fråga;svarsalternativ;andel;antal_svarande\nF;Ja;0,25;100\nF;Nej;0,75;100\n"
    assert [r.share for r in parse_survey(text.encode())] == [0.25, 0.75]


def test_every_fault_names_row_and_column() -> None:
    text = (
        "fråga;svarsalternativ;andel;antal_svarande\nF1;Ja;45;100\n;Nej;abc;0\nF1;Ja;30;100\nF2;Ja;130;12,5\n"
    )
    with pytest.raises(SurveyFileError) as info:
        parse_survey(text.encode(), name="enkat.csv")
    assert list(info.value.problems) == [
        "enkat.csv rad 3, kolumn 'fråga': värde saknas",
        "enkat.csv rad 3, kolumn 'andel': 'abc' är inte ett tal",
        "enkat.csv rad 3, kolumn 'antal_svarande': '0' ska vara ett heltal från 1 till 11 miljoner",
        "enkat.csv rad 4: frågan och svarsalternativet finns redan på rad 2",
        "enkat.csv rad 5, kolumn 'antal_svarande': '12,5' ska vara ett heltal från 1 till 11 miljoner",
    ]


def test_control_characters_are_a_damaged_file_not_stored_text() -> None:
    """Found by the fuzz test on PostgreSQL, which cannot store NUL in text."""
    text = 'fråga;svarsalternativ;andel;antal_svarande\nF\x00;Ja;45;100\n"F\r\nmer";Ja\tnej;55;100\n'
    with pytest.raises(SurveyFileError) as info:
        parse_survey(text.encode(), name="enkat.csv")
    assert list(info.value.problems) == [
        "enkat.csv rad 2, kolumn 'fråga': innehåller styrtecken – filen är skadad"
    ]
    rows = parse_survey(text.replace("\x00", "").encode())
    assert [(r.question, r.option) for r in rows] == [("F", "Ja"), ("F\r\nmer", "Ja\tnej")]


def test_share_above_hundred_percent() -> None:
    text = "fråga;svarsalternativ;andel;antal_svarande\nF;Ja;120 %;10\n"
    with pytest.raises(SurveyFileError, match="rad 2, kolumn 'andel': 120 % är mer än 100 %"):
        parse_survey(text.encode())


def test_missing_column_and_empty_file() -> None:
    with pytest.raises(SurveyFileError, match="kolumnen 'antal_svarande' saknas"):
        parse_survey(b"fraga;svar;andel\nF;Ja;3\n")
    with pytest.raises(SurveyFileError, match="filen är tom"):
        parse_survey(b"  \n")
    with pytest.raises(SurveyFileError, match="inga svarsrader"):
        parse_survey(b"fraga;svar;andel;n\n")


def test_english_aliases_accepted() -> None:
    rows = parse_survey(b"question,option,share,respondents\nQ,A,0.5,10\n")
    assert rows[0].share == 0.5


def test_wilson_matches_known_values() -> None:
    # 45 of 100: Wilson 95 % interval 0,3561–0,5475 (computed by hand with z = 1,959964).
    interval = wilson_interval(0.45, 100)
    assert interval.lower == pytest.approx(0.35615, abs=1e-4)
    assert interval.upper == pytest.approx(0.54753, abs=1e-4)
    assert interval.margin == pytest.approx((interval.upper - interval.lower) / 2)
    assert interval.method == "Wilson"


@given(n=st.integers(1, 5000), data=st.data(), level=st.sampled_from([0.9, 0.95, 0.99]))
def test_wilson_agrees_with_statsmodels(n: int, data: st.DataObject, level: float) -> None:
    count = data.draw(st.integers(0, n))
    ours = wilson_interval(count / n, n, level)
    lower, upper = proportion_confint(count, n, alpha=1 - level, method="wilson")
    assert ours.lower == pytest.approx(lower, abs=1e-9)
    assert ours.upper == pytest.approx(upper, abs=1e-9)
    assert 0 <= ours.lower <= count / n <= ours.upper <= 1


def test_wilson_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        wilson_interval(1.2, 10)
    with pytest.raises(ValueError):
        wilson_interval(0.5, 0)


def test_more_respondents_than_sweden_has_inhabitants_is_refused() -> None:
    data = "fråga;svarsalternativ;andel;antal_svarande\nTrygg?;Ja;0,5;99999999999999999999999\n".encode()
    with pytest.raises(SurveyFileError) as caught:
        parse_survey(data, name="enkat.csv")
    assert "ska vara ett heltal från 1 till 11 miljoner" in caught.value.problems[0]
