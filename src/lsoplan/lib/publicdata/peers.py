"""Peer groups for comparisons: Kolada's "liknande kommuner räddningstjänst" and SKR's kommungrupper.

Both are reference data: CSV files under ``lsoplan/reference/data`` with their source in
``peers_sources.yaml``. ``lsoplan fetch peers`` renews them from Kolada and writes the new files
(same names and columns) under ``$LSOPLAN_HOME/reference/``; when both files are there they are
read instead of the packaged ones, so an installed package is never written to.

Kolada's peer group for a municipality does not contain the municipality itself; an SKR group
lists all its members. Group ids and titles are Kolada's (cite "Källa: Kolada").
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lsoplan.lib.publicdata.kolada import MunicipalityGroup
from lsoplan.reference import DATA, Meta, SourcedMapping, municipalities

PEER_FILE = "kolada_liknande_kommuner_raddningstjanst_2024.csv"
SKR_FILE = "kolada_skr_kommungrupper.csv"
META_FILE = "peers_sources.yaml"
PEER_TITLE = "Liknande kommuner räddningstjänst"
SKR_GROUP_IDS = tuple(f"G9278{i}" for i in range(6, 10)) + tuple(f"G9279{i}" for i in range(5))
PEER_COLUMNS = ["kolada_group_id", "kolada_group_title", "focal_name", "member_code", "member_name"]
SKR_COLUMNS = ["kolada_group_id", "kolada_group_title", "municipality_code", "municipality_name"]
_PEER_TITLE_RE = re.compile(rf"^{PEER_TITLE}, (?P<name>.+), (?P<year>\d{{4}})$")
_UNWEIGHTED = " (ovägt medel)"


@dataclass(frozen=True)
class PeerGroup:
    group_id: str
    title: str
    focal: str  # the municipality the group was made for
    members: tuple[str, ...]  # seven similar municipalities, the focal one not included


@dataclass(frozen=True)
class SkrGroup:
    group_id: str
    title: str  # "Pendlingskommun nära storstad", without Kolada's "(ovägt medel)"
    members: tuple[str, ...]


def override_dir() -> Path:
    """Where ``lsoplan fetch peers`` writes renewed files (same default as the settings)."""
    home = os.environ.get("LSOPLAN_HOME") or str(Path.home() / ".local" / "share" / "lsoplan")
    return Path(home) / "reference"


def data_dir() -> Path:
    here = override_dir()
    if all((here / name).is_file() for name in (PEER_FILE, SKR_FILE, META_FILE)):
        return here
    return DATA


def _stamp(directory: Path) -> tuple[str, float]:
    files = [directory / n for n in (PEER_FILE, SKR_FILE, META_FILE)]
    return str(directory), max(f.stat().st_mtime for f in files)


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _meta(directory: Path, name: str) -> Meta:
    raw = yaml.safe_load((directory / META_FILE).read_text(encoding="utf-8"))
    return Meta.from_dict(raw[name])


@lru_cache(maxsize=4)
def _peer_groups(directory: str, _mtime: float) -> SourcedMapping[str, PeerGroup]:
    path = Path(directory)
    by_name = {m.name: m.code for m in municipalities()}
    groups: dict[str, PeerGroup] = {}
    for row in _read(path, PEER_FILE):
        focal = by_name.get(row["focal_name"])
        if focal is None:
            continue  # the regions' groups share the file; lsoplan compares municipalities
        old = groups.get(focal)
        members = (*old.members, row["member_code"]) if old else (row["member_code"],)
        groups[focal] = PeerGroup(row["kolada_group_id"], row["kolada_group_title"], focal, members)
    return SourcedMapping(groups, _meta(path, PEER_FILE))


@lru_cache(maxsize=4)
def _skr_groups(directory: str, _mtime: float) -> SourcedMapping[str, SkrGroup]:
    path = Path(directory)
    members: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for row in _read(path, SKR_FILE):
        gid = row["kolada_group_id"]
        members.setdefault(gid, []).append(row["municipality_code"])
        titles[gid] = row["kolada_group_title"].removesuffix(_UNWEIGHTED)
    by_code = {
        code: SkrGroup(gid, titles[gid], tuple(codes)) for gid, codes in members.items() for code in codes
    }
    return SourcedMapping(by_code, _meta(path, SKR_FILE))


def peer_groups(directory: Path | None = None) -> SourcedMapping[str, PeerGroup]:
    """Kolada's rescue-service peer group per municipality code."""
    return _peer_groups(*_stamp(directory or data_dir()))


def skr_groups(directory: Path | None = None) -> SourcedMapping[str, SkrGroup]:
    """The SKR kommungrupp each municipality code belongs to."""
    return _skr_groups(*_stamp(directory or data_dir()))


def peer_group(code: str) -> list[str]:
    """The seven municipalities Kolada deems similar for rescue services; [] if unknown."""
    group = peer_groups().get(code)
    return list(group.members) if group else []


def skr_group(code: str) -> tuple[str, list[str]]:
    """The SKR kommungrupp's title and all its members (the municipality included); ("", [])."""
    group = skr_groups().get(code)
    return (group.title, list(group.members)) if group else ("", [])


# --- renewal from Kolada -----------------------------------------------------------------------


def peer_rows(groups: Iterable[MunicipalityGroup]) -> list[dict[str, str]]:
    """Kolada's peer groups as rows of the peer CSV, the latest year for each municipality."""
    latest: dict[str, tuple[int, MunicipalityGroup, str]] = {}
    for g in groups:
        match = _PEER_TITLE_RE.match(g.title)
        if not match:
            continue
        name, year = match["name"], int(match["year"])
        if name not in latest or year > latest[name][0]:
            latest[name] = (year, g, name)
    names = {m.code: m.name for m in municipalities()}
    rows = []
    for _, g, focal in sorted(latest.values(), key=lambda t: t[2]):
        for i, code in enumerate(g.members):
            title = g.member_titles[i] if i < len(g.member_titles) and g.member_titles[i] else ""
            rows.append(
                {
                    "kolada_group_id": g.id,
                    "kolada_group_title": g.title,
                    "focal_name": focal,
                    "member_code": code,
                    "member_name": title or names.get(code, code),
                }
            )
    return rows


def skr_rows(groups: Iterable[MunicipalityGroup]) -> list[dict[str, str]]:
    names = {m.code: m.name for m in municipalities()}
    return [
        {
            "kolada_group_id": g.id,
            "kolada_group_title": g.title,
            "municipality_code": code,
            "municipality_name": names.get(code, code),
        }
        for g in sorted(groups, key=lambda g: g.id)
        for code in g.members
    ]


def peer_year(rows: Iterable[dict[str, str]]) -> str:
    years = {m["year"] for r in rows if (m := _PEER_TITLE_RE.match(r["kolada_group_title"]))}
    return max(years) if years else ""


def write_peer_files(
    directory: Path,
    peers: list[dict[str, str]],
    skr: list[dict[str, str]],
    *,
    retrieved: dt.date,
    source_note: str,
) -> list[Path]:
    """Write both CSV files and their metadata; refuse to write an implausibly small set."""
    if len({r["focal_name"] for r in peers}) < 250 or len(skr) < 250:
        raise ValueError(
            f"Kolada gav bara {len({r['focal_name'] for r in peers})} jämförelsegrupper och "
            f"{len(skr)} kommuner i SKR-grupperna; filerna skrivs inte"
        )
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns, rows in ((PEER_FILE, PEER_COLUMNS, peers), (SKR_FILE, SKR_COLUMNS, skr)):
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    meta = {
        PEER_FILE: {
            "source": f"Kolada API, kommungrupper '{PEER_TITLE}, <kommun>, <år>' ({source_note})",
            "url": "https://api.kolada.se/v3/municipality_groups",
            "licence": "Kolada: fri användning, ange 'Källa: Kolada'",
            "retrieved": retrieved.isoformat(),
            "version": peer_year(peers) or retrieved.isoformat(),
        },
        SKR_FILE: {
            "source": f"Kolada API, kommungrupper {SKR_GROUP_IDS[0]}–{SKR_GROUP_IDS[-1]} ({source_note})",
            "url": "https://api.kolada.se/v3/municipality_groups",
            "licence": "Kolada: fri användning, ange 'Källa: Kolada'",
            "retrieved": retrieved.isoformat(),
            "version": retrieved.isoformat(),
        },
    }
    meta_path = directory / META_FILE
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8")
    written.append(meta_path)
    return written
