"""The reader must never raise on what a user uploads: anything odd becomes a problem."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lsoplan.lib.incidents import MAX_PROBLEMS, ParseResult, parse_native

NOW = datetime(2025, 6, 1, tzinfo=UTC)
HEADER = "handelse_id;kommun;handelsetyp;larm_tid;framme_tid;avslutad_tid;omrade;omkomna;skadade;x;y"

cell = st.one_of(
    st.sampled_from(
        [
            "",
            "0180",
            "Stockholm",
            "14",
            "-3",
            "2,5",
            "2024-03-31 02:30",
            "2024-10-27 02:30",
            "2024-03-05T14:22:00+01:00",
            "2024-03-05 14:22:00.123456789",
            "9999-12-31 23:59",
            "2024-03-05 14:22Z",
            '"',
            "nan",
            "1e400",
            "674 000,5",
        ]
    ),
    st.text(max_size=12),
)


def check_invariants(result: ParseResult) -> None:
    assert result.ok == (result.n_errors == 0)
    assert len(result.problems) <= MAX_PROBLEMS
    assert len(result.problems) == min(MAX_PROBLEMS, result.n_errors + result.n_warnings)
    assert len(result.batch) <= result.n_rows
    if result.ok:
        assert len(result.accepted()) == result.n_rows
        frame = result.batch.frame
        assert frame["handelse_id"].null_count() == 0 and frame["larm_tid"].null_count() == 0
        assert frame["handelse_id"].n_unique() == frame.height


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
@example(b"\r\x01\n")  # a stray carriage return in the header once crashed the header parser
@example(b"PK\x03\x04\x00")
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_invariants(parse_native(data, now=NOW))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=0, max_size=13), max_size=8), st.sampled_from([";", ",", "\t"]))
def test_arbitrary_csv_content_never_raises(rows: list[list[str]], sep: str) -> None:
    text = "\n".join([HEADER.replace(";", sep), *(sep.join(r) for r in rows)])
    check_invariants(parse_native(text.encode(), now=NOW))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_in_windows_1252_never_raises(text: str) -> None:
    check_invariants(parse_native((HEADER + "\n" + text).encode("cp1252", errors="replace"), now=NOW))
