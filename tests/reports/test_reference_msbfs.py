"""The MSBFS 2021:1 structure says how far each part is confirmed, and carries the corrections."""

from __future__ import annotations

import yaml

from lsoplan.reference import DATA
from lsoplan.reference.lso import msbfs_chapters

STATUSES = {"verified", "msb1789", "unverified"}


def test_every_chapter_says_how_far_it_is_confirmed() -> None:
    _, chapters = msbfs_chapters()
    assert {c.status for c in chapters} <= STATUSES
    verified = {c.key for c in chapters if c.status == "verified"}
    assert verified == {"inledning", "kommunen", "styrning", "risker", "raddningstjanst"}
    # The old boolean agrees: nothing is "verified: true" that the status does not confirm.
    assert all(c.status == "verified" for c in chapters if c.verified)


def test_the_ledning_chapter_cites_16_b_and_the_risk_chapter_local_types_from_4_8() -> None:
    by_key = {c.key: c for c in msbfs_chapters()[1]}
    assert "3 kap. 16 b §" in by_key["rtj-ledning"].note
    assert "4.8" in by_key["risker"].note
    assert "yta och över tid" in by_key["rtj-olyckstyp"].note


def test_the_corrections_are_listed_with_a_status() -> None:
    raw = yaml.safe_load((DATA / "msbfs_2021_1.yaml").read_text(encoding="utf-8"))
    topics = {c["topic"]: c for c in raw["corrections"]}
    assert {"kapitelordning", "olyckstyper", "formaga-yta-tid", "ledning", "myndighet"} <= set(topics)
    assert "larm-och-varning" in topics and "planerad-formaga" in topics
    assert all(c["status"] in STATUSES for c in topics.values())
    assert "Myndigheten för civilt försvar" in topics["myndighet"]["text"]
