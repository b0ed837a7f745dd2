"""Benchmark: a 1,000,000-row incident file imported by lsoplan, against the floor and a hand script.

Measured in one run, each in its own process (so each peak memory is its own):

1. lsoplan's import (``import_incidents``) into SQLite and into PostgreSQL, then a re-import of the
   same file (every row an update), and ``incidents stats`` / ``response-times`` over the result;
2. the floor: DuckDB ``read_csv`` plus an aggregate over the same file;
3. what a user would script by hand: pandas ``read_csv`` + ``DataFrame.to_sql`` into SQLite.

PostgreSQL: ``LSOPLAN_BENCH_PG_URL`` if set, else a throwaway cluster started like ``.ci/run`` does
(initdb on loopback, fsync off), else skipped with a note. Targets (issue 3, the 2-core machine):
import ≥ 3× faster than pandas + to_sql, within 8× of the DuckDB scan, peak memory < 1 GiB;
stats and response-times < 1 s each. No target is asserted; the numbers are written down.

Run:  .venv/bin/python benchmarks/bench_incident_import.py [--rows N]
Prints the results and writes benchmarks/RESULTS-incidents.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from incident_report import STATS_REPEATS, report  # next to this script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS-incidents.md"
CODES = ["0380", "0482", "0483", "0484", "0486"]  # Uppsala, Flen, Katrineholm, Eskilstuna, Strängnäs
# Share of each MCF event type, from Uppsala 2024 (domain.md §9: 171 building fires of 1,231 …).
TYPES = {
    1: 171,
    2: 182,
    3: 176,
    4: 42,
    5: 5,
    6: 31,
    7: 4,
    8: 8,
    9: 1,
    11: 1,
    12: 15,
    13: 10,
    14: 465,
    15: 122,
}


# --- the file -----------------------------------------------------------------------------------


def make_file(path: Path, rows: int, seed: int = 1) -> None:
    """A native-format file (";" and decimal comma, Swedish local time) with ``rows`` incidents.

    Rows whose times fall in the repeated autumn hour are moved two hours on, so that every time is
    plain wall-clock text (the form a pandas user's format string expects, too).
    """
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    start, end = 1388534400, 1767139200  # 2014-01-01 … 2025-12-31 UTC
    larm = np.sort(rng.integers(start, end, rows)) * 1_000_000
    response = (np.exp(rng.normal(np.log(600), 0.5, rows)) * 1_000_000).astype(np.int64)
    duration = (np.exp(rng.normal(np.log(3600), 0.8, rows)) * 1_000_000).astype(np.int64)
    utc = pl.Datetime("us", "UTC")

    def local(us: Any) -> pl.Series:
        return pl.Series(us).cast(utc).dt.convert_time_zone("Europe/Stockholm")

    def ambiguous(series: pl.Series) -> Any:
        naive = series.dt.replace_time_zone(None)
        return naive.dt.replace_time_zone("Europe/Stockholm", ambiguous="null").is_null().to_numpy()

    for _ in range(3):
        bad = (
            ambiguous(local(larm))
            | ambiguous(local(larm + response))
            | ambiguous(local(larm + response + duration))
        )
        if not bad.any():
            break
        larm = larm + bad * 7_200_000_000
    types, weights = zip(*TYPES.items(), strict=True)
    p = np.array(weights, dtype=float) / sum(weights)
    fmt = "%Y-%m-%d %H:%M:%S"
    frame = pl.DataFrame(
        {
            "handelse_id": pl.Series(np.arange(rows)).cast(pl.String).str.zfill(8),
            "kommun": rng.choice(CODES, rows),
            "handelsetyp": rng.choice(types, rows, p=p),
            "larm_tid": local(larm).dt.strftime(fmt),
            "framme_tid": local(larm + response).dt.strftime(fmt),
            "avslutad_tid": local(larm + response + duration).dt.strftime(fmt),
            "omrade": rng.choice(["Centrum", "Norr", "Söder", "Öster", "Väster", "Landsbygd"], rows),
            "omkomna": rng.poisson(0.005, rows),
            "skadade": rng.poisson(0.08, rows),
            "byggnadstyp": pl.Series(
                rng.choice(["Flerbostadshus", "Villa eller småhus", "Industri", ""], rows)
            ),
            "brandorsak": pl.Series(rng.choice(["Fel i utrustning", "Gick inte att bedöma", ""], rows)),
            "x": rng.uniform(550_000, 650_000, rows).round(1),
            "y": rng.uniform(6_500_000, 6_600_000, rows).round(1),
        }
    ).with_columns(
        framme_tid=pl.when(pl.Series(rng.random(rows) > 0.03)).then(pl.col("framme_tid")),
        byggnadstyp=pl.col("byggnadstyp").replace("", None),
        brandorsak=pl.col("brandorsak").replace("", None),
        x=pl.col("x").cast(pl.String).str.replace(".", ",", literal=True),
        y=pl.col("y").cast(pl.String).str.replace(".", ",", literal=True),
    )
    frame.write_csv(path, separator=";")


# --- one measurement per process ------------------------------------------------------------------


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_duckdb(path: Path) -> dict[str, Any]:
    import duckdb

    sql = f"""
        SELECT handelsetyp, kommun, count(*) AS n,
               median(epoch(framme_tid) - epoch(larm_tid)) AS median_s
        FROM read_csv('{path}', delim=';', decimal_separator=',', header=true,
                      timestampformat='%Y-%m-%d %H:%M:%S',
                      types={{'handelse_id': 'VARCHAR', 'kommun': 'VARCHAR'}})
        GROUP BY ALL"""
    t0 = time.perf_counter()
    groups = duckdb.sql(sql).fetchall()
    return {"seconds": time.perf_counter() - t0, "groups": len(groups), "peak_mib": _peak_mib()}


def one_pandas(path: Path, work: Path, database_url: str | None = None) -> dict[str, Any]:
    """pandas into a SQLite file, or into PostgreSQL through SQLAlchemy (``database_url``)."""
    import sqlite3

    import pandas as pd

    db = work / "pandas.sqlite3"
    db.unlink(missing_ok=True)
    engine: Any = None
    if database_url:
        import sqlalchemy

        engine = sqlalchemy.create_engine(database_url.replace("postgres://", "postgresql+psycopg://", 1))
        with engine.begin() as con:
            con.exec_driver_sql("DROP TABLE IF EXISTS pandas_incidents")
    t0 = time.perf_counter()
    frame = pd.read_csv(
        path,
        sep=";",
        decimal=",",
        dtype={"handelse_id": str, "kommun": str},
        parse_dates=["larm_tid", "framme_tid", "avslutad_tid"],
        date_format="%Y-%m-%d %H:%M:%S",
    )
    read = time.perf_counter() - t0
    if engine is not None:
        frame.to_sql("pandas_incidents", engine, index=False)
    else:
        with contextlib.closing(sqlite3.connect(db)) as con:
            frame.to_sql("incidents", con, index=False)
            con.commit()
    total = time.perf_counter() - t0
    if engine is not None:
        with engine.begin() as con:
            con.exec_driver_sql("DROP TABLE pandas_incidents")
    return {
        "seconds": total,
        "read_seconds": read,
        "rows": len(frame),
        "peak_mib": _peak_mib(),
        "database": "PostgreSQL" if engine is not None else "SQLite",
    }


def server_copy_seconds() -> float:
    """PostgreSQL alone receiving the rows lsoplan imported: the same CSV, sent with COPY into a
    copy of the incident table (its primary and unique key, logged like it), rolled back."""
    import io

    from django.db import connection, transaction

    from lsoplan.incidents.bulk import DATA_COLUMNS

    columns = ", ".join(("organisation_id", "batch_id", *DATA_COLUMNS))
    connection.ensure_connection()
    raw: Any = connection.connection
    buffer = io.BytesIO()
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY (SELECT {columns} FROM incidents_incident) TO STDOUT (FORMAT csv)") as out,
    ):
        for block in out:
            buffer.write(block)
    data = buffer.getvalue()
    with transaction.atomic(), raw.cursor() as cur:
        cur.execute("CREATE TABLE bench_server_copy (LIKE incidents_incident INCLUDING ALL)")
        t0 = time.perf_counter()
        with cur.copy(f"COPY bench_server_copy ({columns}) FROM STDIN (FORMAT csv)") as into:
            for offset in range(0, len(data), 1 << 20):
                into.write(data[offset : offset + (1 << 20)])
        seconds = time.perf_counter() - t0
        transaction.set_rollback(True)
    return seconds


def _timed(call: Any, repeats: int) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": sorted(times)[len(times) // 2]}


def one_lsoplan(path: Path, work: Path, database_url: str | None) -> dict[str, Any]:
    os.environ["LSOPLAN_HOME"] = str(work / "home")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lsoplan.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lsoplan.accounts.models import Organisation
    from lsoplan.accounts.services import create_organisation
    from lsoplan.audit.services import Actor
    from lsoplan.incidents import bulk, selectors
    from lsoplan.incidents.services import import_incidents

    Organisation.objects.filter(slug="bench").delete()
    org = create_organisation(Actor(None, "bench"), slug="bench", name="Benchmark", municipality_codes=CODES)
    actor = Actor(None, "bench")
    rss_before = _rss_mib()
    t0 = time.perf_counter()
    first = import_incidents(actor, org, path, file_name=path.name)
    seconds = time.perf_counter() - t0
    if not first.ok:
        raise SystemExit(f"import rejected: {[p.to_dict() for p in first.problems[:3]]}")
    peak_import = _peak_mib()
    from django.db import connection

    server_copy = server_copy_seconds() if connection.vendor == "postgresql" else None
    t0 = time.perf_counter()
    again = import_incidents(actor, org, path, file_name=path.name)
    reimport = time.perf_counter() - t0
    peak_reimport = _peak_mib()
    # The same ids with other values (another seed): every row really changes, not only its batch.
    changed_path = work / "andra.csv"
    make_file(changed_path, first.created, seed=2)
    t0 = time.perf_counter()
    changed = import_incidents(actor, org, changed_path, file_name=changed_path.name)
    reimport_changed = time.perf_counter() - t0
    changed_path.unlink()
    t0 = time.perf_counter()
    import_incidents(actor, org, path, file_name=path.name, dry_run=True)
    dry_run = time.perf_counter() - t0

    with connection.cursor() as cur:
        cur.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        server = f"{connection.vendor} {cur.fetchone()[0]}"
    stats = _timed(lambda: selectors.counts(org, ["year", "handelsetyp"]), STATS_REPEATS)
    response = _timed(
        lambda: selectors.response_time_table(org, ["handelsetyp"], (10, 20, 30)), STATS_REPEATS
    )
    raw = _timed(lambda: bulk.read_incidents(org.pk), 1)
    return {
        "seconds": seconds,
        "created": first.created,
        "reimport_seconds": reimport,
        "reimport_updated": again.updated,
        "reimport_changed_seconds": reimport_changed,
        "reimport_changed_updated": changed.updated,
        "dry_run_seconds": dry_run,
        "stats": stats,
        "response_times": response,
        "raw_read_seconds": raw["best"],
        "rss_before_mib": rss_before,
        "peak_import_mib": peak_import,
        "peak_reimport_mib": peak_reimport,
        "peak_mib": _peak_mib(),
        "server": server,
        **({"server_copy_seconds": server_copy} if server_copy is not None else {}),
    }


def one_cli(work: Path, database_url: str | None, command: list[str]) -> dict[str, Any]:
    """Wall time of the whole command, three runs; ``command == []`` times ``lsoplan --help``."""
    env = dict(os.environ, LSOPLAN_HOME=str(work / "home"))
    if database_url:
        env["DATABASE_URL"] = database_url
    exe = str(Path(sys.executable).parent / "lsoplan")
    argv = [exe, "incidents", *command, "--org", "bench"] if command else [exe, "--help"]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": sorted(times)[1]}


def run_one(kind: str, path: Path, work: Path, database_url: str | None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return what it printed (JSON)."""
    cmd = [sys.executable, __file__, "--one", kind, "--file", str(path), "--work", str(work)]
    if database_url:
        cmd += ["--database-url", database_url]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- PostgreSQL ---------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A database URL: LSOPLAN_BENCH_PG_URL, or a throwaway cluster (as .ci/run), or None."""
    if url := os.environ.get("LSOPLAN_BENCH_PG_URL"):
        yield url
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        yield None
        return
    pgbin = bins[-1].parent
    pgdir = Path(tempfile.mkdtemp(prefix="lsoplan-bench-pg."))
    root = os.geteuid() == 0
    as_pg = ["runuser", "-u", "postgres", "--"] if root else []
    if root:
        shutil.chown(pgdir, "postgres")
    port = os.environ.get("LSOPLAN_BENCH_PGPORT", "55433")
    data = pgdir / "data"
    subprocess.run(
        [*as_pg, str(pgbin / "initdb"), "-D", str(data), "-U", "lsoplan", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {pgdir} -c fsync=off -c full_page_writes=off"
    start = [str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(pgdir / "log"), "-w", "-o", options, "start"]
    subprocess.run([*as_pg, *start], check=True, capture_output=True)
    createdb = [str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", port, "-U", "lsoplan", "lsoplan"]
    subprocess.run([*as_pg, *createdb], check=True, capture_output=True)
    try:
        yield f"postgres://lsoplan@127.0.0.1:{port}/lsoplan"
    finally:
        stop = [str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]
        subprocess.run([*as_pg, *stop], check=False, capture_output=True)
        shutil.rmtree(pgdir, ignore_errors=True)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("polars", "duckdb", "pandas"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-write", action="store_true", help="print, but do not rewrite RESULTS-incidents.md"
    )
    args = parser.parse_args()
    if args.one:
        path, work = Path(args.file), Path(args.work)
        if args.one == "duckdb":
            out = one_duckdb(path)
        elif args.one == "pandas":
            out = one_pandas(path, work, args.database_url)
        else:
            out = one_lsoplan(path, work, args.database_url)
        print(json.dumps(out))
        return

    load_start = os.getloadavg()[0]
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lsoplan-bench-") as tmp:
        work = Path(tmp)
        path = work / "handelser.csv"
        t0 = time.perf_counter()
        make_file(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"file: {args.rows:,} rows, {size:.0f} MiB in {time.perf_counter() - t0:.1f} s")
        results: dict[str, Any] = {"load_start": load_start, "versions": _versions()}
        if importlib.util.find_spec("duckdb") is None:
            notes.append(
                "DuckDB skipped: not installed (`pip install '.[bench]'`); no floor to compare with."
            )
        else:
            results["duckdb"] = run_one("duckdb", path, work, None)
            print("duckdb", results["duckdb"])
        results["pandas"] = run_one("pandas", path, work, None)
        print("pandas", results["pandas"])
        sqlite_work = work / "sqlite"
        sqlite_work.mkdir()
        results["sqlite"] = run_one("lsoplan", path, sqlite_work, None)
        for command in ("stats", "response-times"):
            by = ["--by", "year,handelsetyp"] if command == "stats" else ["--by", "handelsetyp"]
            results["sqlite"][f"cli_{command}"] = one_cli(sqlite_work, None, [command, *by])
        results["sqlite"]["cli_startup"] = one_cli(sqlite_work, None, [])
        print("sqlite", results["sqlite"])
        with postgres() as url:
            if url is None:
                notes.append("PostgreSQL skipped: LSOPLAN_BENCH_PG_URL is not set and initdb was not found.")
            else:
                pg_work = work / "pg"
                pg_work.mkdir()
                results["postgresql"] = run_one("lsoplan", path, pg_work, url)
                print("postgresql", results["postgresql"])
                if importlib.util.find_spec("sqlalchemy") is None:
                    notes.append(
                        "pandas into PostgreSQL skipped: SQLAlchemy is not installed "
                        "(`pip install '.[bench]'`)."
                    )
                else:
                    results["pandas_pg"] = run_one("pandas", path, work, url)
                    print("pandas_pg", results["pandas_pg"])
        results["load_end"] = os.getloadavg()[0]
        text = report(args.rows, path.stat().st_size / 2**20, results, notes)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
