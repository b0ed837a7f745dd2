"""`lsoplan smart FILE`: JSON in, SMART verdicts out; bad input is exit 2 with one clear line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lsoplan
from lsoplan.cli import main

GOALS = [
    {"text": "Vi ska vara en säker och trygg kommun"},
    {
        "text": "Antalet bränder i bostad ska minska med 20 % till 2030 jämfört med 2016–2019",
        "kind": "sakerhetsmal",
        "owner": "Räddningsnämnden",
        "history": [[2015, 50], [2016, 48], [2017, 52], [2018, 49], [2019, 47], [2020, 46], [2021, 45]],
    },
    {"text": "Minst 400 tillsyner per år 2027–2030", "kind": "prestationsmal", "target_year": 2030},
]
CRITERIA = ["specifikt", "matbart", "accepterat", "realistiskt", "tidsatt"]


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "mal.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["smart", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_verdicts_in_input_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli([write(tmp_path, GOALS), "--today-year", "2026"], capsys)
    assert (code, err) == (0, "")
    results = json.loads(out)
    assert [r["smart"] for r in results] == [False, True, False]
    for result in results:
        assert list(result["criteria"]) == CRITERIA
        for criterion in result["criteria"].values():
            assert criterion["status"] in ("ok", "brist", "okant")
            assert all(isinstance(r, str) for r in criterion["reasons"])
    assert results[0]["criteria"]["specifikt"]["status"] == "brist"
    assert results[2]["criteria"]["accepterat"]["reasons"] == ["Ingen ansvarig är angiven."]
    assert "”säker och trygg”" in out  # ensure_ascii=False: Swedish stays readable
    assert out.startswith('[\n  {\n    "smart"')  # indent=2


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(GOALS[:1])))
    code, out, _ = run_cli(["-"], capsys)
    assert code == 0
    assert len(json.loads(out)) == 1


def test_today_year_decides_whether_the_deadline_has_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [{"text": "Antalet bränder ska vara högst 40 senast 2025", "target_year": 2025}])
    _, before, _ = run_cli([path, "--today-year", "2025"], capsys)
    _, after, _ = run_cli([path, "--today-year", "2026"], capsys)
    assert json.loads(before)[0]["criteria"]["tidsatt"]["status"] == "ok"
    assert "Måldatum har passerat (2025)." in json.loads(after)[0]["criteria"]["tidsatt"]["reasons"]


def test_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(GOALS[:1]), encoding="utf-8-sig")  # as saved by Windows Notepad
    assert run_cli([str(path)], capsys)[0] == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("[{", "ogiltig JSON (rad 1, kolumn 3)"),
        ('[{"text": "x", "baseline": NaN}]', "ogiltig JSON (NaN är inte ett tal)"),
        ({"text": "x"}, "ska vara en JSON-lista med mål"),
        (["x"], "post 1: ska vara ett objekt"),
        ([{"kind": "sakerhetsmal"}], 'post 1, fält "text": saknas'),
        ([{"text": "  "}], 'post 1, fält "text": ska vara en icke-tom sträng'),
        ([{"text": 5}], 'post 1, fält "text": ska vara en icke-tom sträng'),
        (
            [{"text": "a"}, {"text": "b"}, {"text": "c", "target_year": 2030.5}],
            'post 3, fält "target_year": ska vara ett heltal',
        ),
        ([{"text": "a", "target_year": True}], 'post 1, fält "target_year": ska vara ett heltal'),
        ([{"text": "a", "target_year": "2030"}], 'post 1, fält "target_year": ska vara ett heltal'),
        ([{"text": "a", "baseline": "40"}], 'post 1, fält "baseline": ska vara ett tal'),
        ([{"text": "a", "target": False}], 'post 1, fält "target": ska vara ett tal'),
        ([{"text": "a", "owner": 7}], 'post 1, fält "owner": ska vara en sträng'),
        (
            [{"text": "a", "kind": "SafetyGoal"}],
            'post 1, fält "kind": okänt värde "SafetyGoal" (tillåtna: sakerhetsmal, prestationsmal)',
        ),
        ([{"text": "a", "traget_year": 2030}], 'post 1, fält "traget_year": okänt fält'),
        ([{"text": "a", "history": [[2020, "5"]]}], 'post 1, fält "history": ska vara en lista'),
    ],
)
def test_invalid_input_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, message: str
) -> None:
    code, out, err = run_cli([write(tmp_path, data)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("lsoplan: fel: ") and message in err
    assert err.count("\n") == 1  # one line, no traceback


def test_null_means_absent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([write(tmp_path, [{"text": "x", "kind": None, "owner": None}])], capsys)
    assert code == 0
    assert json.loads(out)[0]["criteria"]["accepterat"]["status"] == "brist"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli([str(tmp_path / "finns-inte.json")], capsys)
    assert code == 2
    assert "finns inte" in err


def _command() -> tuple[list[str], dict[str, str]]:
    # The console script when the package is installed; otherwise the module, with src on the path.
    env = dict(os.environ)
    src = str(Path(lsoplan.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    script = Path(sys.executable).parent / "lsoplan"
    return ([str(script)] if script.exists() else [sys.executable, "-m", "lsoplan.cli"]), env


def test_console_command_end_to_end() -> None:
    command, env = _command()
    ok = subprocess.run(
        [*command, "smart", "-", "--today-year", "2026"],
        input=json.dumps(GOALS),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert [r["smart"] for r in json.loads(ok.stdout)] == [False, True, False]

    bad = subprocess.run(
        [*command, "smart", "-"],
        input='[{"text": "a"}, {"text": "b", "kind": "mål"}]',
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith('lsoplan: fel: post 2, fält "kind": okänt värde "mål"')
    assert bad.stdout == ""


def test_smart_modules_do_not_import_django() -> None:
    # The check must run where the web app is not installed, and start fast.
    _, env = _command()
    code = (
        "import sys, lsoplan.commands.smart, lsoplan.lib.smart, lsoplan.lib.smart_text;"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
