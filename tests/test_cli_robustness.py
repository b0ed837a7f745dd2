"""Every `lsoplan` command, given broken input, answers with one Swedish line and exit 1 or 2.

The commands are enumerated from the argparse parser, so a new command or argument is swept
without editing this file; an argument of a kind the sweep does not know fails
`test_every_argument_has_a_known_kind` until it is described in KINDS below.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lsoplan.accounts.models import Organisation
from lsoplan.accounts.services import create_organisation
from lsoplan.cli import build_parser, main
from lsoplan.programmes.models import Programme
from lsoplan.programmes.services import create_programme
from tests.factories import SYSTEM

# How each argument (by argparse dest) is given a plausible value; the sweep breaks one at a time.
FILE_IN = "file-in"
FILE_OUT = "file-out"
DIR_OUT = "directory-out"
ORG = "org"
OBJECT_ID = "object-id"
PLAIN = "plain"
KINDS: dict[str, str] = {
    "file": FILE_IN,
    "mapping": FILE_IN,
    "output": FILE_OUT,
    "org": ORG,
    "programme": OBJECT_ID,
    "batch": OBJECT_ID,
}
# Where one command's argument of that name means something else.
KINDS_FOR: dict[tuple[tuple[str, ...], str], str] = {(("fetch", "peers"), "output"): DIR_OUT}
# Plain values for required arguments that are neither files, organisations nor object ids.
PLAIN_VALUES: dict[str, list[str]] = {
    "slug": ["ny-org"],
    "name": ["Ny organisation"],
    "municipality": ["0484"],
    "username": ["ny-anvandare"],
    "role": ["lasare"],
    "kind": ["programme"],
    "fmt": ["docx"],
    "count": ["3"],
    "count1": ["3"],
    "count2": ["4"],
    "exposure1": ["1"],
    "exposure2": ["1"],
    "chart": ["c"],
    "baseline_rate": ["5"],
    "baseline_years": ["4"],
    "change": ["-20%"],
    "years": ["4"],
    "kpi": ["N07415"],
    "search": ["räddning"],
    "table": ["B11"],
    "user": ["ny-anvandare"],
    "scope": ["read"],
}
# Text arguments with a wrong value of their own kind (none of them is a number or a known code).
BAD_TEXT: dict[str, str] = {
    "municipality": "9999",
    "years": "förra året",
    "within": "tio,x",
    "by": "okänd-nyckel",
    "kpi": "X99999",
    "table": "B99",
    "slug": "Ogiltig Slug!",
    "username": " ",
}
# These start servers, migrate or load the demo when their arguments are fine: only argument
# errors (refused by argparse before anything runs) are tried on them.
ARGUMENTS_ONLY = {("demo",), ("runserver",), ("serve",), ("migrate",), ("check-deploy",)}
# What kind of content a file argument expects, for the "bad numbers" case.
JSON_INPUT = {("smart",), ("import",)}

BROKEN_FILES = (
    "missing",
    "empty-path",
    "directory",
    "empty",
    "binary",
    "deep-json",
    "not-utf8",
    "bad-numbers",
)

ENGLISH = re.compile(
    r"\b(No such file|Is a directory|Permission denied|invalid|Errno|Traceback|can't|cannot|"
    r"the following|expected|Expecting|error|Error|codec)\b"
)


def leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaves(sub, (*path, name))
            return
    yield path, parser


def arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction) and a.dest != argparse.SUPPRESS and a.nargs != 0
    ]


# Broken values that stand for a path in the scratch folder, made when the case runs.
SCRATCH = "@scratch"
NO_SUCH_FOLDER = "@no-such-folder"


@dataclass(frozen=True)
class Case:
    command: tuple[str, ...]
    name: str
    parser: argparse.ArgumentParser
    exits: frozenset[int]
    # dest → the broken value (a literal, SCRATCH, NO_SUCH_FOLDER or "@file:<one of BROKEN_FILES>").
    replace: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, ...] = ()
    # The command word(s) alone, without the required arguments.
    bare: bool = False

    @property
    def parser_only(self) -> bool:
        # Argument errors never reach the database: they run without one, which keeps the sweep fast.
        return self.name in ("unknown-option", "nothing") or self.name.startswith(("choice:", "number:"))

    def argv(self, world: Sample, tmp: Path) -> list[str]:
        if self.bare:
            return list(self.command)
        files = _broken_files(tmp, self.command in JSON_INPUT)
        special = {SCRATCH: str(tmp), NO_SUCH_FOLDER: str(tmp / "finns-inte" / "ut.bin")}
        special |= {f"@file:{k}": "" if k == "empty-path" else str(v) for k, v in files.items()}
        replace = {dest: [special.get(value, value)] for dest, value in self.replace}
        return _argv(self.command, self.parser, world, tmp, replace, self.extra)


def kind_of(command: tuple[str, ...], dest: str) -> str | None:
    return KINDS_FOR.get((command, dest), KINDS.get(dest))


@dataclass(frozen=True)
class Sample:
    """What the valid arguments name: an organisation and its programme (lighter than a World)."""

    org: Organisation
    programme: Programme


@pytest.fixture
def sample(db: None) -> Sample:
    org = create_organisation(SYSTEM, slug="alfa", name="Räddningstjänst alfa", municipality_codes=["0484"])
    programme = create_programme(SYSTEM, org, title="Handlingsprogram", period_start=2027, period_end=2030)
    return Sample(org, programme)


# Stands in for the sample where argparse refuses the command before any value is looked up.
NO_WORLD: Any = SimpleNamespace(org=SimpleNamespace(slug="alfa"), programme=SimpleNamespace(pk=1))


def _broken_files(tmp: Path, json_input: bool) -> dict[str, Path]:
    files = {
        "missing": tmp / "finns-inte.json",
        "empty-path": Path(""),
        "directory": tmp,
        "empty": tmp / "tom.json",
        "binary": tmp / "skrap.bin",
        "deep-json": tmp / "djup.json",
        "not-utf8": tmp / "latin1.json",
        "bad-numbers": tmp / "tal.json",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 64 + b"\x00PK\x03\x04")
    files["deep-json"].write_text("[" * 100_000, encoding="ascii")
    files["not-utf8"].write_bytes("period;count\nÅr 2020;3\n".encode("latin-1") + b"\xff\xfe")
    if json_input:
        files["bad-numbers"].write_text('[{"text": "Färre bränder", "baseline": NaN, "target": "tio"}]')
    else:
        files["bad-numbers"].write_text("period,count,exposure\n2020,tre,1e999\n2021,-1,0\n")
    return files


def _value(
    command: tuple[str, ...], action: argparse.Action, world: Sample, tmp: Path, sample_file: Path
) -> list[str]:
    kind = kind_of(command, action.dest)
    if kind == FILE_IN:
        return [str(sample_file)]
    if kind == FILE_OUT:
        return [str(tmp / "ut.bin")]
    if kind == DIR_OUT:
        return [str(tmp)]
    if kind == ORG:
        return [world.org.slug]
    if kind == OBJECT_ID:
        return [str(world.programme.pk)]
    return PLAIN_VALUES[action.dest]


def _argv(
    command: tuple[str, ...],
    parser: argparse.ArgumentParser,
    world: Sample,
    tmp: Path,
    replace: dict[str, list[str]] | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """The command with every required argument given (fetch always offline), one replaced."""
    replace = replace or {}
    sample = tmp / "prov.json"
    if not sample.exists():
        sample.write_text("[]", encoding="utf-8")
    argv = list(command)
    for action in arguments(parser):
        if not (action.required or action.dest in replace):
            continue
        values = replace.get(action.dest) or _value(command, action, world, tmp, sample)
        argv += [*([action.option_strings[0]] if action.option_strings else []), *values]
    if command[0] == "fetch" and "--offline" not in argv:
        argv.append("--offline")
    return [*argv, *extra]


def _required_groups_satisfied(parser: argparse.ArgumentParser, command: tuple[str, ...]) -> list[str]:
    # A required mutually exclusive group (fetch kolada: --kpi or --search): give its first member.
    extra: list[str] = []
    for group in parser._mutually_exclusive_groups:
        if group.required:
            first = group._group_actions[0]
            extra += [first.option_strings[0], *PLAIN_VALUES[first.dest]]
    return extra


def _param(case: Case) -> Any:
    case_id = f"{' '.join(case.command)}-{case.name}"
    return pytest.param(case, id=case_id)


def _broken_values(command: tuple[str, ...], action: argparse.Action) -> Iterator[tuple[str, str, set[int]]]:
    """(case name, broken value, allowed exit codes) for one argument that reaches the command."""
    kind = kind_of(command, action.dest)
    if kind == FILE_IN:
        for broken in BROKEN_FILES:
            exits = {2} if broken in ("missing", "empty-path", "directory") else {1, 2}
            yield f"file:{action.dest}:{broken}", f"@file:{broken}", exits
    elif kind == FILE_OUT:
        yield "output:directory", SCRATCH, {1, 2}
        yield "output:no-such-folder", NO_SUCH_FOLDER, {1, 2}
    elif kind == DIR_OUT:
        yield "output:a-file", "@file:binary", {1, 2}
    elif kind == ORG:
        yield "unknown-org", "finns-inte", {2}
    elif kind == OBJECT_ID:
        yield "unknown-id", "987654321", {2}
        yield "not-an-id", "två", {2}
    if action.dest in BAD_TEXT:
        yield f"bad-value:{action.dest}", BAD_TEXT[action.dest], {1, 2}


def cases() -> Iterator[Any]:
    for command, parser in leaves(build_parser()):
        extra = tuple(_required_groups_satisfied(parser, command))
        # Argument errors, for every command: argparse refuses them before anything runs.
        yield _param(Case(command, "unknown-option", parser, frozenset({2}), extra=(*extra, "--finns-inte")))
        if any(a.required for a in arguments(parser)):
            yield _param(Case(command, "nothing", parser, frozenset({2}), bare=True))
        for action in arguments(parser):
            if action.choices is not None:
                broken = (("choice:" + action.dest, "inget-sådant-val"),)
            elif action.type is not None and action.type not in (str, Path):
                broken = (("number:" + action.dest, "tre,fem,x"),)
            else:
                continue
            for name, value in broken:
                yield _param(Case(command, name, parser, frozenset({2}), ((action.dest, value),), extra))
        if command in ARGUMENTS_ONLY:
            continue
        # Broken values that reach the command itself.
        for action in arguments(parser):
            for name, value, exits in _broken_values(command, action):
                yield _param(Case(command, name, parser, frozenset(exits), ((action.dest, value),), extra))


def assert_one_swedish_line(err: str, exit_code: int, allowed: frozenset[int], scratch: Path) -> None:
    assert "Traceback" not in err, err
    assert "internt fel" not in err, err  # the last-resort handler: a failure not handled where it happens
    lines = [line for line in err.splitlines() if line.strip()]
    # One line says what failed; a rejected file (exit 1) may list its faults below it, indented,
    # one per row and column, as the README promises for files with errors.
    heads = [line for line in lines if not line.startswith("  ")]
    assert len(heads) == 1 and heads == lines[:1], err
    assert exit_code == 1 or len(lines) == 1, err
    assert lines[0].startswith("lsoplan: "), err
    assert exit_code in allowed, (exit_code, err)
    # The text around the names of files and values is Swedish.
    for line in lines:
        text = line.replace(str(scratch), "")
        assert not ENGLISH.search(text), text


def test_every_argument_has_a_known_kind() -> None:
    unknown = [
        (" ".join(command), action.dest)
        for command, parser in leaves(build_parser())
        for action in arguments(parser)
        if action.required and kind_of(command, action.dest) is None and action.dest not in PLAIN_VALUES
    ]
    assert unknown == [], "describe these in KINDS or PLAIN_VALUES"


ALL = list(cases())


@pytest.mark.parametrize("case", [c for c in ALL if c.values[0].parser_only])
def test_argument_errors_give_one_swedish_line(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = main(case.argv(NO_WORLD, tmp_path))
    assert_one_swedish_line(capsys.readouterr().err, exit_code, case.exits, tmp_path)


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in ALL if not c.values[0].parser_only])
def test_broken_values_give_one_swedish_line(
    case: Case,
    sample: Sample,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # user create must not wait for a password
    exit_code = main(case.argv(sample, tmp_path))
    assert_one_swedish_line(capsys.readouterr().err, exit_code, case.exits, tmp_path)


# --- end to end: the installed entry point in a process of its own ---------------------------------


def _run(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    skip = ("LSOPLAN_", "DATABASE_URL", "DJANGO_", "SECRET_KEY")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    clean |= {"LSOPLAN_HOME": str(tmp_path / "home"), **env}
    return subprocess.run(
        [sys.executable, "-m", "lsoplan.cli", *argv], env=clean, capture_output=True, text=True, timeout=120
    )


def test_deeply_nested_json_to_smart_is_refused_in_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "djup.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = _run(tmp_path, "smart", str(deep))
    assert_one_swedish_line(result.stderr, result.returncode, frozenset({2}), tmp_path)
    assert "djupare än" in result.stderr


def test_lsoplan_home_pointing_at_a_file_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "hem"
    home.write_text("")
    result = _run(tmp_path, "programme", "list", "--org", "demo", LSOPLAN_HOME=str(home))
    assert_one_swedish_line(result.stderr, result.returncode, frozenset({2}), tmp_path)
    assert "LSOPLAN_HOME" in result.stderr


def test_a_database_never_migrated_is_one_line_naming_migrate(tmp_path: Path) -> None:
    result = _run(tmp_path, "programme", "list", "--org", "demo")
    assert_one_swedish_line(result.stderr, result.returncode, frozenset({2}), tmp_path)
    assert "lsoplan migrate" in result.stderr


def test_a_bad_number_in_the_environment_is_one_line_naming_it(tmp_path: Path) -> None:
    result = _run(tmp_path, "programme", "list", "--org", "demo", LSOPLAN_SESSION_SECONDS="åtta timmar")
    assert_one_swedish_line(result.stderr, result.returncode, frozenset({2}), tmp_path)
    assert "LSOPLAN_SESSION_SECONDS" in result.stderr


def test_check_deploy_in_production_without_a_secret_key_reports_it(tmp_path: Path) -> None:
    result = _run(tmp_path, "check-deploy", LSOPLAN_ENV="production", ALLOWED_HOSTS="lsoplan.kommun.se")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "lsoplan: SECRET_KEY kommer inte från miljön" in result.stdout.splitlines()


# --- the causes, one by one ----------------------------------------------------------------------


def test_a_deeply_nested_programme_file_is_one_problem_at_the_root() -> None:
    from lsoplan.programmes.exchange import ProgrammeFileError
    from lsoplan.programmes.exchange_import import parse

    with pytest.raises(ProgrammeFileError) as raised:
        parse(b"[" * 100_000)
    assert [(p.path, p.message) for p in raised.value.problems] == [
        ("$", "JSON-strukturen är djupare än 64 nivåer och läses inte")
    ]


def test_a_locked_database_is_one_line_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.db import OperationalError

    def locked(args: argparse.Namespace) -> int:
        raise OperationalError("database is locked")

    monkeypatch.setattr("lsoplan.commands.programme.programme_list", locked)
    assert main(["programme", "list", "--org", "alfa"]) == 2
    assert capsys.readouterr().err == (
        "lsoplan: fel: databasen är låst av en annan körning; ingenting har sparats, "
        "försök igen när den är klar\n"
    )


def test_an_unforeseen_failure_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("något oväntat\nmed en andra rad")

    monkeypatch.delenv("LSOPLAN_DEBUG", raising=False)
    monkeypatch.setattr("lsoplan.commands.programme.programme_list", broken)
    assert main(["programme", "list", "--org", "alfa"]) == 1
    assert capsys.readouterr().err == "lsoplan: internt fel (RuntimeError): något oväntat\n"


def test_with_lsoplan_debug_the_traceback_is_shown_to_a_developer(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("för utvecklaren")

    monkeypatch.setenv("LSOPLAN_DEBUG", "1")
    monkeypatch.setattr("lsoplan.commands.programme.programme_list", broken)
    with pytest.raises(RuntimeError, match="för utvecklaren"):
        main(["programme", "list", "--org", "alfa"])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["stats", "poisson-ci"], "lsoplan: fel: följande argument saknas: COUNT\n"),
        (
            ["report", "programme", "1", "--format", "odt", "-o", "x"],
            "ogiltigt val 'odt' (välj bland 'docx', 'pdf', 'xlsx')",
        ),
        (["check", "1", "--version", "två"], "argument --version: 'två' är inte ett heltal"),
        (["smart", "a.json", "b.json"], "okända argument: b.json"),
    ],
)
def test_argparse_messages_are_said_in_swedish(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert expected in capsys.readouterr().err
