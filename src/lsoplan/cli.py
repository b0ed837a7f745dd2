"""The `lsoplan` console command: one entry point for users and operators.

Exit codes: 0 success, 1 the input was rejected (a file with errors), 2 usage error (bad
arguments, unknown organisation, unreadable file). Errors are one clear line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
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
)


class UsageError(Exception):
    """Bad arguments or an unknown object named on the command line: exit 2."""


class RejectedError(Exception):
    """The input was read but rejected (validation errors): exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage plus the message; one clear line is what operators asked for.
        raise UsageError(message)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lsoplan.settings")
    import django

    django.setup()


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


if __name__ == "__main__":
    raise SystemExit(main())
