"""Operator commands for production: serve, check-deploy, backup, restore.

See docs/operator-guide.md. Exit codes follow lsoplan.cli: 1 when an archive is rejected or the
deployment check finds problems, 2 for usage errors (bad arguments, unknown organisation,
unreadable file).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from lsoplan.cli import RejectedError, UsageError, setup_django
from lsoplan.commands.deploy_checks import deployment_problems
from lsoplan.lib.os_errors import describe as describe_os_error


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="starta produktionsservern (gunicorn)",
        description="Samlar de statiska filerna och startar gunicorn. Inställningarna kommer från "
        "miljön (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, LSOPLAN_ENV=production …).",
    )
    p.add_argument(
        "--bind", default=None, metavar="ADRESS", help="standard: LSOPLAN_BIND eller 127.0.0.1:8000"
    )
    p.add_argument(
        "--workers", type=int, default=None, metavar="N", help="standard: LSOPLAN_WORKERS eller 2×kärnor+1"
    )
    p.add_argument(
        "--threads", type=int, default=None, metavar="N", help="trådar per process (LSOPLAN_THREADS)"
    )
    p.add_argument(
        "--timeout", type=int, default=None, metavar="S", help="sekunder per begäran (LSOPLAN_TIMEOUT)"
    )
    p.add_argument("--migrate", action="store_true", help="kör migrate innan servern startar")
    p.add_argument("--no-collectstatic", action="store_true", help="hoppa över collectstatic")
    p.set_defaults(func=serve)

    p = sub.add_parser(
        "check-deploy",
        help="kontrollera produktionsinställningarna",
        description="Kör Djangos driftkontroller (check --deploy) och lsoplans egna med de aktuella "
        "miljövariablerna. Slutkod 1 om något behöver åtgärdas.",
    )
    p.set_defaults(func=check_deploy)

    p = sub.add_parser(
        "backup",
        help="skriv en säkerhetskopia (databas och uppladdade filer)",
        description="Skriver hela installationen, eller en organisation, till ett arkiv: allt läses "
        "i en transaktion, så kopian är konsistent även medan andra arbetar.",
    )
    p.add_argument("--org", metavar="SLUG", help="bara denna organisation (standard: allt)")
    p.add_argument("-o", "--output", required=True, metavar="FIL", help="arkivet att skriva (.zip)")
    p.set_defaults(func=backup)

    p = sub.add_parser(
        "restore",
        help="läs tillbaka en säkerhetskopia",
        description="Läser tillbaka ett arkiv från lsoplan backup till en tom databas, i en "
        "transaktion: blir något fel skrivs ingenting.",
    )
    p.add_argument("file", metavar="FIL")
    p.add_argument(
        "--force",
        action="store_true",
        help="lägg till arkivets innehåll även om databasen inte är tom (rader skrivs aldrig över)",
    )
    p.set_defaults(func=restore)


def _positive(name: str, value: int | None) -> str | None:
    if value is None:
        return None
    if value < 1:
        raise UsageError(f"{name} måste vara minst 1")
    return str(value)


def serve(args: argparse.Namespace) -> int:
    overrides = {
        "LSOPLAN_BIND": args.bind,
        "LSOPLAN_WORKERS": _positive("--workers", args.workers),
        "LSOPLAN_THREADS": _positive("--threads", args.threads),
        "LSOPLAN_TIMEOUT": _positive("--timeout", args.timeout),
    }
    os.environ.update({k: v for k, v in overrides.items() if v is not None})
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.PRODUCTION:
        print(
            "lsoplan: obs: LSOPLAN_ENV är inte production; cookies, HSTS och HTTPS-omdirigering är av.",
            file=sys.stderr,
        )
    if args.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:lsoplan.ops.gunicorn_conf",
        "lsoplan.wsgi:application",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    # exec: gunicorn becomes this process, so systemd's signals reach the arbiter directly.
    os.execv(sys.executable, argv)
    return 0  # not reached


def check_deploy(args: argparse.Namespace) -> int:
    key_from_environment = bool(os.environ.get("SECRET_KEY"))
    placeholder = (
        not key_from_environment and os.environ.get("LSOPLAN_ENV", "").strip().lower() == "production"
    )
    if placeholder:
        # The settings refuse to load in production without a key. A throwaway one, for this check
        # only, lets every other problem be reported too; the missing key is reported below.
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    try:
        setup_django()
    finally:
        if placeholder:
            del os.environ["SECRET_KEY"]
    from django.conf import settings
    from django.db import connection

    problems = deployment_problems(secret_key_from_environment=key_from_environment)
    for line in problems:
        print(line)
    if connection.vendor != "postgresql":
        print(f"Obs: databasen är {connection.vendor}; för flera användare rekommenderas PostgreSQL.")
    if settings.LSOPLAN_OIDC_ENABLED:
        print("Inloggning via OpenID Connect är påslagen.")
    if problems:
        raise RejectedError(f"{len(problems)} problem i produktionsinställningarna")
    print("Produktionsinställningarna är i ordning.")
    return 0


def backup(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.accounts.models import Organisation
    from lsoplan.ops.backup import BackupError, write_backup

    organisation = None
    if args.org:
        organisation = Organisation.objects.filter(slug=args.org).first()
        if organisation is None:
            raise UsageError(f"okänd organisation '{args.org}'")
    output = Path(args.output)
    if not output.parent.is_dir():
        raise UsageError(f"katalogen {output.parent} finns inte")
    try:
        result = write_backup(output, organisation)
    except OSError as exc:
        raise UsageError(f"kan inte skriva {output}: {describe_os_error(exc)}") from exc
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    rows = sum(result.counts.values())
    scope = f"organisationen '{result.organisation}'" if result.organisation else "hela installationen"
    print(f"Säkerhetskopian av {scope} är skriven till {output}: {rows} rader, {result.files} filer.")
    print(f"SHA-256: {result.sha256}")
    if result.key_created:
        print(
            "Nyckeln som signerar säkerhetskopiorna skapades nu. Spara en kopia av den skild från "
            "kopiorna: utan den kan de inte återställas (se driftguiden)."
        )
    return 0


def restore(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.ops.restore import RestoreError, restore_archive

    path = Path(args.file)
    if not args.file.strip():
        raise UsageError("ange säkerhetskopians fil")
    if not path.is_file():
        raise UsageError(f"kan inte läsa {args.file}: filen finns inte")
    try:
        result = restore_archive(path, force=args.force)
    except RestoreError as exc:
        raise RejectedError(f"{path.name}: {exc}; ingenting har återställts") from exc
    rows = sum(result.inserted.values())
    scope = f"organisationen '{result.organisation}'" if result.organisation else "hela installationen"
    print(f"Återställde {scope} från {path.name}: {rows} rader, {result.files} filer.")
    return 0
