"""The `lsoplan` console command: one entry point for users and operators.

Exit codes: 0 success, 1 the input was rejected (a file with errors), 2 usage error (bad
arguments, unknown organisation, unreadable file). Errors are one clear line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "lsoplan.commands.admin",
    "lsoplan.commands.programme",
    "lsoplan.commands.exchange",
    "lsoplan.commands.smart",
    "lsoplan.commands.stats",
    "lsoplan.commands.incidents",
    "lsoplan.commands.check",
    "lsoplan.commands.report",
    "lsoplan.commands.followup",
    "lsoplan.commands.fetch",
    "lsoplan.commands.production",
    "lsoplan.commands.jobs",
    "lsoplan.commands.public",
    "lsoplan.commands.token",
)


class UsageError(Exception):
    """Bad arguments or an unknown object named on the command line: exit 2."""


class RejectedError(Exception):
    """The input was read but rejected (validation errors): exit 1."""


# argparse's own messages are English; these are the ones a user meets, said in Swedish.
_ARGPARSE_SWEDISH = (
    (re.compile(r"^the following arguments are required: (.*)$"), r"följande argument saknas: \1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"okända argument: \1"),
    (
        re.compile(r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$"),
        r"argument \1: ogiltigt val \2 (välj bland \3)",
    ),
    (re.compile(r"^argument (.*?): invalid int value: (.*)$"), r"argument \1: \2 är inte ett heltal"),
    (re.compile(r"^argument (.*?): invalid float value: (.*)$"), r"argument \1: \2 är inte ett tal"),
    (re.compile(r"^argument (.*?): invalid (\w+) value: (.*)$"), r"argument \1: ogiltigt värde \3"),
    (re.compile(r"^argument (.*?): expected one argument$"), r"argument \1: ett värde saknas"),
    (re.compile(r"^argument (.*?): expected at least one argument$"), r"argument \1: minst ett värde saknas"),
    (
        re.compile(r"^argument (.*?): not allowed with argument (.*)$"),
        r"argument \1 kan inte anges tillsammans med \2",
    ),
    (re.compile(r"^one of the arguments (.*) is required$"), r"ett av argumenten \1 krävs"),
    (re.compile(r"^ambiguous option: (.*?) could match (.*)$"), r"tvetydig flagga \1 (kan vara \2)"),
)


def swedish_usage_message(message: str) -> str:
    for pattern, replacement in _ARGPARSE_SWEDISH:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage plus the message; one clear line is what operators asked for.
        raise UsageError(swedish_usage_message(message))


def setup_django() -> None:
    """Django with lsoplan's settings; a setting the environment gets wrong is a usage error."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lsoplan.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from lsoplan.lib.os_errors import describe as describe_os_error

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise UsageError(f"inställningarna: {exc}") from None
    except OSError as exc:  # LSOPLAN_HOME, the static or upload folder cannot be created
        raise UsageError(f"kan inte skapa {exc.filename}: {describe_os_error(exc)}") from None
    except ValueError as exc:  # a number in the environment that is not one
        raise UsageError(f"inställningarna i miljön kan inte läsas: {exc}") from None


def _database_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return "databasen saknar tabeller; kör först lsoplan migrate"
    if "database is locked" in text:
        return "databasen är låst av en annan körning; ingenting har sparats, försök igen när den är klar"
    return f"databasen kan inte användas: {text}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lsoplan", description="Handlingsprogram enligt LSO.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="KOMMANDO")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not written yet must not break the others
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        result: int = args.func(args)
        return result
    except UsageError as exc:
        print(f"lsoplan: fel: {exc}", file=sys.stderr)
        return 2
    except RejectedError as exc:
        print(f"lsoplan: avvisad: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lsoplan: avbrutet", file=sys.stderr)
        return 130
    except Exception as exc:
        # The database, and as a last resort anything not foreseen: still one line, never a
        # traceback (LSOPLAN_DEBUG=1 shows it to a developer). tests/test_cli_robustness.py fails
        # on "internt fel", so a known failure is fixed where it happens, not here.
        if os.environ.get("LSOPLAN_DEBUG", "").strip().lower() in {"1", "true", "yes", "ja", "on"}:
            raise
        if _is_database_error(exc):
            print(f"lsoplan: fel: {_database_message(exc)}", file=sys.stderr)
            return 2
        print(f"lsoplan: internt fel ({type(exc).__name__}): {exc}".splitlines()[0], file=sys.stderr)
        return 1


def _is_database_error(exc: Exception) -> bool:
    db = sys.modules.get("django.db")
    return db is not None and isinstance(exc, db.DatabaseError)


if __name__ == "__main__":
    # `python -m lsoplan.cli` runs this file as __main__, a second copy of the module: the commands
    # raise lsoplan.cli's UsageError, which this copy's handlers would not catch.
    from lsoplan.cli import main as _main

    raise SystemExit(_main())
