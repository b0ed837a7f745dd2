"""`lsoplan smart FILE`: the SMART check of goals read from a JSON file, for scripts and reviewers.

Pure: no Django, no database, so it starts fast and can run on a laptop without the web app.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from typing import Any

from lsoplan.cli import UsageError
from lsoplan.lib import safe_json
from lsoplan.lib.os_errors import describe as describe_os_error
from lsoplan.lib.smart import DIRECTIONS, KINDS, GoalInput, check_goal

HELP = """\
Läser en JSON-lista med mål och skriver SMART-bedömningen som JSON, en post per mål i samma ordning.
Varje mål är ett objekt med "text" (krävs) och frivilligt "kind" (sakerhetsmal | prestationsmal),
"indicator", "baseline" (tal), "baseline_period" (t.ex. "2016–2019"), "target" (tal),
"target_year" (heltal), "owner", "direction" (lower | higher: vilket håll som är bättre) och
"history" (lista med [år, värde]). Posterna numreras från 1 i felmeddelanden."""

_OPTIONAL_TEXT = ("indicator", "baseline_period", "owner")
_NUMBERS = ("baseline", "target")
_FIELDS = frozenset({"text", "kind", "target_year", "direction", "history", *_OPTIONAL_TEXT, *_NUMBERS})


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "smart",
        help="SMART-granska mål från en JSON-fil",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FIL", help="JSON-fil med en lista av mål, eller - för stdin")
    parser.add_argument(
        "--today-year",
        type=int,
        metavar="ÅR",
        help="året att jämföra måldatum med (standard: innevarande år)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raw = _read(args.file)
    goals = parse_goals(raw, source="stdin" if args.file == "-" else args.file)
    today_year = args.today_year if args.today_year is not None else datetime.date.today().year
    results = [check_goal(goal, today_year=today_year).to_json() for goal in goals]
    sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 0


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8-sig") as handle:  # -sig: files saved by Windows editors
            return handle.read()
    except FileNotFoundError:
        raise UsageError(f'filen "{path}" finns inte') from None
    except UnicodeDecodeError:
        raise UsageError(f'filen "{path}" är inte UTF-8-kodad') from None
    except OSError as exc:
        raise UsageError(f'kan inte läsa "{path}": {describe_os_error(exc)}') from None


def _reject_constant(name: str) -> None:
    # json accepts NaN and Infinity by default; neither is a value a planner means.
    raise ValueError(name)


def parse_goals(raw: str, *, source: str = "indata") -> list[GoalInput]:
    """Validate the JSON text and build the goals; every error names the post and the field."""
    try:
        data = safe_json.loads(raw.lstrip("\ufeff"), parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source}: ogiltig JSON (rad {exc.lineno}, kolumn {exc.colno})") from None
    except safe_json.JsonTooDeepError as exc:
        raise UsageError(f"{source}: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"{source}: ogiltig JSON ({exc} är inte ett tal)") from None
    if not isinstance(data, list):
        raise UsageError(f"{source}: ska vara en JSON-lista med mål")
    return [_goal(item, number) for number, item in enumerate(data, start=1)]


def _error(number: int, name: str, message: str) -> UsageError:
    return UsageError(f'post {number}, fält "{name}": {message}')


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _goal(item: object, number: int) -> GoalInput:
    if not isinstance(item, dict):
        raise UsageError(f"post {number}: ska vara ett objekt")
    unknown = sorted(set(item) - _FIELDS)
    if unknown:
        raise _error(number, unknown[0], "okänt fält")
    if "text" not in item:
        raise _error(number, "text", "saknas")
    text = item["text"]
    if not isinstance(text, str) or not text.strip():
        raise _error(number, "text", "ska vara en icke-tom sträng")
    values: dict[str, Any] = {k: v for k, v in item.items() if v is not None}
    for name in _OPTIONAL_TEXT:
        if name in values and not isinstance(values[name], str):
            raise _error(number, name, "ska vara en sträng")
    for name in _NUMBERS:
        if name in values and not _is_number(values[name]):
            raise _error(number, name, "ska vara ett tal")
    if "target_year" in values and (
        not isinstance(values["target_year"], int) or isinstance(values["target_year"], bool)
    ):
        raise _error(number, "target_year", "ska vara ett heltal")
    for name, allowed in (("kind", KINDS), ("direction", DIRECTIONS)):
        if name in values and values[name] not in allowed:
            shown = json.dumps(values[name], ensure_ascii=False)
            raise _error(number, name, f"okänt värde {shown} (tillåtna: {', '.join(allowed)})")
    if "history" in values:
        values["history"] = _history(values["history"], number)
    return GoalInput(**values)


def _history(value: object, number: int) -> tuple[tuple[int, float], ...]:
    message = "ska vara en lista med [år, värde], där år är ett heltal och värde ett tal"
    if not isinstance(value, list):
        raise _error(number, "history", message)
    points = []
    for point in value:
        if not (
            isinstance(point, list)
            and len(point) == 2
            and isinstance(point[0], int)
            and not isinstance(point[0], bool)
            and _is_number(point[1])
        ):
            raise _error(number, "history", message)
        points.append((point[0], float(point[1])))
    return tuple(points)
