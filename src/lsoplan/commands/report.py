"""`lsoplan report`: the programme or the yearly follow-up report as DOCX, PDF or XLSX.

Exit codes follow lsoplan.cli: 2 for a usage error (unknown programme or version, a bad year or
format, a file that cannot be written), 0 when the file is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lsoplan.cli import UsageError, setup_django
from lsoplan.lib.os_errors import describe as describe_os_error

KINDS = ("programme", "followup")
FORMATS = ("docx", "pdf", "xlsx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="skriv handlingsprogrammet eller uppföljningsrapporten som DOCX, PDF eller XLSX",
        description="Skriver handlingsprogrammet (programme) eller den årliga uppföljningsrapporten "
        "(followup) som Word (docx) eller PDF; med xlsx skrivs programmets listor som Excel.",
    )
    parser.add_argument("kind", choices=KINDS, metavar="programme|followup", help="vilket dokument")
    parser.add_argument(
        "programme", type=int, metavar="PROGRAM", help="programmets id (se lsoplan programme list)"
    )
    parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt", help="docx, pdf eller xlsx")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FIL", help="filen att skriva, eller - för standard ut"
    )
    parser.add_argument("--year", type=int, metavar="ÅR", help="uppföljningsåret (standard: förra året)")
    parser.add_argument(
        "--version",
        type=int,
        dest="version_number",
        metavar="N",
        help="versionsnummer (standard: den antagna för followup, annars den aktuella)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from lsoplan.programmes.models import Programme
    from lsoplan.reports import services
    from lsoplan.reports.render_pdf import PdfUnavailableError
    from lsoplan.reports.selectors import pick_version

    if args.year is not None and args.kind != "followup":
        raise UsageError("--year gäller bara followup")
    programme = Programme.objects.filter(pk=args.programme).first()
    if programme is None:
        raise UsageError(f"det finns inget handlingsprogram med id {args.programme}")
    version = pick_version(programme, args.version_number, adopted_first=args.kind == "followup")
    if version is None:
        numbers = ", ".join(
            str(n) for n in programme.versions.order_by("number").values_list("number", flat=True)
        )
        raise UsageError(f"programmet har ingen version {args.version_number} (finns: {numbers or 'inga'})")
    try:
        produced = services.produce(version, args.kind, args.fmt, year=args.year)
    except ValidationError as exc:
        raise UsageError(exc.messages[0]) from exc
    except PdfUnavailableError as exc:
        raise UsageError(str(exc)) from exc
    if args.output == "-":
        sys.stdout.buffer.write(produced.content)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(args.output).write_bytes(produced.content)
    except OSError as exc:
        raise UsageError(f"kan inte skriva {args.output}: {describe_os_error(exc)}") from exc
    print(f"Skrev {args.output} ({produced.filename}, version {version.number}).")
    return 0
