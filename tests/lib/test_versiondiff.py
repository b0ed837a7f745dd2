"""Comparing two versions' content by lineage: added, removed, changed with old and new values."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lsoplan.lib.versiondiff import (
    KIND_BY_KEY,
    KINDS,
    changelog_rows,
    diff_records,
    diff_versions,
    display,
    text_change_summary,
    word_diff,
)

GOALS = KIND_BY_KEY["safety_goals"]
CHAPTERS = KIND_BY_KEY["chapters"]


def goal(lineage: str, code: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"lineage": lineage, "label": code, "code": code, "text": text, "owner": "", **extra}


def test_added_removed_and_changed_with_old_and_new_values() -> None:
    old = [goal("a", "S1", "Färre bränder"), goal("b", "S2", "Färre omkomna"), goal("c", "S3", "Oförändrat")]
    new = [
        goal("c", "S3", "Oförändrat"),
        goal("a", "S1", "Färre bränder i bostad"),
        goal("d", "S4", "Nytt mål"),
    ]
    result = diff_records(GOALS, old, new)
    assert [i.label for i in result.added] == ["S4"]
    assert [i.label for i in result.removed] == ["S2"]
    assert [i.label for i in result.changed] == ["S1"]
    assert result.unchanged == 1
    change = result.changed[0].fields
    assert [(f.name, f.old, f.new) for f in change] == [("text", "Färre bränder", "Färre bränder i bostad")]
    assert change[0].summary() == "Måltext: Färre bränder → Färre bränder i bostad"
    assert [i.status for i in result.items] == ["added", "changed", "removed"]


def test_what_no_reader_calls_a_change_is_ignored() -> None:
    old = [goal("a", "S1", "Text\r\nrad två  ", risks=["Brand", "Drunkning"], owner=None)]
    new = [goal("a", "S1", "Text\nrad två", risks=["Drunkning", "Brand"], owner="")]
    assert not diff_records(GOALS, old, new).has_changes


def test_numbers_compare_by_value() -> None:
    spec = KIND_BY_KEY["indicators"]
    old = [{"lineage": "i", "label": "Bränder", "baseline": 25, "target": 20.0}]
    new = [{"lineage": "i", "label": "Bränder", "baseline": 25.0, "target": 18.5}]
    (item,) = diff_records(spec, old, new).changed
    assert [(f.name, f.old_text, f.new_text) for f in item.fields] == [("target", "20", "18,5")]


def test_a_renamed_object_keeps_its_identity() -> None:
    old = [{"lineage": "r", "label": "Brand", "title": "Brand"}]
    new = [{"lineage": "r", "label": "Brand i bostad", "title": "Brand i bostad"}]
    (item,) = diff_records(KIND_BY_KEY["risks"], old, new).changed
    assert item.old_label == "Brand" and item.label == "Brand i bostad"


def test_duplicate_lineage_is_refused() -> None:
    with pytest.raises(ValueError, match="samma lineage"):
        diff_records(GOALS, [goal("a", "S1", "x"), goal("a", "S2", "y")], [])


def test_long_texts_are_summarised_by_words() -> None:
    old = [
        {
            "lineage": "k",
            "label": "7 Uppföljning",
            "title": "Uppföljning",
            "text": "Målen följs upp varje år.",
        }
    ]
    new = [
        {
            "lineage": "k",
            "label": "7 Uppföljning",
            "title": "Uppföljning",
            "text": "Målen följs upp varje år i årsredovisningen.",
        }
    ]
    (item,) = diff_records(CHAPTERS, old, new).changed
    (field,) = item.fields
    assert field.long_text
    assert field.detail() == "texten ändrad: 3 ord tillagda, 1 ord borttaget"
    assert field.words() == [
        ("equal", "Målen följs upp varje "),
        ("delete", "år."),
        ("insert", "år i årsredovisningen."),
    ]


def test_text_change_summary_edge_cases() -> None:
    assert text_change_summary("", "Ny text") == "text tillagd"
    assert text_change_summary("Gammal", "") == "texten borttagen"
    assert text_change_summary("a b", "a  b") == "texten ändrad: bara blanksteg"
    assert text_change_summary("a b c", "a x c") == "texten ändrad: 1 ord tillagt, 1 ord borttaget"


@given(st.text(alphabet="ab \n", max_size=40), st.text(alphabet="ab \n", max_size=40))
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_diff_versions_covers_every_kind_and_missing_kinds_are_empty() -> None:
    old = {"safety_goals": [goal("a", "S1", "x")]}
    new = {
        "safety_goals": [goal("a", "S1", "x")],
        "risks": [{"lineage": "r", "label": "Brand", "title": "Brand"}],
    }
    result = diff_versions(old, new)
    assert [k.spec.key for k in result.kinds] == [k.key for k in KINDS]
    assert result.counts() == {"added": 1, "removed": 0, "changed": 0}
    assert result.kind("risks").added[0].label == "Brand"
    with pytest.raises(KeyError):
        result.kind("okänd")
    assert not diff_versions({}, {}).has_changes


def test_changelog_rows_read_as_sentences() -> None:
    old = {
        "safety_goals": [goal("a", "S1", "x")],
        "risks": [{"lineage": "r", "label": "Storm", "title": "Storm"}],
    }
    new = {"safety_goals": [goal("a", "S1", "y")]}
    assert changelog_rows(diff_versions(old, new)) == [
        ("Risk: Storm", "Borttagen", ""),
        ("Säkerhetsmål: S1", "Ändrad", "Måltext: x → y"),
    ]


def test_display() -> None:
    assert display(None) == "–"
    assert display([]) == "–"
    assert display(["1 kap. 3 §", "1 kap. 3 a §"]) == "1 kap. 3 §, 1 kap. 3 a §"
    assert display(1234567.0) == "1\u00a0234\u00a0567"
    assert display(False) == "nej"
