"""`lsoplan check PROGRAMME`: egenkontroll of a programme version from the command line.

Exit code 1 when a required rule (krav) has a brist, so that a scheduled job can alert on it; 0
otherwise, also when recommendations fail; 2 for an unknown programme or version.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from lsoplan.cli import UsageError, setup_django

if TYPE_CHECKING:
    from lsoplan.lib.compliance import Evaluation, RuleSet
    from lsoplan.programmes.models import Programme, ProgrammeVersion

STATUS_TEXT = {"ok": "OK", "brist": "BRIST", "okant": "OKÄNT", "ej_tillämplig": "EJ TILLÄMPLIG"}


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="egenkontroll av ett handlingsprogram")
    p.add_argument("programme", metavar="PROGRAM", help="programmets id (se `lsoplan programme list`)")
    p.add_argument(
        "--version", type=int, metavar="N", help="versionsnummer (standard: den aktuella versionen)"
    )
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.add_argument("--save", action="store_true", help="spara körningen och skriv den i granskningsloggen")
    p.set_defaults(func=check)


def check(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.audit.services import Actor
    from lsoplan.checks import selectors, services
    from lsoplan.programmes.models import Programme
    from lsoplan.programmes.services import current_version

    try:
        programme = Programme.objects.select_related("organisation").get(pk=int(args.programme))
    except (ValueError, Programme.DoesNotExist):
        raise UsageError(
            f"okänt program '{args.programme}' (ange id från `lsoplan programme list`)"
        ) from None
    if args.version is None:
        version = current_version(programme)
    else:
        found = programme.versions.filter(number=args.version).first()
        if found is None:
            raise UsageError(f"programmet {programme.pk} har ingen version {args.version}")
        version = found
    evaluation = selectors.live_evaluation(version)
    run_id = services.save_run(Actor(None, "cli"), version, evaluation).pk if args.save else None
    if args.format == "json":
        out = {
            "programme": programme.pk,
            "organisation": programme.organisation.slug,
            "version": version.number,
            "status": version.status,
            "run": run_id,
            **evaluation.to_json(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        # Imported here: the rule engine pulls in scipy, which every other command would pay for.
        from lsoplan.lib.compliance import load_rules

        _print_text(programme, version, evaluation, run_id, load_rules())
    return 1 if evaluation.failed_required else 0


def _print_text(
    programme: Programme,
    version: ProgrammeVersion,
    evaluation: Evaluation,
    run_id: int | None,
    ruleset: RuleSet,
) -> None:
    summary = evaluation.summary
    print(f"Egenkontroll: {programme.title} {programme.period_label}")
    print(f"Version {version.number} ({version.get_status_display().lower()})")
    print(f"Regler version {evaluation.rules_version}")
    for key, label in ruleset.areas:
        findings = [f for f in evaluation.findings if f.area == key]
        if not findings:
            continue
        print(f"\n{label}")
        for f in findings:
            status = f"[{STATUS_TEXT[f.status]}]"
            print(f"  {status:<16} {f.severity:<14} {f.rule_id}: {f.message} ({f.reference})")
    print(
        f"\n{summary['brist']} av {summary['rules']} regler har brist, varav {summary['krav_brist']} krav; "
        f"{summary['okant']} kan inte bedömas."
    )
    if run_id is not None:
        print(f"Körningen är sparad (id {run_id}).")
