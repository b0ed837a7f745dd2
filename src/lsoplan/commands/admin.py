"""Operator commands: migrate, demo, runserver, serve, org create, org publish, user create."""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from typing import Any

from lsoplan.cli import RejectedError, UsageError, setup_django


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="skapa eller uppgradera databasen")
    p.set_defaults(func=migrate)

    p = sub.add_parser("demo", help="läs in demoorganisationen och starta webbservern")
    p.add_argument("--no-serve", action="store_true", help="läs bara in demodata")
    p.add_argument("--port", type=int, default=None, help="port (standard: PORT eller 8000)")
    p.set_defaults(func=demo)

    p = sub.add_parser("runserver", help="starta utvecklingsservern")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=runserver)

    org = sub.add_parser("org", help="organisationer").add_subparsers(dest="org_command", metavar="ÅTGÄRD")
    org.required = True
    p = org.add_parser("create", help="skapa en organisation")
    p.add_argument("slug")
    p.add_argument("--name", required=True)
    p.add_argument("--municipality", nargs="+", required=True, metavar="KOMMUNKOD")
    p.set_defaults(func=org_create)
    p = org.add_parser("publish", help="visa organisationens sida för allmänheten (/allmanhet/SLUG/)")
    p.add_argument("slug")
    p.add_argument("--unpublish", action="store_true", help="ta bort sidan för allmänheten")
    p.set_defaults(func=org_publish)

    user = sub.add_parser("user", help="användare").add_subparsers(dest="user_command", metavar="ÅTGÄRD")
    user.required = True
    p = user.add_parser("create", help="skapa en användare eller ge en roll i en organisation")
    p.add_argument("username")
    p.add_argument("--org", required=True)
    p.add_argument("--role", required=True, choices=["lasare", "redaktor", "administrator"])
    p.add_argument("--password-stdin", action="store_true", help="läs lösenordet från standard in")
    p.add_argument(
        "--update",
        action="store_true",
        help="finns användaren redan: ändra rollen i organisationen (och lösenordet, om ett anges)",
    )
    p.set_defaults(func=user_create)


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=verbosity, interactive=False)


def migrate(args: argparse.Namespace) -> int:
    setup_django()
    _migrate()
    return 0


def _port(args: argparse.Namespace) -> int:
    raw = args.port if args.port is not None else os.environ.get("PORT", "8000")
    try:
        return int(raw)
    except ValueError as exc:
        raise UsageError(f"ogiltig port: {raw}") from exc


def _serve(port: int) -> None:
    from django.core.management import call_command

    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


def demo(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.demo import load_demo

    _migrate(verbosity=0)
    info = load_demo()
    # The documents a visitor opens first are made by the worker while they look around.
    from lsoplan.reports.jobs import queue_programme

    queue_programme(info.programme_id)
    port = _port(args)
    print(f"Demon är inläst: organisation '{info.org_slug}'.")
    print(f"Logga in som 'planerare' (redaktör) med lösenordet '{info.password}'.")
    print(f"Andra användare: {', '.join(info.usernames)}.")
    if args.no_serve:
        return 0
    print(f"Öppna http://127.0.0.1:{port}/ i webbläsaren. Avsluta med Ctrl+C.", flush=True)
    # The queued jobs (documents built at adoption, imports) need a worker beside the web server.
    worker = subprocess.Popen([sys.executable, "-m", "lsoplan.cli", "worker"])
    try:
        _serve(port)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def runserver(args: argparse.Namespace) -> int:
    setup_django()
    _serve(_port(args))
    return 0


def _validation_message(exc: Any) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "; ".join(exc.messages)


def org_create(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from lsoplan.accounts.services import create_organisation
    from lsoplan.audit.services import Actor

    try:
        org = create_organisation(
            Actor(None, "cli"), slug=args.slug, name=args.name, municipality_codes=args.municipality
        )
    except ValidationError as exc:
        raise UsageError(_validation_message(exc)) from exc
    print(f"Organisationen '{org.slug}' är skapad med {org.municipalities.count()} kommun(er).")
    return 0


def org_publish(args: argparse.Namespace) -> int:
    """Opt in to (or out of) the public page; audited like the administrator's setting."""
    setup_django()
    from lsoplan.accounts.models import Organisation
    from lsoplan.accounts.services import set_publication
    from lsoplan.audit.services import Actor

    org = Organisation.objects.filter(slug=args.slug).first()
    if org is None:
        raise UsageError(f"okänd organisation '{args.slug}'")
    set_publication(Actor(None, "cli"), org, published=not args.unpublish)
    if args.unpublish:
        print(f"Organisationen '{org.slug}' visas inte längre för allmänheten.")
    else:
        print(f"Organisationen '{org.slug}' är publicerad: /allmanhet/{org.slug}/")
    return 0


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n") or None
    if sys.stdin.isatty():
        return getpass.getpass("Lösenord (tomt = inget nytt lösenord): ") or None
    return None


def user_create(args: argparse.Namespace) -> int:
    """A new account; an existing one (by its canonical name) only with --update, audited as such."""
    setup_django()
    from django.core.exceptions import ValidationError

    from lsoplan.accounts.backends import find_user
    from lsoplan.accounts.models import Organisation
    from lsoplan.accounts.services import create_user, update_user
    from lsoplan.audit.services import Actor

    org = Organisation.objects.filter(slug=args.org).first()
    if org is None:
        raise UsageError(f"okänd organisation '{args.org}'")
    existing = find_user(args.username)
    if existing is not None and not args.update:
        raise UsageError(
            f"användaren '{existing.get_username()}' finns redan; ange --update för att ändra "
            "roll eller lösenord"
        )
    password = _read_password(args)
    actor = Actor(None, "cli")
    try:
        if existing is None:
            user = create_user(
                actor, username=args.username, organisation=org, role=args.role, password=password
            )
            done = "är skapad och"
        else:
            user = update_user(actor, existing, organisation=org, role=args.role, password=password)
            done = "är uppdaterad och" if password else "är"
    except ValidationError as exc:
        raise RejectedError(_validation_message(exc)) from exc
    print(f"Användaren '{user.get_username()}' {done} {args.role} i '{org.slug}'.")
    return 0
