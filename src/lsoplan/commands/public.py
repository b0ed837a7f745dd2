"""`lsoplan citizen-views purge`: delete citizens' views past each organisation's retention period.

Run it daily (cron or a systemd timer), or with ``--queue`` to leave the work to ``lsoplan worker``.
Each deleted entry leaves an audit entry without its text or e-mail address.
"""

from __future__ import annotations

import argparse
from typing import Any

from lsoplan.cli import setup_django


def register(sub: Any) -> None:
    views = sub.add_parser("citizen-views", help="synpunkter från allmänheten").add_subparsers(
        dest="citizen_views_command", metavar="ÅTGÄRD"
    )
    views.required = True
    p = views.add_parser(
        "purge",
        help="ta bort synpunkter som är äldre än organisationens gallringstid",
    )
    p.add_argument("--queue", action="store_true", help="lägg gallringen som ett jobb åt 'lsoplan worker'")
    p.set_defaults(func=purge)


def purge(args: argparse.Namespace) -> int:
    setup_django()
    if args.queue:
        from lsoplan.public.tasks import purge_expired_citizen_views

        purge_expired_citizen_views.enqueue()
        print("Gallringen av synpunkter är köad.")
        return 0
    from lsoplan.public.services import delete_expired_citizen_views

    n = delete_expired_citizen_views()
    print(f"{n} synpunkt{'er' if n != 1 else ''} har tagits bort (äldre än gallringstiden).")
    return 0
