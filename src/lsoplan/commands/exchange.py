"""`lsoplan export` and `lsoplan import`: a programme to and from a programme file (JSON).

The format is documented in docs/programme-file.md. Exit codes follow lsoplan.cli: 1 when the
file is read but rejected (not JSON, schema or reference errors), 2 when it cannot be read at
all, the organisation or programme is unknown, or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lsoplan.cli import RejectedError, UsageError, setup_django
from lsoplan.lib.os_errors import describe as describe_os_error

# Enough to fix a file in a few rounds without flooding the terminal.
MAX_SHOWN_PROBLEMS = 20


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="skriv ett handlingsprogram till en programfil (JSON)",
        description="Skriver en version av ett handlingsprogram, med allt innehåll och alla mätvärden, "
        "som en programfil (format lsoplan-programme, version 1).",
    )
    export.add_argument("programme", type=int, metavar="PROGRAM", help="programmets id")
    export.add_argument(
        "--version",
        type=int,
        dest="version_number",
        metavar="N",
        help="versionsnummer (standard: aktuell version)",
    )
    export.add_argument(
        "-o", "--output", required=True, metavar="FIL", help="filen att skriva, eller - för standard ut"
    )
    export.set_defaults(func=run_export)

    imp = subparsers.add_parser(
        "import",
        help="läs in en programfil som ett nytt handlingsprogram",
        description="Läser en programfil och skapar ett nytt handlingsprogram i organisationen. "
        "Hela filen kontrolleras först; innehåller den fel skrivs ingenting.",
    )
    imp.add_argument("file", metavar="FIL", help="programfilen (JSON)")
    imp.add_argument("--org", required=True, metavar="SLUG", help="organisationen som får programmet")
    imp.add_argument("--check", action="store_true", help="kontrollera bara filen, skriv ingenting")
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.programmes.exchange_export import dumps, export_version
    from lsoplan.programmes.models import Programme
    from lsoplan.programmes.services import current_version

    programme = Programme.objects.filter(pk=args.programme).first()
    if programme is None:
        raise UsageError(f"det finns inget handlingsprogram med id {args.programme}")
    if args.version_number is None:
        version = current_version(programme)
    else:
        found = programme.versions.filter(number=args.version_number).first()
        if found is None:
            numbers = ", ".join(
                str(n) for n in programme.versions.order_by("number").values_list("number", flat=True)
            )
            raise UsageError(f"programmet har ingen version {args.version_number} (finns: {numbers})")
        version = found
    text = dumps(export_version(version))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            # newline="\n": the same bytes on every platform, or the file would not round-trip.
            Path(args.output).write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UsageError(f"kan inte skriva {args.output}: {describe_os_error(exc)}") from exc
    print(
        f"Exporterade ”{programme.title}” version {version.number} ({version.get_status_display().lower()}) "
        f"till {'standard ut' if args.output == '-' else args.output}.",
        file=sys.stderr,
    )
    return 0


def _rejected(name: str, problems: list[Any]) -> RejectedError:
    if len(problems) == 1:  # a file that is not JSON at all: one line, as every other CLI error
        return RejectedError(f"{name}: {problems[0]}; ingenting har importerats")
    lines = [f"{name}: {len(problems)} fel, ingenting har importerats"]
    lines += [f"  {p}" for p in problems[:MAX_SHOWN_PROBLEMS]]
    if len(problems) > MAX_SHOWN_PROBLEMS:
        lines.append(f"  … och {len(problems) - MAX_SHOWN_PROBLEMS} fel till")
    return RejectedError("\n".join(lines))


def run_import(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.accounts.models import Organisation
    from lsoplan.audit.services import Actor
    from lsoplan.programmes.exchange import ProgrammeFileError
    from lsoplan.programmes.exchange_import import import_programme, parse, validate, warnings

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"kan inte läsa {args.file}: {describe_os_error(exc)}") from exc
    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        raise UsageError(f"okänd organisation '{args.org}'")
    try:
        data = parse(raw)
        for warning in warnings(data):
            print(f"Obs: {warning}", file=sys.stderr)
        if args.check:
            problems = validate(data)
            if problems:
                raise ProgrammeFileError(problems)
            print(f"{path.name}: inga fel, filen kan importeras.")
            return 0
        result = import_programme(data, organisation, Actor(None, f"import:{path.name}"))
    except ProgrammeFileError as exc:
        raise _rejected(path.name, exc.problems) from exc

    c, programme = result.counts, result.programme
    print(
        f"Importerade ”{programme.title}” som handlingsprogram {programme.pk} i {organisation.slug} "
        f"(version {result.version.number}, {result.version.get_status_display().lower()}): "
        f"{c.get('risks', 0)} risker, {c.get('safety_goals', 0)} säkerhetsmål, "
        f"{c.get('performance_goals', 0)} prestationsmål, {c.get('indicators', 0)} indikatorer, "
        f"{c.get('measurements', 0)} mätvärden."
    )
    if result.unknown_users:
        print(
            "Obs: användarna " + ", ".join(result.unknown_users) + " finns inte här; "
            "deras mätvärden har ingen registrerad användare.",
            file=sys.stderr,
        )
    return 0
