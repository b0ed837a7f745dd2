"""The results table of ``bench_incident_import.py`` (RESULTS-incidents.md), from its measurements."""

from __future__ import annotations

import datetime
import os
import platform
from typing import Any

STATS_REPEATS = 5


def _verdict(ok: bool) -> str:
    return "OK" if ok else "missed"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _backend_rows(name: str, r: dict[str, Any]) -> list[str]:
    rows = [
        _row(
            f"lsoplan import → {name}",
            f"{r['seconds']:.2f} s",
            f"{r['peak_import_mib']:.0f} MiB",
            f"all checks; {_n(r['created'])} new rows; RSS before the import {r['rss_before_mib']:.0f} MiB",
        ),
        _row(
            f"lsoplan re-import, every row an update → {name}",
            f"{r['reimport_seconds']:.2f} s",
            f"{r['peak_reimport_mib']:.0f} MiB",
            "the same file again; old values kept for undo",
        ),
        *(
            [
                _row(
                    f"lsoplan re-import, every row changed → {name}",
                    f"{r['reimport_changed_seconds']:.2f} s",
                    "",
                    f"same ids, other values; {_n(r['reimport_changed_updated'])} rows updated",
                )
            ]
            if "reimport_changed_seconds" in r
            else []
        ),
        _row(f"lsoplan dry run, checks only ({name} run)", f"{r['dry_run_seconds']:.2f} s", "", ""),
        *(
            [
                _row(
                    "PostgreSQL alone: `COPY` of the same rows into a copy of the incident table",
                    f"{r['server_copy_seconds']:.2f} s",
                    "",
                    "CSV from memory, primary and unique key, rolled back: the server's share of the import",
                )
            ]
            if "server_copy_seconds" in r
            else []
        ),
        _row(
            f"`selectors.counts` by year × type ({name})",
            _ms(r["stats"]["best"]),
            "",
            f"median {_ms(r['stats']['median'])} of {STATS_REPEATS}",
        ),
        _row(
            f"`selectors.response_time_table` by type ({name})",
            _ms(r["response_times"]["best"]),
            "",
            f"median {_ms(r['response_times']['median'])} of {STATS_REPEATS}",
        ),
        _row(
            f"reading all rows back with a raw cursor ({name})",
            f"{r['raw_read_seconds']:.2f} s",
            "",
            "what each statistic would cost without the column copy",
        ),
    ]
    for command in ("stats", "response-times"):
        if cli := r.get(f"cli_{command}"):
            rows.append(
                _row(
                    f"`lsoplan incidents {command}` ({name}), whole command",
                    f"{cli['best']:.2f} s",
                    "",
                    f"median {cli['median']:.2f} s of 3; includes Python and Django start-up",
                )
            )
    if startup := r.get("cli_startup"):
        rows.append(
            _row(
                "`lsoplan --help`, start-up alone",
                f"{startup['best']:.2f} s",
                "",
                f"median {startup['median']:.2f} s",
            )
        )
    return rows


def _reimport_times(r: dict[str, Any]) -> list[float]:
    changed = r.get("reimport_changed_seconds")
    return [r["reimport_seconds"], *([changed] if changed is not None else [])]


def _reimport_ratio(r: dict[str, Any]) -> str:
    return " / ".join(f"{t / r['seconds']:.2f}×" for t in _reimport_times(r)) + " (same file / changed rows)"


def report(rows: int, file_mib: float, results: dict[str, Any], notes: list[str]) -> str:
    duck, pandas = results.get("duckdb"), results["pandas"]
    versions = results["versions"]
    servers = ", ".join(results[n]["server"] for n in ("sqlite", "postgresql") if n in results)
    lines = [
        "# Incident import benchmark",
        "",
        "Script: `benchmarks/bench_incident_import.py` (run by `make bench`). One native-format file",
        f"of {_n(rows)} incidents ({file_mib:.0f} MiB; `;`, decimal comma, Swedish local time;",
        "5 municipalities; 14 event types in Uppsala 2024 proportions); each measurement in its own process.",
        "",
        f"Date: {datetime.date.today().isoformat()}  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}  ",
        f"Python {platform.python_version()}, polars {versions['polars']}, duckdb {versions['duckdb']}, "
        f"pandas {versions['pandas']}; {servers}  ",
        f"Load average at start {results['load_start']:.2f}, at end {results['load_end']:.2f} "
        "(a shared machine: other jobs ran at the same time)  ",
        "Peak memory = the process's maximum resident set size (`getrusage`), Python and Django included.",
        "",
        _row("what", "time", "peak memory", "notes"),
        "|---|---:|---:|---|",
    ]
    if duck:
        lines.append(
            _row(
                "DuckDB `read_csv` + aggregate (the floor)",
                f"{duck['seconds']:.2f} s",
                f"{duck['peak_mib']:.0f} MiB",
                "count and median response time per type × kommun",
            )
        )
    for name, run in (("SQLite", pandas), ("PostgreSQL", results.get("pandas_pg"))):
        if run is not None:
            lines.append(
                _row(
                    f"pandas `read_csv` + `to_sql` into {name}",
                    f"{run['seconds']:.2f} s",
                    f"{run['peak_mib']:.0f} MiB",
                    f"read {run['read_seconds']:.2f} s; no checks, no indexes, naive local times",
                )
            )
    for name in ("sqlite", "postgresql"):
        if name in results:
            lines += _backend_rows(name, results[name])
    lines += ["", "## Targets", "", _row("target", "measured", "verdict"), "|---|---|---|"]
    for name in ("sqlite", "postgresql"):
        r = results.get(name)
        if r is None:
            continue
        # Each import against pandas writing to the same database (SQLite if pandas could not
        # write to PostgreSQL: that needs SQLAlchemy, from the bench extra).
        own = pandas if name == "sqlite" else results.get("pandas_pg") or pandas
        speedup = own["seconds"] / r["seconds"]
        # The target is the whole command where it was timed, else the function alone.
        commands = [r[k]["best"] for k in ("cli_stats", "cli_response-times") if k in r]
        worst = max(commands or [r["stats"]["best"], r["response_times"]["best"]])
        worst_what = "whole command" if commands else "function"
        lines.append(
            _row(
                f"import ≥ 3× faster than pandas + to_sql ({name}; pandas into {own['database']})",
                f"{speedup:.2f}×",
                _verdict(speedup >= 3),
            )
        )
        if duck:
            floor = r["seconds"] / duck["seconds"]
            measured = f"{floor:.1f}×"
            if "server_copy_seconds" in r:
                server = r["server_copy_seconds"] / duck["seconds"]
                measured += f" (the server's COPY alone: {server:.1f}×)"
            lines.append(_row(f"import within 8× of DuckDB ({name})", measured, _verdict(floor <= 8)))
        lines += [
            _row(
                f"peak memory of the import < 1 GiB ({name})",
                f"{r['peak_import_mib']:.0f} MiB",
                _verdict(r["peak_import_mib"] < 1024),
            ),
            _row(
                f"re-import (every row an update) ≤ 2× the first import ({name})",
                _reimport_ratio(r),
                _verdict(max(_reimport_times(r)) <= 2 * r["seconds"]),
            ),
            _row(
                f"stats and response-times < 1 s ({name})",
                f"{_ms(worst)} ({worst_what})",
                _verdict(worst < 1),
            ),
        ]
    notes = [
        *notes,
        "Each lsoplan import is compared with pandas writing to the same database; pandas into "
        "PostgreSQL goes through SQLAlchemy (`pip install '.[bench]'`), without it the SQLite run stands in.",
        "The breakdown per step, earlier runs and design choices: docs/incidents-benchmark.md.",
    ]
    lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"
