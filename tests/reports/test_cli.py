"""`lsoplan report`: files written, and one-line usage errors with exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lsoplan.cli import main
from tests.factories import World
from tests.reports.helpers import headings, open_docx

pytestmark = pytest.mark.django_db


def test_programme_docx_and_followup_xlsx(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "program.docx"
    assert main(["report", "programme", str(world.programme.pk), "--format", "docx", "-o", str(target)]) == 0
    assert headings(open_docx(target.read_bytes()))[0] == (1, "1 Inledning")
    assert "program.docx" in capsys.readouterr().out
    lists = tmp_path / "listor.xlsx"
    argv = [
        "report",
        "followup",
        str(world.programme.pk),
        "--format",
        "xlsx",
        "-o",
        str(lists),
        "--year",
        "2020",
    ]
    assert main([*argv, "--version", "1"]) == 0
    assert "Måluppfyllelse 2020" in load_workbook(io.BytesIO(lists.read_bytes())).sheetnames


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["report", "programme", "999999", "--format", "docx", "-o", "x.docx"], "999999"),
        (
            ["report", "programme", "{pk}", "--format", "docx", "-o", "x.docx", "--version", "7"],
            "ingen version 7",
        ),
        (["report", "programme", "{pk}", "--format", "docx", "-o", "x.docx", "--year", "2020"], "--year"),
        (["report", "followup", "{pk}", "--format", "pdf", "-o", "x.pdf", "--year", "1800"], "1990"),
        (["report", "programme", "{pk}", "--format", "odt", "-o", "x.odt"], "odt"),
        (["report", "rapport", "{pk}", "--format", "docx", "-o", "x.docx"], "rapport"),
        (["report", "programme", "{pk}", "--format", "docx", "-o", "/finns/inte/x.docx"], "kan inte skriva"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    world: World, argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{pk}", str(world.programme.pk)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and fragment in err
