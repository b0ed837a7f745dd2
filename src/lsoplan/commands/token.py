"""`lsoplan token create`: an API token for a user in an organisation, printed once (last line)."""

from __future__ import annotations

import argparse
from typing import Any

from lsoplan.cli import RejectedError, UsageError, setup_django


def register(sub: Any) -> None:
    token = sub.add_parser("token", help="API-nycklar").add_subparsers(dest="token_command", metavar="ÅTGÄRD")
    token.required = True
    p = token.add_parser(
        "create",
        help="skapa en API-nyckel",
        description="Skapar en API-nyckel för en användare i en organisation. Nyckeln skrivs ut en "
        "gång, som sista rad; lsoplan sparar bara ett kontrollvärde.",
    )
    p.add_argument("--org", required=True, metavar="SLUG", help="organisationen nyckeln gäller")
    p.add_argument("--user", required=True, metavar="ANVÄNDARNAMN", help="användaren nyckeln hör till")
    p.add_argument("--scope", required=True, choices=["read", "write"], help="read eller write")
    p.add_argument(
        "--expires", type=int, metavar="DAGAR", help="giltig så många dagar (standard: tills vidare)"
    )
    p.add_argument("--name", default="", metavar="NAMN", help="vad nyckeln används till")
    p.set_defaults(func=create)


def create(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from lsoplan.accounts.backends import find_user
    from lsoplan.accounts.models import Organisation
    from lsoplan.api.tokens import MAX_EXPIRY_DAYS, create_token
    from lsoplan.audit.services import Actor

    org = Organisation.objects.filter(slug=args.org).first()
    if org is None:
        raise UsageError(f"okänd organisation '{args.org}'")
    user = find_user(args.user)
    if user is None:
        raise UsageError(f"okänd användare '{args.user}'")
    if args.expires is not None and not 1 <= args.expires <= MAX_EXPIRY_DAYS:
        raise UsageError(f"--expires ska vara 1–{MAX_EXPIRY_DAYS} dagar")
    try:
        created = create_token(
            Actor(None, "cli"),
            organisation=org,
            user=user,
            scope=args.scope,
            name=args.name or None,
            expires_days=args.expires,
        )
    except ValidationError as exc:
        raise RejectedError(" ".join(exc.messages)) from exc
    t = created.token
    until = t.expires_at.strftime("%Y-%m-%d") if t.expires_at else "tills vidare"
    print(f"API-nyckeln '{t.name}' för {user.get_username()} i '{org.slug}' ({t.scope}, giltig {until}).")
    print("Nyckeln visas bara nu; spara den på ett säkert ställe:")
    print(created.secret)
    return 0
