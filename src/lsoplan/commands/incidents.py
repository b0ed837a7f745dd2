"""`lsoplan incidents …`: import incident files, undo an import, statistics and response times.

Exit codes follow lsoplan.cli: 0 success, 1 the file was read but rejected (its problems are
printed as "rad R, kolumn C, värde V: orsak" with the totals), 2 a usage error (bad arguments,
unknown organisation, file or mapping that cannot be read).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from lsoplan.cli import RejectedError, UsageError, setup_django
from lsoplan.lib.os_errors import describe as describe_os_error
from lsoplan.lib.safe_cells import csv_safe

MAX_SHOWN_PROBLEMS = 20
GROUPINGS = ("year", "month", "handelsetyp", "kommun", "omrade")


def register(subparsers: Any) -> None:
    top = subparsers.add_parser(
        "incidents",
        help="händelser: importera, ångra, statistik och insatstider",
        description="Räddningstjänstens händelser (insatser): import av filer och statistik.",
    )
    sub = top.add_subparsers(dest="incidents_command", metavar="DELKOMMANDO", parser_class=type(top))
    sub.required = True

    imp = sub.add_parser(
        "import",
        help="läs in en händelsefil (CSV eller XLSX)",
        description="Läser en händelsefil i lsoplans format (docs/incident-format.md) eller genom en "
        "mappningsfil. Innehåller filen ett enda fel skrivs ingenting. Händelser med ett id som redan "
        "finns uppdateras.",
    )
    imp.add_argument("file", metavar="FIL")
    imp.add_argument("--org", required=True, metavar="SLUG")
    imp.add_argument(
        "--mapping",
        metavar="M.toml",
        help="mappningsfil för andra format, eller namnet på en medföljande (t.ex. lfb, sf_fire)",
    )
    imp.add_argument("--dry-run", action="store_true", help="kontrollera bara filen, skriv ingenting")
    imp.add_argument("--format", choices=("text", "json"), default="text", help="sammanfattningens form")
    imp.set_defaults(func=run_import)

    undo = sub.add_parser(
        "undo",
        help="ångra en hel import",
        description="Tar bort händelser som importen lade till och återställer dem den ändrade. "
        "Bara organisationens senaste import som inte redan är ångrad kan ångras. Kommandot visar "
        "antalet och frågar först (i en terminal); --yes svarar ja i förväg.",
    )
    undo.add_argument("batch", type=int, metavar="IMPORT_ID")
    undo.add_argument("--org", required=True, metavar="SLUG")
    undo.add_argument(
        "--yes",
        action="store_true",
        help="fråga inte (krävs när kommandot inte körs i en terminal, t.ex. i ett skript)",
    )
    undo.set_defaults(func=run_undo)

    history = sub.add_parser("history", help="lista organisationens importer")
    history.add_argument("--org", required=True, metavar="SLUG")
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.set_defaults(func=run_history)

    stats = sub.add_parser(
        "stats",
        help="antal händelser, grupperat",
        description='Skriver {"total": N, "groups": [{…, "count": n}]}. År och månad räknas i svensk tid.',
    )
    _common_stats_args(stats)
    stats.set_defaults(func=run_stats)

    rt = sub.add_parser(
        "response-times",
        help="insatstider: median, 80:e och 90:e percentil, andel inom N minuter",
        description="Insatstid = framme_tid − larm_tid. Percentiler med linjär interpolation (R typ 7). "
        "Händelser utan framme_tid räknas för sig (n_missing).",
    )
    _common_stats_args(rt)
    rt.add_argument("--within", default="10,20,30", metavar="MIN[,MIN…]", help="minuter (standard 10,20,30)")
    rt.set_defaults(func=run_response_times)

    from lsoplan.commands.incidents_grid import register_grid

    register_grid(sub)


def _common_stats_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", required=True, metavar="SLUG")
    parser.add_argument("--by", default="", metavar="NYCKLAR", help=f"kommaseparerat: {','.join(GROUPINGS)}")
    parser.add_argument("--format", choices=("json", "csv"), default="json")


def _organisation(slug: str) -> Any:
    from lsoplan.accounts.models import Organisation

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise UsageError(f"okänd organisation '{slug}'")
    return organisation


def _by(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in GROUPINGS]
    if unknown:
        raise UsageError(f"okänd gruppering {', '.join(unknown)} (välj bland {', '.join(GROUPINGS)})")
    if len(set(keys)) != len(keys):
        raise UsageError("samma gruppering angiven två gånger i --by")
    return keys


def _within(text: str) -> list[float]:
    try:
        values = [float(v.replace(",", ".")) for v in text.split(",") if v.strip()]
    except ValueError as exc:
        raise UsageError(f"--within ska vara minuter, t.ex. 10,20,30 (fick '{text}')") from exc
    if not values or any(v <= 0 for v in values):
        raise UsageError("--within ska vara positiva minuter, t.ex. 10,20,30")
    return values


class ProgressBar:
    """A one-line bar on stderr, only when stderr is a terminal (never in logs or pipes)."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.active = stream.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = int(share * 30)
        bar = "#" * filled + "-" * (30 - filled)
        count = f"{done:,}".replace(",", "\u00a0")
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%}  {count} rader")
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()


def _sv(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _problem_line(p: Any) -> str:
    row = f"rad {p.row}" if p.row is not None else "filen"
    column = f", kolumn {p.column}" if p.column else ""
    value = f", värde {p.value!r}" if p.value else ""
    kind = "" if p.is_error else " (varning)"
    return f"{row}{column}{value}: {p.message}{kind}"


def run_import(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import OperationalError

    from lsoplan.audit.services import Actor
    from lsoplan.incidents import mappings
    from lsoplan.incidents.services import import_incidents
    from lsoplan.lib.incidents import MappingError
    from lsoplan.lib.incidents.limits import file_size_refusal

    path = Path(args.file)
    try:
        if refusal := file_size_refusal(path.stat().st_size):
            raise UsageError(f"{path.name}: {refusal.message}")
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"kan inte läsa {args.file or '(tom sökväg)'}: {describe_os_error(exc)}") from exc
    organisation = _organisation(args.org)
    mapping = None
    if args.mapping is not None and not args.mapping.strip():
        raise UsageError("--mapping: ange en mappningsfil eller namnet på en medföljande mappning")
    if args.mapping:
        try:
            mapping = mappings.resolve(args.mapping)
        except MappingError as exc:
            raise UsageError(str(exc)) from exc
    bar = ProgressBar(sys.stderr, "Läser" if args.dry_run else "Importerar")
    # A plain kill (SIGTERM) ends the import like Ctrl-C: the transaction is rolled back and the
    # staging files are removed on the way out (kill -9 leaves them to the next import's sweep).
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        outcome = import_incidents(
            Actor(None, "cli"),
            organisation,
            data,
            file_name=path.name,
            mapping=mapping,
            dry_run=args.dry_run,
            progress=bar,
        )
    except MemoryError as exc:
        raise UsageError(
            f"{path.name}: minnet räckte inte för att läsa filen – dela upp den, t.ex. per år, eller spara "
            "den som CSV"
        ) from exc
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        raise UsageError(
            "en annan import pågår i samma databas – ingenting har importerats; försök igen när den är klar"
        ) from exc
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        bar.close()
    if args.format == "json":
        print(json.dumps(outcome.summary(), ensure_ascii=False, indent=2))
    if not outcome.ok:
        lines = [
            f"{path.name}: {outcome.n_errors} fel och {outcome.n_warnings} varningar "
            f"i {outcome.n_rows} rader – ingenting har importerats"
        ]
        errors = [p for p in outcome.problems if p.is_error]
        lines += [f"  {_problem_line(p)}" for p in errors[:MAX_SHOWN_PROBLEMS]]
        if outcome.n_errors > MAX_SHOWN_PROBLEMS:
            lines.append(f"  … och {outcome.n_errors - min(len(errors), MAX_SHOWN_PROBLEMS)} fel till")
        raise RejectedError("\n".join(lines))
    if args.format == "text":
        _print_summary(outcome, path.name)
    return 0


def _print_summary(outcome: Any, name: str) -> None:
    info = outcome.info
    read_as = ""
    if info is not None:
        read_as = f" (läst som {info.format.upper()}"
        if info.encoding:
            read_as += f", {info.encoding}"
        if info.delimiter:
            read_as += f", avgränsare {info.delimiter!r}"
        read_as += ")"
    if outcome.dry_run:
        print(f"{name}: inga fel, {outcome.n_incidents} händelser i {outcome.n_rows} rader{read_as}.")
        print("Provkörning: ingenting har sparats.")
    else:
        print(
            f"{name}: importerade {outcome.n_incidents} händelser ({outcome.created} nya, "
            f"{outcome.updated} uppdaterade){read_as} som import {outcome.batch.pk}."
        )
    warnings = [p for p in outcome.problems if not p.is_error]
    if outcome.n_warnings:
        print(f"{outcome.n_warnings} varningar:", file=sys.stderr)
        for p in warnings[:MAX_SHOWN_PROBLEMS]:
            print(f"  {_problem_line(p)}", file=sys.stderr)
        if outcome.n_warnings > MAX_SHOWN_PROBLEMS:
            print(
                f"  … och {outcome.n_warnings - min(len(warnings), MAX_SHOWN_PROBLEMS)} till", file=sys.stderr
            )


def run_undo(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from lsoplan.audit.services import Actor
    from lsoplan.incidents.models import ImportBatch
    from lsoplan.incidents.services import undo_import

    organisation = _organisation(args.org)
    batch = ImportBatch.objects.filter(organisation=organisation, pk=args.batch).first()
    if batch is None:
        raise UsageError(f"organisationen {args.org} har ingen import med id {args.batch}")
    what = f"{_sv(batch.created)} händelser tas bort"
    if batch.updated:
        what += f" och {_sv(batch.updated)} återställs till sina värden före importen"
    print(f"Import {batch.pk} ({batch.file_name}): {what}.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("ångrandet måste bekräftas: kör kommandot i en terminal eller lägg till --yes")
        answer = input("Ångra importen? Skriv ja för att fortsätta: ").strip().lower()
        if answer not in ("ja", "j"):
            print("Avbrutet: ingenting har ändrats.")
            return 0
    try:
        result = undo_import(Actor(None, "cli"), batch)
    except ValidationError as exc:
        raise UsageError(exc.messages[0]) from exc
    print(
        f"Import {batch.pk} ({batch.file_name}) är ångrad: {result.removed} händelser borttagna, "
        f"{result.restored} återställda till sina tidigare värden."
    )
    return 0


def run_history(args: argparse.Namespace) -> int:
    setup_django()
    from lsoplan.incidents.selectors import import_history

    rows: list[dict[str, Any]] = [
        {
            "id": b.pk,
            "file": b.file_name,
            "sha256": b.sha256,
            "imported_at": b.imported_at.isoformat(),
            "imported_by": b.imported_by_label,
            "incidents": b.incidents,
            "created": b.created,
            "updated": b.updated,
            "warnings": b.warnings,
            "undone_at": b.undone_at.isoformat() if b.undone_at else None,
        }
        for b in import_history(_organisation(args.org))
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = f"ångrad {r['undone_at'][:16]}" if r["undone_at"] else "gäller"
        print(
            f"{r['id']:>6}  {r['imported_at'][:16]}  {r['imported_by']:<12} {r['incidents']:>8} händelser "
            f"({r['created']} nya, {r['updated']} uppdaterade)  {state}  {r['file']}"
        )
    return 0


def _print_table(result: dict[str, Any], by: list[str], fmt: str, value_columns: list[str]) -> None:
    if fmt == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*by, *value_columns])
    rows = result["groups"] if by else [result]
    for row in rows:
        # Group values come from incident files (an omrade of "=HYPERLINK(…)"): never a formula.
        cells = [*(row.get(k) for k in by), *(_flat(row, c) for c in value_columns)]
        writer.writerow([csv_safe(cell) for cell in cells])
    sys.stdout.write(out.getvalue())


def _flat(row: dict[str, Any], column: str) -> Any:
    if column.startswith("share_within_"):
        return row["share_within"].get(column.removeprefix("share_within_"))
    value = row.get(column)
    return "" if value is None else value


def run_stats(args: argparse.Namespace) -> int:
    by = _by(args.by)
    setup_django()
    from lsoplan.incidents.selectors import counts

    result = counts(_organisation(args.org), by)
    _print_table(result, by, args.format, ["count"] if by else ["total"])
    return 0


def run_response_times(args: argparse.Namespace) -> int:
    by = _by(args.by)
    within = _within(args.within)
    setup_django()
    from lsoplan.incidents.selectors import response_time_table

    result = response_time_table(_organisation(args.org), by, within)
    keys = list(result["share_within"])
    columns = ["n", "n_missing", "median_s", "p80_s", "p90_s", *[f"share_within_{k}" for k in keys]]
    _print_table(result, by, args.format, columns)
    return 0
