"""`lsoplan fetch …`: public statistics from Kolada, MCF and SCB into lsoplan, JSON summary on stdout.

    lsoplan fetch kolada --kpi N07415 --org demo [--years 2015-2024] [--offline]
    lsoplan fetch kolada --search responstid [--offline]
    lsoplan fetch mcf --table B11 --org demo [--offline]
    lsoplan fetch scb --population [--org demo] [--offline]
    lsoplan fetch indicators --org demo [--offline]
    lsoplan fetch peers [--output DIR] [--offline]

Exit codes: 0 done, 1 a broken or changed answer from the publisher (nothing stored) or the
publisher could not be reached, 2 usage error (bad arguments, unknown organisation, KPI or table;
offline without a recording for the request).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsoplan.cli import RejectedError, UsageError, setup_django

ACTOR = "cli"


def register(sub: Any) -> None:
    fetch = sub.add_parser("fetch", help="hämta offentlig statistik (Kolada, MCF, SCB)").add_subparsers(
        dest="fetch_command", metavar="KÄLLA"
    )
    fetch.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--offline", action="store_true", help="svara ur inspelade exempelsvar, utan nätverk")
        p.add_argument("--no-cache", action="store_true", help="fråga källan även om svaret finns i cachen")

    def where(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group()
        group.add_argument("--municipality", nargs="+", metavar="KOMMUNKOD")
        group.add_argument("--org", metavar="SLUG", help="organisationens kommuner")
        p.add_argument("--years", metavar="ÅR", help="t.ex. 2015-2024 (standard: alla år källan har)")

    p = fetch.add_parser("kolada", help="nyckeltal från Kolada")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--kpi", metavar="ID", help="nyckeltalets id, t.ex. N07415")
    what.add_argument("--search", metavar="TITEL", help="sök nyckeltal på titel (inget sparas)")
    where(p)
    common(p)
    p.set_defaults(func=fetch_kolada)

    p = fetch.add_parser("mcf", help="räddningstjänstens insatser ur MCF:s statistikdatabas")
    p.add_argument(
        "--table", required=True, metavar="TABELL", help="B11 (insatser per händelsetyp) eller A11"
    )
    where(p)
    common(p)
    p.set_defaults(func=fetch_mcf)

    p = fetch.add_parser("scb", help="folkmängd 31 december från SCB")
    p.add_argument("--population", action="store_true", help="folkmängd per kommun och år")
    where(p)
    common(p)
    p.set_defaults(func=fetch_scb)

    p = fetch.add_parser("indicators", help="uppdatera alla indikatorer med offentlig källa")
    p.add_argument("--org", required=True, metavar="SLUG")
    common(p)
    p.set_defaults(func=fetch_indicators)

    p = fetch.add_parser("peers", help="förnya jämförelsegrupperna från Kolada")
    p.add_argument("--output", type=Path, metavar="KATALOG", help="standard: LSOPLAN_HOME/reference")
    common(p)
    p.set_defaults(func=fetch_peers)


def _emit(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _guard(call: Callable[[], Any]) -> Any:
    """Publisher errors as the CLI's exit codes: what the user asked for (2) or the answer (1)."""
    from lsoplan.lib.publicdata.errors import (
        NoRecordingError,
        PublicDataError,
        UnknownKpiError,
        UnknownTableError,
    )

    try:
        return call()
    except (UnknownKpiError, UnknownTableError, NoRecordingError) as exc:
        raise UsageError(str(exc)) from exc
    except PublicDataError as exc:
        raise RejectedError(str(exc)) from exc


def _clients(args: argparse.Namespace) -> Any:
    from lsoplan.publicdata.services import build_clients

    return build_clients(offline=True if args.offline else None, use_cache=not args.no_cache)


def _years(args: argparse.Namespace) -> range | None:
    from lsoplan.lib.publicdata.series import parse_years

    if not getattr(args, "years", None):
        return None
    try:
        return parse_years(args.years)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _organisation(slug: str) -> Any:
    from lsoplan.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise UsageError(f"okänd organisation '{slug}'")
    return org


def _codes(
    args: argparse.Namespace, *, allow_country: bool = False, default_all_orgs: bool = False
) -> list[str]:
    from lsoplan.accounts.models import Municipality
    from lsoplan.publicdata.services import organisation_codes

    if args.municipality:
        codes = sorted(set(args.municipality))
        known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
        if allow_country:
            known.add("0000")
        unknown = [c for c in codes if c not in known or not re.fullmatch(r"\d{4}", c)]
        if unknown:
            raise UsageError(f"okänd kommunkod: {', '.join(unknown)}")
        return codes
    if args.org:
        return organisation_codes(_organisation(args.org))
    if default_all_orgs:
        codes = sorted(
            set(Municipality.objects.filter(organisations__isnull=False).values_list("code", flat=True))
        )
        if codes:
            return codes
    raise UsageError("ange --org SLUG eller --municipality KOMMUNKOD …")


def fetch_kolada(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.publicdata import services

    clients = _clients(args)
    if args.search:
        kpis = _guard(lambda: services.search_kpis(args.search, clients=clients))
        _emit(
            {
                "source": "kolada",
                "search": args.search,
                "offline": clients.offline,
                "kpis": [{"id": k.id, "title": k.title, "operating_area": k.operating_area} for k in kpis],
                "citation": "Källa: Kolada",
            }
        )
        return 0
    codes = _codes(args, allow_country=True)
    years = _years(args)
    summary, _ = _guard(lambda: services.fetch_kolada(ACTOR, args.kpi, codes, years, clients=clients))
    _emit(summary.as_dict())
    return 0


def fetch_mcf(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.publicdata import services

    clients = _clients(args)
    codes = _codes(args)
    years = _years(args)
    summary, _ = _guard(lambda: services.fetch_mcf(ACTOR, args.table.upper(), codes, years, clients=clients))
    _emit(summary.as_dict())
    return 0


def fetch_scb(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.publicdata import services

    if not args.population:
        raise UsageError("ange vad som ska hämtas från SCB: --population")
    clients = _clients(args)
    codes = _codes(args, default_all_orgs=True)
    years = _years(args)
    summary, _ = _guard(lambda: services.fetch_scb_population(ACTOR, codes, years, clients=clients))
    _emit(summary.as_dict())
    return 0


def fetch_indicators(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.audit.services import Actor
    from lsoplan.publicdata import services

    org = _organisation(args.org)
    clients = _clients(args)
    results = services.refresh_indicators(Actor(None, ACTOR), org, clients=clients)
    failed = [r for r in results if r.error]
    _emit(
        {
            "organisation": org.slug,
            "offline": clients.offline,
            "indicators": [r.as_dict() for r in results],
            "failed": len(failed),
        }
    )
    if failed:
        print(f"lsoplan: avvisad: {len(failed)} indikator(er) kunde inte uppdateras", file=sys.stderr)
        return 1
    return 0


def fetch_peers(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.lib.os_errors import describe as describe_os_error
    from lsoplan.publicdata import services

    if args.output is not None and args.output.exists() and not args.output.is_dir():
        raise UsageError(f"{args.output} är en fil; ange en katalog för jämförelsegrupperna")
    clients = _clients(args)
    try:
        _emit(_guard(lambda: services.refresh_peers(directory=args.output, clients=clients)))
    except OSError as exc:
        raise UsageError(f"kan inte skriva {exc.filename or args.output}: {describe_os_error(exc)}") from exc
    return 0
