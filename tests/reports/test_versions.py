"""The version records and their comparison on the demo: version 2 against version 1."""

from __future__ import annotations

import pytest

from lsoplan.demo import load_demo
from lsoplan.lib.versiondiff import diff_versions
from lsoplan.programmes.models import Programme
from lsoplan.reports.selectors import other_versions, pick_version, version_records

pytestmark = pytest.mark.django_db


def test_demo_version_2_against_version_1() -> None:
    programme = Programme.objects.get(pk=load_demo().programme_id)
    v2 = pick_version(programme, None, adopted_first=False)
    v1 = pick_version(programme, 1, adopted_first=False)
    assert v1 is not None and v2 is not None and v2.based_on_id == v1.pk
    assert pick_version(programme, 3, adopted_first=False) is None
    assert other_versions(v2) == [v1]
    old, new = version_records(v1), version_records(v2)
    assert {k: len(v) for k, v in old.items()}["chapters"] == len(new["chapters"])
    for records in new.values():
        assert len({r["lineage"] for r in records}) == len(records)
    diff = diff_versions(old, new)
    assert [i.label for i in diff.kind("risks").added] == ["Brand i litiumjonbatterier"]
    assert len(diff.kind("capabilities").added) == 1
    (goal,) = diff.kind("safety_goals").changed
    assert goal.label == "S2" and [f.name for f in goal.fields] == ["text"]
    assert goal.fields[0].new.startswith("Antalet omkomna i bränder ska minska med 30 %")
    (chapter,) = diff.kind("chapters").changed
    assert chapter.label == "8 Uppföljning och utvärdering"
    (measure,) = diff.kind("measures").changed
    assert [(f.old, f.new) for f in measure.fields] == [("Pågående", "Genomförd")]
    assert not diff.kind("indicators").has_changes
    assert diff.counts()["removed"] == 0
