"""`lsoplan incidents …`: exit codes, messages and the shape of the statistics output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from lsoplan.cli import main
from lsoplan.commands.incidents import ProgressBar
from lsoplan.incidents.models import ImportBatch, Incident
from tests.factories import World
from tests.incidents.test_import import LFB, V1, V2, _need, _org


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "v1.csv"
    path.write_bytes(V1)
    return path


@pytest.mark.django_db
def test_import_succeeds_with_exit_0_and_a_summary(
    world: World, v1: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["incidents", "import", str(v1), "--org", world.org.slug]) == 0
    out = capsys.readouterr().out
    assert "importerade 3 händelser (3 nya, 0 uppdaterade)" in out
    assert Incident.objects.count() == 3


@pytest.mark.django_db
def test_dry_run_writes_nothing(world: World, v1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incidents", "import", str(v1), "--org", world.org.slug, "--dry-run"]) == 0
    assert "Provkörning" in capsys.readouterr().out
    assert Incident.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_rejected_file_exits_1_and_names_row_column_value(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fel.csv"
    path.write_bytes(V1.replace(b"A-2;0484;2;", b"A-2;0484;99;"))
    assert main(["incidents", "import", str(path), "--org", world.org.slug]) == 1
    err = capsys.readouterr().err
    assert "1 fel" in err and "ingenting har importerats" in err
    assert "rad 3, kolumn handelsetyp, värde '99': okänd händelsetyp" in err
    assert Incident.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv",
    [
        ["incidents", "import", "finns-inte.csv", "--org", "alfa"],
        ["incidents", "import", "{v1}", "--org", "okand"],
        ["incidents", "import", "{v1}", "--org", "alfa", "--mapping", "finns-inte"],
        ["incidents", "import", "{v1}"],
        ["incidents", "stats", "--org", "alfa", "--by", "vecka"],
        ["incidents", "response-times", "--org", "alfa", "--within", "tio"],
        ["incidents", "undo", "999", "--org", "alfa"],
        ["incidents"],
    ],
)
def test_usage_errors_exit_2(
    world: World, v1: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{v1}", str(v1)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lsoplan: fel:") and "Traceback" not in err


@pytest.mark.django_db
def test_stats_json_shape(world: World, v1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["incidents", "import", str(v1), "--org", world.org.slug])
    capsys.readouterr()
    assert main(["incidents", "stats", "--org", world.org.slug, "--by", "year,handelsetyp"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {
        "total": 3,
        "groups": [
            {"year": 2023, "handelsetyp": 2, "count": 1},
            {"year": 2024, "handelsetyp": 1, "count": 1},
            {"year": 2024, "handelsetyp": 2, "count": 1},
        ],
    }
    assert main(["incidents", "stats", "--org", world.org.slug, "--by", "kommun", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["kommun,count", "0484,2", "0486,1"]


@pytest.mark.django_db
def test_response_times_json_shape(world: World, v1: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["incidents", "import", str(v1), "--org", world.org.slug])
    capsys.readouterr()
    assert (
        main(["incidents", "response-times", "--org", world.org.slug, "--within", "10,20", "--by", "kommun"])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert {"n", "n_missing", "median_s", "p80_s", "p90_s", "share_within", "groups"} <= set(result)
    assert result["n"] == 3 and result["n_missing"] == 0
    assert result["median_s"] == 720.0  # 9, 12 and 35 minutes
    assert result["share_within"] == {"10": pytest.approx(1 / 3), "20": pytest.approx(2 / 3)}
    assert [g["kommun"] for g in result["groups"]] == ["0484", "0486"]
    assert main(["incidents", "response-times", "--org", world.org.slug, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "n,n_missing,median_s,p80_s,p90_s,share_within_10,share_within_20,share_within_30"


@pytest.mark.django_db
def test_undo_and_history(world: World, v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v2 = tmp_path / "v2.csv"
    v2.write_bytes(V2)
    main(["incidents", "import", str(v1), "--org", world.org.slug])
    main(["incidents", "import", str(v2), "--org", world.org.slug])
    first, second = ImportBatch.objects.order_by("id")
    capsys.readouterr()
    assert main(["incidents", "undo", str(first.pk), "--org", world.org.slug, "--yes"]) == 2
    assert "Bara den senaste importen" in capsys.readouterr().err
    assert main(["incidents", "undo", str(second.pk), "--org", world.org.slug, "--yes"]) == 0
    assert "1 händelser borttagna, 2 återställda" in capsys.readouterr().out
    assert main(["incidents", "history", "--org", world.org.slug, "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in history] == [second.pk, first.pk]
    assert history[0]["undone_at"] is not None and history[1]["undone_at"] is None


@pytest.mark.django_db
def test_shipped_mapping_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    _need(LFB)
    org = _org("london-cli", "0180")
    assert main(["incidents", "import", str(LFB), "--org", org.slug, "--mapping", "lfb"]) == 0
    capsys.readouterr()
    main(["incidents", "response-times", "--org", org.slug, "--within", "6"])
    result = json.loads(capsys.readouterr().out)
    assert (result["n"], result["median_s"], result["p90_s"]) == (6708, 296.0, 471.0)
    assert round(result["share_within"]["6"] * 100, 2) == 71.15


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    pipe = io.StringIO()
    bar = ProgressBar(pipe, "Importerar")
    bar(50, 100)
    bar.close()
    assert pipe.getvalue() == ""
    terminal = _Terminal()
    bar = ProgressBar(terminal, "Importerar")
    bar(1000, 1000)
    bar.close()
    assert "100%" in terminal.getvalue() and "1\u00a0000 rader" in terminal.getvalue()
