"""Load test: `lsoplan serve` (gunicorn, production settings) on a throwaway PostgreSQL cluster, the
demo programme, and 50 virtual users browsing follow-up pages, editing goals and downloading
documents. Bounded: each run stops after --seconds or --max-actions, whichever comes first, and
every request goes to 127.0.0.1.

    .venv/bin/python benchmarks/load/run_load.py                # 50 users, 60 s, 1–3 s think time
    .venv/bin/python benchmarks/load/run_load.py --think 0 0    # saturation: no think time

Needs PostgreSQL's server binaries (apt-get install postgresql), as `.ci/run` does. Prints a
Markdown table of p50/p95/p99 per kind of request and the errors; RESULTS-load.md keeps them.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from users import DOCUMENT_LINK, LOOPBACK, Budget, Site, Stats, User

ROOT = Path(__file__).resolve().parents[2]
LSOPLAN = [sys.executable, "-m", "lsoplan.cli"]
PASSWORD = "demo-lsoplan-2026"  # the demo's documented password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres() -> Any:
    """A throwaway cluster on loopback, as .ci/run starts one; removed afterwards."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        sys.exit("PostgreSQL saknas: apt-get install postgresql")
    pgbin, port = binaries[-1], _free_port()
    data = Path(tempfile.mkdtemp(prefix="lsoplan-load-pg."))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(data, "postgres")
    run = lambda *a: subprocess.run([*as_pg, *a], check=True, capture_output=True)  # noqa: E731
    run(
        f"{pgbin}/initdb",
        "-D",
        f"{data}/data",
        "-U",
        "lsoplan",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-c listen_addresses={LOOPBACK} -p {port} -k {data} -c max_connections=100"
    run(f"{pgbin}/pg_ctl", "-D", f"{data}/data", "-l", f"{data}/log", "-w", "-o", options, "start")
    run(f"{pgbin}/createdb", "-h", LOOPBACK, "-p", str(port), "-U", "lsoplan", "lsoplan")
    try:
        yield f"postgres://lsoplan@{LOOPBACK}:{port}/lsoplan", data / "data" / "postmaster.pid"
    finally:
        subprocess.run(
            [*as_pg, f"{pgbin}/pg_ctl", "-D", f"{data}/data", "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(data, ignore_errors=True)


def _cpu_seconds(root: int) -> float:
    """Processor time of a process and all its descendants (living, and those it has reaped)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        pid = int(stat.split("/")[2])
        parents[pid] = int(fields[1])
        # utime, stime, cutime, cstime: fields 14–17 of proc(5), here offset by the two before ")".
        times[pid] = sum(int(f) for f in fields[11:15]) / tick
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(pid, 0.0) for pid in tree)


def _site_facts(env: dict[str, str]) -> dict[str, Any]:
    code = """
import json, django; django.setup()
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.goals.models import SafetyGoal, Indicator
adopted = ProgrammeVersion.objects.get(organisation__slug="demo", status="antagen")
draft = ProgrammeVersion.objects.get(organisation__slug="demo", status="utkast")
print(json.dumps({"adopted": adopted.pk, "draft": draft.pk,
  "goals": list(SafetyGoal.objects.filter(version=draft).values_list("pk", flat=True)),
  "indicators": list(Indicator.objects.filter(version=adopted).values_list("pk", flat=True))}))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stannade innan den svarade")
        try:
            socket.create_connection((LOOPBACK, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn svarade inte inom 60 s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(stats: Stats, seconds: float) -> str:
    lines = [
        "| requests | n | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    pages = sorted(k for k in stats.samples if k.startswith("page: "))
    for kind in ("page", *pages, "edit", "export", "login", "static"):
        values = stats.samples.get(kind, [])
        if not values:
            continue
        ms = [v * 1000 for v in values]
        p50, p95, p99 = statistics.median(ms), _percentile(ms, 0.95), _percentile(ms, 0.99)
        label, errors = kind.replace("page: ", "… "), stats.errors.get(kind, 0)
        lines.append(
            f"| {label} | {len(ms)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {max(ms):.0f} | {errors} |"
        )
    lines.append(f"\n{stats.requests} requests in {seconds:.0f} s ({stats.requests / seconds:.1f}/s).")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--max-actions", type=int, default=8000, help="all users together (≤ 2 requests each)"
    )
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--spawn-rate", type=float, default=5.0, help="users started per second, as locust's ramp-up"
    )
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 0 < args.seconds <= 300 and 0 < args.max_actions <= 10000):
        sys.exit("begränsat prov: högst 200 användare, 300 s och 10 000 åtgärder")

    home = Path(tempfile.mkdtemp(prefix="lsoplan-load-home."))
    with postgres() as (database_url, postmaster_pid):
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LSOPLAN_")} | {
            "DATABASE_URL": database_url,
            "LSOPLAN_HOME": str(home),
            "LSOPLAN_ENV": "production",
            "SECRET_KEY": "lasttest-" + "k" * 50,
            "ALLOWED_HOSTS": LOOPBACK,
            "LSOPLAN_PROXY_SSL_HEADER": "1",
            "CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": "lsoplan.settings",
        }
        demo = subprocess.run([*LSOPLAN, "demo", "--no-serve"], env=env, capture_output=True, text=True)
        if demo.returncode != 0:
            sys.exit(f"lsoplan demo misslyckades:\n{demo.stderr[-3000:]}")
        facts = _site_facts(env)
        server = subprocess.Popen(
            [*LSOPLAN, "serve", "--bind", f"{LOOPBACK}:{port}", "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(home / "gunicorn.log", "wb"),  # noqa: SIM115
        )
        try:
            _wait_for(port, server)
            site = Site(port, "planerare", PASSWORD, facts["adopted"], facts["draft"], facts["goals"],
                        facts["indicators"], [])  # fmt: skip
            probe = User(0, site, Stats(), 0, Budget(0), (0, 0))
            probe.login()
            _, html = probe.request("page", "GET", f"/version/{facts['adopted']}/dokument/")
            # Programme documents are links; the follow-up report is a form asking for the year.
            links = set(DOCUMENT_LINK.findall(html.replace("&amp;", "&")))
            year = time.localtime().tm_year - 1
            links |= {
                f"/version/{facts['adopted']}/dokument/uppfoljning.{f}?ar={year}" for f in ("docx", "pdf")
            }
            for path in sorted(links):
                status, _ = probe.request("export", "GET", path)
                if status == 200:  # PDF needs WeasyPrint's system libraries; left out where missing
                    site.documents.append(path)
            # The probe rendered each document once; forget them, so the test pays the first render.
            shutil.rmtree(home / "cache", ignore_errors=True)
            stats = Stats()
            budget = Budget(args.max_actions)
            database = int(postmaster_pid.read_text().split()[0])
            cpu_before = (_cpu_seconds(server.pid), _cpu_seconds(database), sum(os.times()[:2]))
            start = time.monotonic()
            users = [
                User(n, site, stats, start + args.seconds, budget, tuple(args.think),
                     start_at=start + n / args.spawn_rate)
                for n in range(args.users)
            ]  # fmt: skip
            for user in users:
                user.start()
            # The processor time again once every user has arrived: logins (a password hash each)
            # fall in the ramp-up, so the figure after it is a browsing planner's cost.
            arrived = start + args.users / args.spawn_rate
            time.sleep(max(0.0, arrived - time.monotonic()))
            cpu_arrived = (_cpu_seconds(server.pid), _cpu_seconds(database), sum(os.times()[:2]))
            for user in users:
                user.join(timeout=args.seconds + 120)
            elapsed = time.monotonic() - start
            cpu_after = (_cpu_seconds(server.pid), _cpu_seconds(database), sum(os.times()[:2]))
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(home, ignore_errors=True)

    print(f"# Load test {time.strftime('%Y-%m-%d %H:%M')}")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"users {args.users} (started {args.spawn_rate:g}/s), think {args.think[0]}–{args.think[1]} s, "
          f"gunicorn workers {args.workers}, "
          f"documents {', '.join(p.rsplit('/', 1)[-1] for p in site.documents) or 'none'}")  # fmt: skip
    print(report(stats, elapsed))
    print(f"\nAfter the ramp-up (requests finished {arrived - start:.0f} s or later):\n")
    print(report(stats.since(arrived), start + elapsed - arrived))
    used = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
    print(
        f"\nProcessor time used during the run: server (gunicorn) {used[0]:.1f} s, PostgreSQL "
        f"{used[1]:.1f} s, load generator {used[2]:.1f} s; of {(os.cpu_count() or 1) * elapsed:.0f} s "
        f"on {os.cpu_count()} cores. "
        f"Server per request: {1000 * used[0] / max(stats.requests, 1):.1f} ms."
    )
    later = stats.since(arrived).requests
    server_later = cpu_after[0] - cpu_arrived[0]
    print(
        f"After the ramp-up: server {server_later:.1f} s for {later} requests, "
        f"{1000 * server_later / max(later, 1):.1f} ms per request."
    )
    return 1 if stats.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
