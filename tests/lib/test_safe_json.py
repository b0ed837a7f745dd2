"""lib.safe_json: JSON nested deeper than a real file is refused before the recursive parser runs."""

from __future__ import annotations

import json

import pytest

from lsoplan.lib import safe_json


def test_the_depth_is_the_deepest_bracket_level() -> None:
    assert safe_json.nesting_depth('{"a": [1, {"b": []}], "c": {}}') == 4
    assert safe_json.nesting_depth("42") == 0


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[[[[{{{{" * 100, "quote": 'a \\" [[[ "', "slash": "\\\\["})
    assert safe_json.nesting_depth(text) == 1


def test_the_limit_itself_is_accepted() -> None:
    text = "[" * safe_json.MAX_DEPTH + "]" * safe_json.MAX_DEPTH
    assert safe_json.loads(text) is not None


def test_one_level_more_is_refused_in_swedish() -> None:
    depth = safe_json.MAX_DEPTH + 1
    with pytest.raises(safe_json.JsonTooDeepError, match="djupare än 64 nivåer"):
        safe_json.loads("[" * depth + "]" * depth)


def test_a_hundred_thousand_open_brackets_are_refused_without_recursion() -> None:
    # json.loads itself would end in a RecursionError here.
    with pytest.raises(safe_json.JsonTooDeepError):
        safe_json.loads("[" * 100_000)


def test_the_refusal_is_a_value_error_so_existing_handlers_catch_it() -> None:
    assert issubclass(safe_json.JsonTooDeepError, ValueError)


def test_keyword_arguments_reach_the_parser() -> None:
    assert safe_json.loads('{"a": 1, "a": 2}', object_pairs_hook=list) == [("a", 1), ("a", 2)]


def test_broken_text_is_left_to_the_parser() -> None:
    with pytest.raises(json.JSONDecodeError):
        safe_json.loads('{"a": ]')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "ett värde saknas"),
        ("[1 2]", "kommatecken saknas"),
        ('{"a" 1}', "kolon saknas"),
        ("{a: 1}", "ett namn inom dubbla citattecken saknas"),
        ('"abc', "en sträng tar aldrig slut"),
        ('{"a": 1} x', "text efter JSON-värdet"),
        ('"\\q"', "otillåten \\-sekvens"),
    ],
)
def test_the_parsers_complaints_are_said_in_swedish(text: str, expected: str) -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        safe_json.loads(text)
    assert safe_json.describe_decode_error(raised.value) == expected
