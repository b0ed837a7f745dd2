"""`lsoplan stats …` end to end through lsoplan.cli.main: JSON out, exit 2 with one line on bad input.

No database: the stats commands never touch Django.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lsoplan.cli import main
from tests.lib.stats.test_stats_control_charts import NIST_WAFERS


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code = main(["stats", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def _fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["stats", *argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("lsoplan: fel: ")
    return lines[0]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_poisson_ci(capsys: pytest.CaptureFixture[str]) -> None:
    # R: poisson.test(10, 2) -> 2.397694 9.195178
    result = _run(capsys, "poisson-ci", "10", "--exposure", "2")
    assert set(result) == {"estimate", "lower", "upper", "method"}
    assert result["estimate"] == 5.0
    assert result["lower"] == pytest.approx(2.397694, abs=1e-6)
    assert result["upper"] == pytest.approx(9.195178, abs=1e-6)


def test_poisson_ci_level_with_decimal_comma(capsys: pytest.CaptureFixture[str]) -> None:
    narrow = _run(capsys, "poisson-ci", "10", "--level", "0,8")
    wide = _run(capsys, "poisson-ci", "10")
    assert narrow["upper"] < wide["upper"]


def test_rate_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    # R: poisson.test(c(11, 21), c(800, 3011)) -> 1.971488, CI 0.8584264 4.2772659, p 0.07967
    result = _run(capsys, "rate-ratio", "11", "800", "21", "3011")
    assert set(result) == {"rate_ratio", "lower", "upper", "p_value", "method"}
    assert result["rate_ratio"] == pytest.approx(1.971488, abs=1e-6)
    assert result["lower"] == pytest.approx(0.8584264, abs=1e-7)
    assert result["upper"] == pytest.approx(4.2772659, abs=1e-7)
    assert result["p_value"] == pytest.approx(0.07967, abs=1e-5)


def test_rate_ratio_with_no_events_in_group_two_writes_null(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(capsys, "rate-ratio", "5", "2", "0", "1")
    assert result["rate_ratio"] is None
    assert result["upper"] is None


def test_trend_from_swedish_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "period;antal;exponering\n" + "".join(
        f"{year};{count};{pop}\n"
        for year, count, pop in zip(
            range(2015, 2024),
            [9, 7, 8, 6, 7, 5, 6, 4, 6],
            ["11,2", "11,3", "11,3", "11,4", "11,6", "11,7", "11,9", "12", "12"],
            strict=True,
        )
    )
    result = _run(capsys, "trend", _write(tmp_path, "t.csv", text, "cp1252"))
    for key in ("model", "intercept", "slope", "rate_ratio_per_period", "lower", "upper", "p_value"):
        assert key in result
    for key in ("deviance", "df_resid", "dispersion"):
        assert key in result
    assert result["model"] == "poisson"
    assert result["df_resid"] == 7
    assert result["lower"] < result["rate_ratio_per_period"] < result["upper"] < 1.05


def test_trend_overdispersed_negative_binomial(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = "".join(
        f"{y},{c}\n" for y, c in zip(range(2014, 2024), [3, 15, 4, 18, 2, 14, 5, 20, 3, 16], strict=True)
    )
    path = _write(tmp_path, "t.csv", "period,count\n" + rows)
    assert _run(capsys, "trend", path)["model"] == "quasi-poisson"
    assert _run(capsys, "trend", path, "--overdispersed", "negative-binomial")["model"] == "negative-binomial"


def test_control_chart_c(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # NIST/SEMATECH e-Handbook §6.3.3.1 wafer defects: c̄ = 16, UCL 28, LCL 4; wafer 24 (31) above.
    wafers = NIST_WAFERS
    path = _write(
        tmp_path, "c.csv", "period,count\n" + "".join(f"{i},{c}\n" for i, c in enumerate(wafers, 1))
    )
    result = _run(capsys, "control-chart", path, "--chart", "c")
    assert result["center"] == 16
    assert result["ucl"] == [28.0] * 25
    assert result["lcl"] == [4.0] * 25
    assert {"period": 24, "rule": 1} in [
        {"period": s["period"], "rule": s["rule"]} for s in result["signals"]
    ]


def test_control_chart_u_and_phase1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "period;count;size\n2019-01;4;10\n2019-02;5;12\n2019-03;3;9\n2019-04;20;10\n"
    result = _run(capsys, "control-chart", _write(tmp_path, "u.csv", text), "--chart", "u", "--phase1", "3")
    assert result["center"] == pytest.approx(12 / 31)
    assert len(result["ucl"]) == 4 and len(set(result["ucl"])) == 3
    assert [s["period"] for s in result["signals"] if s["rule"] == 1] == ["2019-04"]


def test_control_chart_individuals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # NIST/SEMATECH e-Handbook §6.3.2.2 flow rate: UCL 55.8041, LCL 45.8159.
    flow = ["49,6", "47,6", "49,9", "51,3", "47,8", "51,2", "52,6", "52,4", "53,6", "52,1"]
    text = "period;value\n" + "".join(f"{i};{v}\n" for i, v in enumerate(flow, 1))
    result = _run(capsys, "control-chart", _write(tmp_path, "i.csv", text), "--chart", "i")
    assert result["ucl"][0] == pytest.approx(55.8041, abs=1e-3)
    assert result["lcl"][0] == pytest.approx(45.8159, abs=1e-3)


def test_detectability(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(
        capsys,
        "detectability",
        "--baseline-rate",
        "6",
        "--baseline-years",
        "5",
        "--change",
        "-0.2",
        "--years",
        "3",
    )
    assert 0 < result["power"] < 0.3
    assert -1 < result["minimal_detectable_change"] < -0.2
    as_percent = _run(
        capsys,
        "detectability",
        "--baseline-rate",
        "6",
        "--baseline-years",
        "5",
        "--change=-20%",
        "--years",
        "3",
    )
    assert as_percent["power"] == result["power"]


def test_detectability_unreachable_is_null(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(
        capsys,
        "detectability",
        "--baseline-rate",
        "0.3",
        "--baseline-years",
        "3",
        "--change",
        "-0.5",
        "--years",
        "2",
    )
    assert result["minimal_detectable_change"] is None


def test_funnel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "unit;count;exposure\nAle;12;31\nBorås;300;115\nDorotea;1;2,3\nEda;40;8,4\nFalun;62;60\n"
    result = _run(capsys, "funnel", _write(tmp_path, "f.csv", text), "--target-rate", "1")
    assert result["target_rate"] == 1.0
    assert "method" in result
    units = {u["unit"]: u for u in result["units"]}
    assert units["Borås"]["outside_998"] == "above"
    assert units["Dorotea"]["outside_95"] is None
    for key in ("rate", "lower_95", "upper_95", "lower_998", "upper_998", "outside_95", "shrunken_rate"):
        assert key in units["Ale"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["poisson-ci", "--", "-1"], "COUNT"),
        (["poisson-ci", "2.5"], "heltal"),
        (["poisson-ci", "3", "--level", "95"], "nivån"),
        (["poisson-ci", "3", "--exposure", "0"], "större än 0"),
        (["rate-ratio", "1", "2", "3"], "EXPOSURE2"),
        (
            [
                "detectability",
                "--baseline-rate",
                "6",
                "--baseline-years",
                "5",
                "--change",
                "0",
                "--years",
                "3",
            ],
            "0",
        ),
        (["control-chart", "x.csv"], "--chart"),
        ([], "DELKOMMANDO"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    assert fragment in _fails(capsys, *argv)


@pytest.mark.parametrize(
    ("command", "text", "fragment"),
    [
        (["trend"], "period,value\n2019,1\n", "kolumnen 'count' saknas"),
        (["trend"], "period;count\n2019;3\n2020;x\n2021;4\n", "rad 3, kolumn 'count'"),
        (["trend"], "period;count\n2019;3\n2020;-1\n2021;4\n", "negativt"),
        (["trend"], "period;count\n2019;3\n2020;4\n", "minst 3"),
        (["control-chart", "--chart", "u"], "period,count\n1,2\n", "kolumnen 'size' saknas"),
        (["control-chart", "--chart", "c", "--phase1", "9"], "period,count\n1,2\n2,3\n", "fas I"),
        (["funnel"], "unit,count,exposure\nA,1,0\n", "måste vara större än 0"),
    ],
)
def test_bad_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], text: str, fragment: str
) -> None:
    path = _write(tmp_path, "bad.csv", text)
    assert fragment in _fails(capsys, command[0], path, *command[1:])


def test_missing_file_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "kan inte läsa" in _fails(capsys, "trend", str(tmp_path / "saknas.csv"))
