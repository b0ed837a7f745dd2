"""`lsoplan programme list`: the programmes of an organisation."""

from __future__ import annotations

import argparse
import json
from typing import Any

from lsoplan.cli import UsageError, setup_django


def register(sub: Any) -> None:
    prog = sub.add_parser("programme", help="handlingsprogram").add_subparsers(
        dest="prog_command", metavar="ÅTGÄRD"
    )
    prog.required = True
    p = prog.add_parser("list", help="lista en organisations program")
    p.add_argument("--org", required=True)
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(func=programme_list)


def programme_list(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.accounts.models import Organisation
    from lsoplan.programmes.models import Programme
    from lsoplan.programmes.services import current_version

    org = Organisation.objects.filter(slug=args.org).first()
    if org is None:
        raise UsageError(f"okänd organisation '{args.org}'")
    rows = []
    for programme in Programme.objects.filter(organisation=org).prefetch_related("versions").order_by("id"):
        version = current_version(programme)
        rows.append(
            {
                "id": programme.pk,
                "title": programme.title,
                "period": programme.period_label,
                "period_start": programme.period_start,
                "period_end": programme.period_end,
                "version": version.number,
                "status": version.status,
            }
        )
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r['id']:>5}  {r['title']}  {r['period']}  version {r['version']} ({r['status']})")
    return 0
