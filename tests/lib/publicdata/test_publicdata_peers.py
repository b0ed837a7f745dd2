"""Peer groups: Kolada's similar municipalities and SKR's kommungrupper, packaged and renewed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lsoplan.lib.publicdata import peers
from lsoplan.lib.publicdata.kolada import MunicipalityGroup


@pytest.fixture(autouse=True)
def _no_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LSOPLAN_HOME", str(tmp_path / "home"))


def test_peer_group_of_ale_is_koladas_seven_without_ale() -> None:
    # "Liknande kommuner räddningstjänst, Ale, 2024": Ekerö, Nynäshamn, Katrineholm, Gislaved,
    # Nässjö, Eslöv, Stenungsund (shared/data/README.md)
    assert peers.peer_group("1440") == ["0125", "0192", "0483", "0662", "0682", "1285", "1415"]


def test_every_municipality_has_seven_peers_and_never_itself() -> None:
    groups = peers.peer_groups()
    assert len(groups) == 290
    for code, group in groups.items():
        assert len(group.members) == 7 and code not in group.members


def test_skr_group_lists_all_members_including_the_municipality() -> None:
    title, members = peers.skr_group("0180")
    assert title == "Storstäder"  # Kolada's "(ovägt medel)" is dropped
    assert sorted(members) == ["0180", "1280", "1480"]
    sizes = {g.group_id: len(g.members) for g in peers.skr_groups().values()}
    assert sorted(sizes.values()) == [3, 21, 23, 24, 27, 35, 43, 51, 63]


def test_unknown_code_gives_empty_groups() -> None:
    assert peers.peer_group("9999") == []
    assert peers.skr_group("9999") == ("", [])


def test_reference_files_carry_their_source() -> None:
    meta = peers.peer_groups().meta
    assert "Kolada" in meta.source and meta.version == "2024" and meta.retrieved
    assert "SKR" in peers.skr_groups().meta.source


def _group(gid: str, name: str, year: int, members: tuple[str, ...]) -> MunicipalityGroup:
    return MunicipalityGroup(gid, f"{peers.PEER_TITLE}, {name}, {year}", members)


def test_peer_rows_keep_the_latest_year_and_skip_other_groups() -> None:
    rows = peers.peer_rows(
        [
            _group("G1", "Ale", 2024, ("0125",)),
            _group("G2", "Ale", 2025, ("0192", "0483")),
            MunicipalityGroup("G3", "Storstäder (ovägt medel)", ("0180",)),
        ]
    )
    assert [(r["kolada_group_id"], r["member_code"], r["member_name"]) for r in rows] == [
        ("G2", "0192", "Nynäshamn"),
        ("G2", "0483", "Katrineholm"),
    ]
    assert peers.peer_year(rows) == "2025"


def test_renewed_files_are_read_instead_of_the_packaged_ones(tmp_path: Path) -> None:
    packaged = peers.peer_groups()
    groups = [
        _group(f"G{i}", m.name, 2025, tuple(reversed(g.members)))
        for i, (code, g) in enumerate(packaged.items())
        for m in [next(x for x in peers.municipalities() if x.code == code)]
    ]
    skr = [
        MunicipalityGroup(g.group_id, g.title, g.members)
        for g in {g.group_id: g for g in peers.skr_groups().values()}.values()
    ]
    target = peers.override_dir()
    peers.write_peer_files(
        target,
        peers.peer_rows(groups),
        peers.skr_rows(skr),
        retrieved=dt.date(2026, 11, 1),
        source_note="test",
    )
    assert peers.data_dir() == target
    assert peers.peer_group("1440") == list(reversed(packaged["1440"].members))
    assert peers.peer_groups().meta.version == "2025"
    assert peers.peer_groups().meta.retrieved == "2026-11-01"


def test_an_implausibly_small_answer_is_not_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="skrivs inte"):
        peers.write_peer_files(
            tmp_path, peers.peer_rows([_group("G1", "Ale", 2025, ("0125",))]), [],
            retrieved=dt.date(2026, 1, 1), source_note="test",
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []
