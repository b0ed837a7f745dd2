"""`lsoplan fetch …`: JSON summaries and exit codes (0 done, 1 broken answer, 2 usage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.factories import SYSTEM, World

from lsoplan.cli import main
from lsoplan.goals import services as goals
from lsoplan.lib.publicdata.http import join_url
from lsoplan.lib.publicdata.kolada import KOLADA_V3
from lsoplan.publicdata import services
from lsoplan.publicdata.models import PublicValue

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_kolada_fetch_prints_a_summary(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "fetch", "kolada", "--kpi", "N07415", "--org", "alfa", "--offline")
    assert code == 0
    assert out == {
        "source": "kolada",
        "dataset": "N07415",
        "title": "Byggnadsbränder med spridning från startobjektet, antal/1000 inv",
        "municipalities": ["0484", "0486"],
        "offline": True,
        "values": 4,
        "created": 4,
        "revised": 0,
        "unchanged": 0,
        "missing": 0,
        "kept_live": 0,
        "population_rows": 0,
        "fetch_id": out["fetch_id"],  # type: ignore[index]
        "citation": "Källa: Kolada",
        "revisions": [],
    }


def test_kolada_search(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "fetch", "kolada", "--search", "responstid", "--offline")
    assert code == 0 and [k["id"] for k in out["kpis"]] == ["U07442"]  # type: ignore[index]
    assert PublicValue.objects.count() == 0


def test_kolada_with_years_and_municipalities(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "fetch", "kolada", "--kpi", "U07442", "--municipality", "0482", "0000",
        "--years", "2015-2017", "--offline",
    )  # fmt: skip
    assert code == 0 and out["values"] == 6 and out["missing"] == 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["fetch", "kolada", "--kpi", "N99999", "--org", "alfa"], "N99999"),
        (["fetch", "kolada", "--kpi", "N07415", "--org", "okand"], "okänd organisation"),
        (["fetch", "kolada", "--kpi", "N07415", "--municipality", "9999"], "okänd kommunkod"),
        (["fetch", "kolada", "--kpi", "N07415"], "--org"),
        (["fetch", "kolada", "--kpi", "N07415", "--org", "alfa", "--years", "förra året"], "intervall"),
        (["fetch", "kolada", "--kpi", "N07415", "--search", "brand"], "kan inte anges tillsammans med"),
        (["fetch", "kolada", "--kpi", "N07415", "--municipality", "0114"], "inget inspelat svar"),
        (["fetch", "mcf", "--table", "B99", "--org", "alfa"], "okänd MCF-tabell"),
        (["fetch", "scb", "--org", "alfa"], "--population"),
        (["fetch", "indicators"], "--org"),
        (["fetch"], "saknas"),
    ],
)
def test_usage_errors_exit_2(
    world: World, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, *([] if argv == ["fetch"] else ["--offline"]))
    assert code == 2 and out is None
    assert err.startswith("lsoplan: fel:") and message in err and "Traceback" not in err


def test_broken_answer_exits_1_and_stores_nothing(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = join_url(KOLADA_V3, "data", "kpi", "N07415", "municipality", "0486", query=[("per_page", "5000")])
    broken = tmp_path / "fixtures"
    broken.mkdir()
    (broken / "broken.json").write_text(
        json.dumps(
            {
                "note": "test",
                "exchanges": [{"method": "GET", "url": url, "response_text": "<html>502</html>"}],
            }
        ),
        encoding="utf-8",
    )
    for name in ("kpi.json", "data_N07415.json"):
        (broken / name).write_text(
            (services.FIXTURES / "kolada" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (broken / "data_N07415.json").rename(
        broken / "a_data_N07415.json"
    )  # loaded first, overridden by broken.json
    monkeypatch.setattr(services, "FIXTURES", broken)
    code, out, err = run(capsys, "fetch", "kolada", "--kpi", "N07415", "--org", "alfa", "--offline")
    assert code == 1 and out is None
    assert err.startswith("lsoplan: avvisad: oväntat svar från") and "JSON" in err
    assert PublicValue.objects.count() == 0


def test_mcf_and_scb(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "fetch", "mcf", "--table", "b11", "--org", "alfa", "--years", "2024", "--offline"
    )
    assert code == 0 and out["dataset"] == "B/B1/B11" and out["values"] == 28  # type: ignore[index]
    code, out, _ = run(
        capsys, "fetch", "scb", "--population", "--offline"
    )  # every organisation's municipalities
    assert code == 0 and out["municipalities"] == ["0484", "0486"]  # type: ignore[index]


def test_indicators(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    goals.update_indicator(
        SYSTEM, world.indicator, source="kolada", source_config={"kpi": "N07415", "municipality": "0484"}
    )
    code, out, _ = run(capsys, "fetch", "indicators", "--org", "alfa", "--offline")
    assert code == 0 and out["failed"] == 0  # type: ignore[index]
    assert out["indicators"][0]["written"] == [2024, 2025]  # type: ignore[index]
    goals.update_indicator(SYSTEM, world.indicator, source_config={"kpi": "N07415"})
    code, out, err = run(capsys, "fetch", "indicators", "--org", "alfa", "--offline")
    assert code == 1 and out["failed"] == 1 and "avvisad" in err  # type: ignore[index]


def test_peers(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "fetch", "peers", "--offline", "--output", str(tmp_path / "ref"))
    assert code == 0 and out["peer_groups"] == 290  # type: ignore[index]
    assert (tmp_path / "ref" / "peers_sources.yaml").is_file()
