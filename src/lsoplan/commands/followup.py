"""`lsoplan followup PROGRAM`: every indicator's follow-up verdict, as the web pages show it.

Exit codes follow lsoplan.cli: 2 for a usage error (unknown programme or version, a bad year),
0 when the verdicts are written. The verdicts come from ``followup.selectors.indicator_followups``,
the function every page and the yearly report use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from typing import Any

from lsoplan.cli import UsageError, setup_django

EARLIEST_YEAR = 1990


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "followup",
        help="uppföljningens bedömning per indikator",
        description="Skriver bedömningen av varje indikator i programmet (den antagna versionen om "
        "inget annat anges): målets typ, utfall eller prestation, bedömning, vilka år den vilar på, "
        "värdet, utgångsläget, intervallet och meningen som sidorna visar.",
    )
    parser.add_argument(
        "programme", type=int, metavar="PROGRAM", help="programmets id (se lsoplan programme list)"
    )
    parser.add_argument(
        "--version",
        type=int,
        dest="version_number",
        metavar="N",
        help="versionsnummer (standard: den antagna, annars den aktuella)",
    )
    parser.add_argument(
        "--year", type=int, metavar="ÅR", help="bedöm med mätvärden till och med detta år (standard: alla)"
    )
    parser.add_argument(
        "--format", choices=["json", "text"], default="json", dest="fmt", help="json eller text"
    )
    parser.set_defaults(func=run)


def _number(value: float | None) -> float | None:
    # JSON has no NaN or infinity; an unbounded interval end is written as null.
    return value if value is not None and math.isfinite(value) else None


def rows(version: Any, year: int | None = None, today_year: int | None = None) -> list[dict[str, Any]]:
    """One object per indicator, in the keys `lsoplan followup --format json` promises."""
    from lsoplan.followup.selectors import indicator_followups

    out = []
    for f in indicator_followups(version, year, today_year=today_year):
        ind, v = f.indicator, f.verdict
        out.append(
            {
                "goal": ind.goal.code,
                "indicator": ind.name,
                "target_kind": v.target_kind if v else ind.target_kind,
                "indicator_kind": v.indicator_kind if v else ind.indicator_kind,
                "verdict": v.code if v else "inget_malvarde",
                "failing_years": list(v.failing_years) if v else [],
                "years_used": list(v.years_used) if v else [],
                "value": _number(v.value) if v else None,
                "baseline": _number(v.baseline) if v else None,
                "ci_low": _number(v.ci_low) if v else None,
                "ci_high": _number(v.ci_high) if v else None,
                "preliminary": v.preliminary if v else False,
                "sentence": v.sentence if v else "Indikatorn har inget målvärde att bedöma mot.",
            }
        )
    return out


def run(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.programmes.models import Programme
    from lsoplan.reports.selectors import pick_version

    programme = Programme.objects.filter(pk=args.programme).first()
    if programme is None:
        raise UsageError(f"det finns inget handlingsprogram med id {args.programme}")
    version = pick_version(programme, args.version_number, adopted_first=True)
    if version is None:
        numbers = ", ".join(
            str(n) for n in programme.versions.order_by("number").values_list("number", flat=True)
        )
        raise UsageError(f"programmet har ingen version {args.version_number} (finns: {numbers or 'inga'})")
    latest = dt.date.today().year
    if args.year is not None and not EARLIEST_YEAR <= args.year <= latest:
        raise UsageError(f"--year ska vara ett år mellan {EARLIEST_YEAR} och {latest}")
    result = rows(version, args.year)
    if args.fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for r in result:
            print(f"{r['goal']:<6} {r['indicator']}: {r['verdict']}. {r['sentence']}")
    return 0
