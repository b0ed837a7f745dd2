from __future__ import annotations

from lsoplan.lib.plain_verdicts import PLAIN, UNKNOWN, plain_verdict
from lsoplan.lib.verdict_model import CODES


def test_every_verdict_code_has_a_plain_sentence() -> None:
    assert set(PLAIN) == set(CODES.values())


def test_a_missing_verdict_says_there_is_no_measurable_target() -> None:
    assert plain_verdict(None) == PLAIN["inget_malvarde"]


def test_an_unknown_code_says_there_is_no_verdict_yet() -> None:
    assert plain_verdict("nytt") == UNKNOWN
