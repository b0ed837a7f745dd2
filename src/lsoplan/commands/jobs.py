"""`lsoplan worker`: runs the queued jobs (documents, imports through the API, fetches)."""

from __future__ import annotations

import argparse
from typing import Any

from lsoplan.cli import setup_django


def register(sub: Any) -> None:
    p = sub.add_parser(
        "worker",
        help="kör köade jobb (dokument, importer, hämtningar)",
        description="Hämtar köade jobb ur databasen och kör dem ett i taget tills processen stoppas.",
    )
    p.add_argument("--once", action="store_true", help="kör de jobb som väntar och avsluta sedan")
    p.add_argument("--interval", type=float, default=1.0, help="sekunder mellan kontrollerna (standard 1)")
    p.set_defaults(func=worker)


def worker(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    options: dict[str, Any] = {"interval": args.interval, "reload": False, "verbosity": 0}
    if args.once:
        options["batch"] = True
    call_command("db_worker", **options)
    return 0
