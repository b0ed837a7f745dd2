"""The native incident format: reading, every error class, encodings, DST and XLSX."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from lsoplan.lib.incidents import MAX_PROBLEMS, ParseResult, RejectedFile, parse_native
from lsoplan.lib.incidents.timeparse import plain_times

NOW = datetime(2025, 6, 1, tzinfo=UTC)
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;avslutad_tid;omrade;omkomna;skadade;x;y"
EXAMPLE = Path(__file__).parents[3] / "docs" / "examples" / "incidents-example.csv"


def parse(*rows: str, header: str = HEADER) -> ParseResult:
    return parse_native("\n".join([header, *rows]).encode(), now=NOW)


def messages(result: ParseResult) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


def only_problem(result: ParseResult) -> tuple[int | None, str, str, str]:
    assert len(result.problems) == 1, messages(result)
    p = result.problems[0]
    return p.row, p.column, p.value, p.severity


def test_a_good_row_becomes_a_utc_record() -> None:
    result = parse(
        "A1;0180;1;2024-03-05 14:22;2024-03-05 14:31:10;2024-03-05 16:00;Södermalm;0;1;674000,5;6580000"
    )
    assert result.ok and result.n_rows == 1 and not result.problems
    (rec,) = list(result.accepted().records())
    assert rec.rad == 2 and rec.handelse_id == "A1" and rec.kommun == "0180" and rec.handelsetyp == 1
    assert rec.larm_tid == datetime(2024, 3, 5, 13, 22, tzinfo=UTC)  # CET = UTC+1 in March
    assert rec.insatstid_s == 550
    assert rec.avslutad_tid == datetime(2024, 3, 5, 15, 0, tzinfo=UTC)
    assert (rec.omrade, rec.omkomna, rec.skadade, rec.x, rec.y) == ("Södermalm", 0, 1, 674000.5, 6580000.0)


def test_the_documented_example_file_is_valid() -> None:
    result = parse_native(EXAMPLE, now=NOW)
    assert result.ok and not result.problems, messages(result)
    assert len(result.batch) == result.n_rows >= 10
    assert result.info is not None and result.info.delimiter == ";"


@pytest.mark.parametrize(
    "kommun",
    ["0180", "180", "Stockholm", "stockholm", "Stockholms kommun", "STOCKHOLMS STAD", " Stockholm  kommun "],
)
def test_municipality_by_code_or_name(kommun: str) -> None:
    result = parse(f"A1;{kommun};1;2024-03-05 14:22;;;;;;;")
    assert result.ok, messages(result)
    assert result.batch.frame["kommun"].to_list() == ["0180"]


@pytest.mark.parametrize(
    ("kommun", "code"), [("Falun", "2080"), ("Upplands Väsby kommun", "0114"), ("Malmö stad", "1280")]
)
def test_municipality_names_with_suffixes(kommun: str, code: str) -> None:
    result = parse(f"A1;{kommun};1;2024-03-05 14:22;;;;;;;")
    assert result.batch.frame["kommun"].to_list() == [code], messages(result)


@pytest.mark.parametrize(
    ("typ", "expected"), [("1", 1), ("01", 1), ("brand i byggnad", 1), ("Automatlarm utan brandtillbud", 14)]
)
def test_event_type_by_id_or_name(typ: str, expected: int) -> None:
    result = parse(f"A1;0180;{typ};2024-03-05 14:22;;;;;;;")
    assert result.batch.frame["handelsetyp"].to_list() == [expected], messages(result)


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("A1;9999;1;2024-03-05 14:22;;;;;;;", "kommun", "okänd kommun"),
        ("A1;Atlantis;1;2024-03-05 14:22;;;;;;;", "kommun", "okänd kommun"),
        ("A1;0180;10;2024-03-05 14:22;;;;;;;", "handelsetyp", "okänd händelsetyp"),
        ("A1;0180;Brand i rymden;2024-03-05 14:22;;;;;;;", "handelsetyp", "okänd händelsetyp"),
        (";0180;1;2024-03-05 14:22;;;;;;;", "handelse_id", "värde saknas"),
        ("A1;;1;2024-03-05 14:22;;;;;;;", "kommun", "värde saknas"),
        ("A1;0180;1;;;;;;;;", "larm_tid", "värde saknas"),
        ("A1;0180;1;5 mars 2024;;;;;;;", "larm_tid", "kan inte tolkas"),
        ("A1;0180;1;2024-02-30 10:00;;;;;;;", "larm_tid", "kan inte tolkas"),
        ("A1;0180;1;2024-03-05 14:22;idag;;;;;;", "framme_tid", "kan inte tolkas"),
        (
            "A1;0180;1;2024-03-05 14:22;2024-03-05 14:21;;;;;;",
            "framme_tid",
            "framme_tid ligger före larm_tid",
        ),
        (
            "A1;0180;1;2024-03-05 14:22;;2024-03-05 14:00;;;;;",
            "avslutad_tid",
            "avslutad_tid ligger före larm_tid",
        ),
        ("A1;0180;1;2026-01-01 10:00;;;;;;;", "larm_tid", "i framtiden"),
        ("A1;0180;1;1989-12-31 23:59;;;;;;;", "larm_tid", "före 1990"),
        ("A1;0180;1;2024-03-05 14:22;;;;-1;;;", "omkomna", "negativt"),
        ("A1;0180;1;2024-03-05 14:22;;;;;1,5;;", "skadade", "heltal"),
        ("A1;0180;1;2024-03-05 14:22;;;;;två;;", "skadade", "inte ett tal"),
        ("A1;0180;1;2024-03-05 14:22;;;;;;nord;6580000", "x", "inte ett tal"),
        ("A1;0180;1;2024-03-05 14:22;;;" + "x" * 201 + ";;;;", "omrade", "längre än 200"),
    ],
)
def test_each_error_names_row_column_and_reason(row: str, column: str, fragment: str) -> None:
    result = parse(row)
    assert not result.ok and result.n_errors == 1 and len(result.batch) == 0
    p = result.problems[0]
    assert (p.row, p.column, p.severity) == (2, column, "error")
    assert fragment in p.message


def test_duplicate_id_points_at_the_first_occurrence() -> None:
    result = parse(
        "A1;0180;1;2024-03-05 14:22;;;;;;;",
        "A2;0180;1;2024-03-05 14:22;;;;;;;",
        "A1;0180;2;2024-03-06 10:00;;;;;;;",
    )
    assert only_problem(result) == (4, "handelse_id", "A1", "error")
    assert "rad 2" in result.problems[0].message
    with pytest.raises(RejectedFile):
        result.accepted()


def test_a_missing_required_column_rejects_the_file() -> None:
    result = parse("A1;0180;2024-03-05 14:22", header="handelse_id;kommun;larm_tid")
    assert only_problem(result) == (1, "handelsetyp", "", "error")
    assert result.n_rows == 1 and len(result.batch) == 0


def test_header_spelling_is_forgiving_and_unknown_columns_warn() -> None:
    result = parse(
        "A1;0180;1;2024-03-05 14:22;x", header="Händelse-ID;Kommunkod;Händelsetyp;Larm tid;anteckning"
    )
    assert result.ok
    assert only_problem(result) == (1, "anteckning", "", "warning")


def test_problems_use_the_users_column_names() -> None:
    result = parse("A1;0180;1;igår", header="Händelse ID;Kommun;Händelsetyp;Larmtid")
    assert result.problems[0].column == "Larmtid"


def test_response_time_over_three_hours_is_a_warning_only() -> None:
    result = parse("A1;0180;1;2024-03-05 10:00;2024-03-05 13:30;;;;;;")
    assert result.ok and len(result.accepted()) == 1
    assert only_problem(result) == (2, "framme_tid", "2024-03-05 13:30", "warning")
    assert "210 min" in result.problems[0].message


def test_spring_forward_hour_does_not_exist() -> None:
    result = parse("A1;0180;1;2024-03-31 02:30;;;;;;;")
    assert only_problem(result) == (2, "larm_tid", "2024-03-31 02:30", "error")
    assert "finns inte" in result.problems[0].message


def test_autumn_hour_is_read_as_the_first_occurrence_with_a_warning() -> None:
    result = parse("A1;0180;1;2024-10-27 02:30;2024-10-27 03:10;;;;;;")
    assert result.ok
    rec = next(result.accepted().records())
    assert rec.larm_tid == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 02:30 CEST, the first 02:30
    assert rec.framme_tid == datetime(2024, 10, 27, 2, 10, tzinfo=UTC)  # 03:10 CET is unambiguous
    assert rec.insatstid_s == 100 * 60
    assert [(p.column, p.severity) for p in result.problems] == [("larm_tid", "warning")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05T14:22", datetime(2024, 3, 5, 13, 22, tzinfo=UTC)),
        ("2024-03-05 14:22:07", datetime(2024, 3, 5, 13, 22, 7, tzinfo=UTC)),
        ("2024-03-05 14:22:07.25", datetime(2024, 3, 5, 13, 22, 7, 250000, tzinfo=UTC)),
        ("2024-03-05T14:22:07Z", datetime(2024, 3, 5, 14, 22, 7, tzinfo=UTC)),
        ("2024-07-05T14:22:07+02:00", datetime(2024, 7, 5, 12, 22, 7, tzinfo=UTC)),
        ("2024-07-05 14:22", datetime(2024, 7, 5, 12, 22, tzinfo=UTC)),  # CEST = UTC+2
    ],
)
def test_timestamp_forms(text: str, expected: datetime) -> None:
    result = parse(f"A1;0180;1;{text};;;;;;;")
    assert result.ok, messages(result)
    assert next(result.accepted().records()).larm_tid == expected


def test_utf8_with_bom() -> None:
    data = ("\ufeff" + HEADER + "\nA1;Malmö;1;2024-03-05 14:22;;;Möllevången;;;;\n").encode()
    result = parse_native(data, now=NOW)
    assert result.ok, messages(result)
    assert result.batch.frame["omrade"].to_list() == ["Möllevången"]
    assert result.info is not None and result.info.encoding == "utf-8-sig"


def test_windows_1252_with_crlf_is_detected() -> None:
    text = f"{HEADER}\r\nA1;Malmö;Brand i byggnad;2024-03-05 14:22;;;Södra Förstaden;;;;\r\n"
    result = parse_native(text.encode("cp1252"), now=NOW)
    assert result.ok, messages(result)
    assert result.batch.frame["kommun"].to_list() == ["1280"]
    assert result.batch.frame["omrade"].to_list() == ["Södra Förstaden"]
    assert result.info is not None and result.info.encoding == "windows-1252"


def test_tab_separated_utf16_as_excel_writes_unicode_text() -> None:
    text = HEADER.replace(";", "\t") + "\nA1\tMalmö\t1\t2024-03-05 14:22\t\t\t\t\t\t\t\n"
    result = parse_native(text.encode("utf-16"), now=NOW)
    assert result.ok, messages(result)
    assert result.info is not None and (result.info.encoding, result.info.delimiter) == ("utf-16", "\t")


def test_semicolon_file_with_decimal_comma_and_spaces_in_numbers() -> None:
    result = parse("A1;0180;1;2024-03-05 14:22;;;;;;674 000,5;6 580 000,25")
    assert result.ok, messages(result)
    assert result.batch.frame.select("x", "y").row(0) == (674000.5, 6580000.25)


def test_comma_file_with_quoted_decimal_comma() -> None:
    header = HEADER.replace(";", ",")
    data = f'{header}\nA1,0180,1,2024-03-05 14:22,,,,,,"674000,5","6580000,5"\n'.encode()
    result = parse_native(data, now=NOW)
    assert result.ok, messages(result)
    assert result.info is not None and result.info.delimiter == ","
    assert result.batch.frame["x"].to_list() == [674000.5]


def test_unquoted_decimal_comma_in_a_comma_file_is_caught() -> None:
    header = "handelse_id,kommun,handelsetyp,larm_tid,x,y"
    result = parse_native(f"{header}\nA1,0180,1,2024-03-05 14:22,674000,5,6580000,5\n".encode(), now=NOW)
    assert not result.ok
    assert any("fler fält" in p.message for p in result.problems)


def test_blank_lines_are_skipped_but_row_numbers_stay_true() -> None:
    result = parse(
        "", "A1;0180;1;2024-03-05 14:22;;;;;;;", ";;;;;;;;;;", "A2;9999;1;2024-03-05 14:22;;;;;;;", ""
    )
    assert result.n_rows == 2
    assert [(p.row, p.column) for p in result.problems] == [(5, "kommun")]


def test_only_the_first_hundred_problems_are_listed_but_all_are_counted() -> None:
    rows = [f"A{i};9999;1;2024-03-05 14:22;2024-03-05 18:00;;;;;;" for i in range(150)]
    result = parse(*rows)
    assert result.n_errors == 150 and result.n_warnings == 150
    assert len(result.problems) == MAX_PROBLEMS
    assert all(p.is_error for p in result.problems)  # errors come before warnings
    assert [p.row for p in result.problems] == list(range(2, 102))


def test_xlsx_with_real_dates_and_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["handelse_id", "kommun", "handelsetyp", "larm_tid", "framme_tid", "skadade", "x", "y"])
    ws.append(
        [1001, 180, 1, datetime(2024, 3, 5, 14, 22), datetime(2024, 3, 5, 14, 30), 2, 674000.5, 6580000]
    )
    ws.append(["B2", "Uppsala", "Trafikolycka", "2024-03-06 08:00", None, None, None, None])
    ws.append([None] * 8)
    ws.append(["B3", "0180", 14, datetime(2031, 1, 1), None, None, None, None])
    path = tmp_path / "handelser.xlsx"
    wb.save(path)
    result = parse_native(path, now=NOW)
    assert result.info is not None and result.info.format == "xlsx"
    assert result.n_rows == 3
    assert [(p.row, p.column) for p in result.problems] == [(5, "larm_tid")]
    frame = result.batch.frame
    assert frame["handelse_id"].to_list() == ["1001", "B2"]
    assert frame["kommun"].to_list() == ["0180", "0380"]
    assert frame["handelsetyp"].to_list() == [1, 2]
    assert frame["skadade"].to_list() == [2, None]
    assert next(result.batch.records()).insatstid_s == 480


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "tom"),
        (b"\n\n", "tom"),
        (HEADER.encode(), "inga händelser"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
        (b"PK\x03\x04garbage", "Excel"),
        (b'handelse_id;kommun;handelsetyp;larm_tid\n"A1;0180;1;2024-03-05 14:22\n', "CSV"),
    ],
)
def test_unreadable_files_become_problems(data: bytes, fragment: str) -> None:
    result = parse_native(data, now=NOW)
    assert not result.ok and len(result.batch) == 0
    assert any(fragment in p.message for p in result.problems), messages(result)


def test_summary_is_json_ready() -> None:
    summary = parse("A1;9999;1;2024-03-05 14:22;;;;;;;").summary()
    assert summary["ok"] is False and summary["errors"] == 1 and summary["incidents"] == 0
    assert summary["problems"][0] == {
        "row": 2,
        "column": "kommun",
        "value": "9999",
        "message": summary["problems"][0]["message"],
        "severity": "error",
    }


def test_plain_times_are_read_in_one_step_with_the_general_rules_result() -> None:
    """A column of only "YYYY-MM-DD HH:MM:SS" takes a shortcut; one other form anywhere in the
    column and the general rules read all of it. Both must agree, DST edges included."""
    plain = [
        "2024-03-05 14:22:07",
        "2024-03-31 02:30:00",  # does not exist in Stockholm: an error
        "2024-10-27 02:30:00",  # occurs twice: the first, with a warning
        "2024-10-27 03:10:00",
        "2024-07-05 23:59:59",
    ]
    rows = [f"A{i};0180;1;{t};;;;;;;" for i, t in enumerate(plain)]
    fast = parse(*rows)
    general = parse(*rows, "Z;0180;1;2024-03-05T14:22;;;;;;;")
    assert plain_times(pl.Series(plain)) is not None
    assert plain_times(pl.Series([*plain, "2024-03-05T14:22"])) is None
    assert plain_times(pl.Series([*plain, " 2024-03-05 14:22:07"])) is None
    assert messages(fast) == messages(general)
    assert [(p.row, p.severity) for p in fast.problems] == [(3, "error"), (4, "warning")]
    times = fast.batch.frame["larm_tid"].to_list()
    assert times == general.batch.frame["larm_tid"].to_list()[: len(times)]
    assert times[1] == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


def test_an_arrival_in_the_repeated_hour_before_the_alarm_is_read_as_winter_time_with_a_warning() -> None:
    # Alarm 02:50 summer time (00:50 UTC); arrival 02:05 can only be the second 02:05 (01:05 UTC).
    result = parse("A1;0180;1;2024-10-27 02:50;2024-10-27 02:05;2024-10-27 02:40;;;;;")
    assert result.ok
    rec = next(result.accepted().records())
    assert rec.larm_tid == datetime(2024, 10, 27, 0, 50, tzinfo=UTC)
    assert rec.framme_tid == datetime(2024, 10, 27, 1, 5, tzinfo=UTC)
    assert rec.avslutad_tid == datetime(2024, 10, 27, 1, 40, tzinfo=UTC)
    assert rec.insatstid_s == 15 * 60
    warnings = {(p.row, p.column): p.message for p in result.problems}
    assert set(warnings) == {(2, "larm_tid"), (2, "framme_tid"), (2, "avslutad_tid")}
    assert "den första (sommartid)" in warnings[(2, "larm_tid")]
    assert "den andra (vintertid)" in warnings[(2, "framme_tid")]
    assert all(p.severity == "warning" for p in result.problems)


def test_a_row_in_the_repeated_hour_already_in_order_keeps_the_first_reading() -> None:
    result = parse("A1;0180;1;2024-10-27 02:05;2024-10-27 02:50;;;;;;")
    rec = next(result.accepted().records())
    assert rec.framme_tid == datetime(2024, 10, 27, 0, 50, tzinfo=UTC)
    assert all("den första" in p.message for p in result.problems)


def test_a_row_no_reading_of_the_repeated_hour_puts_in_order_is_refused() -> None:
    # Arrival 01:30 is unambiguous summer time, before either reading of the 02:50 alarm.
    result = parse("A1;0180;1;2024-10-27 02:50;2024-10-27 01:30;;;;;;")
    assert not result.ok
    assert ("framme_tid", "error") in {(p.column, p.severity) for p in result.problems}
    assert any("framme_tid ligger före larm_tid" in p.message for p in result.problems)


def test_an_end_in_the_repeated_hour_before_the_winter_time_arrival_is_refused() -> None:
    # framme 02:05 must be winter time (after the 02:50 alarm); avslutad 02:01 is before it either way.
    result = parse("A1;0180;1;2024-10-27 02:50;2024-10-27 02:05;2024-10-27 02:01;;;;;")
    assert not result.ok
    assert any(p.column == "avslutad_tid" and p.is_error for p in result.problems)


def test_a_time_in_the_spring_gap_stays_an_error_whatever_the_order() -> None:
    result = parse("A1;0180;1;2024-03-31 01:50;2024-03-31 02:10;;;;;;")
    assert not result.ok
    assert only_problem(result) == (2, "framme_tid", "2024-03-31 02:10", "error")
