"""Load test of the public pages: 100 anonymous readers of a published organisation's page.

`lsoplan serve` (gunicorn, production settings) on a throwaway PostgreSQL cluster, the demo
published (`lsoplan org publish demo`), and N readers, each on its own keep-alive connection to
127.0.0.1 only, reading the public pages (start, programme, goals, statistics, privacy, the open
data files) with 1–3 s between pages, as people read. No login, no cookies. Bounded: --seconds
or --max-requests, whichever comes first.

    .venv/bin/python benchmarks/load/run_public.py                  # 100 readers, 60 s
    .venv/bin/python benchmarks/load/run_public.py --think 0 0      # saturation

Target (issue 17): p95 under 100 ms for the pages. Prints a Markdown table per page;
RESULTS-public.md keeps them. Needs PostgreSQL's server binaries (apt-get install postgresql).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run_load import LSOPLAN, _cpu_seconds, _free_port, _percentile, _wait_for, postgres
from users import LOOPBACK, Stats

SLUG = "demo"
PAGES = [
    ("start", f"/allmanhet/{SLUG}/", 4),
    ("goals", f"/allmanhet/{SLUG}/mal/", 3),
    ("programme", f"/allmanhet/{SLUG}/program/", 2),
    ("statistics", f"/allmanhet/{SLUG}/statistik/", 2),
    ("privacy", f"/allmanhet/{SLUG}/integritet/", 1),
    ("comment form", f"/allmanhet/{SLUG}/synpunkter/", 1),
    ("goals csv", f"/allmanhet/{SLUG}/oppna-data/mal.csv", 1),
    ("programme json", f"/allmanhet/{SLUG}/oppna-data/handlingsprogram.json", 1),
]


class Budget:
    def __init__(self, n: int) -> None:
        self.left, self.lock = n, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


class Reader(threading.Thread):
    def __init__(
        self, n: int, port: int, stats: Stats, stop_at: float, budget: Budget, think: tuple[float, float]
    ):
        super().__init__(daemon=True, name=f"reader-{n}")
        self.port, self.stats, self.stop_at, self.budget, self.think = port, stats, stop_at, budget, think
        self.random = random.Random(n)
        self.conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        self.weighted = [(name, path) for name, path, weight in PAGES for _ in range(weight)]

    def get(self, name: str, path: str) -> None:
        headers = {"X-Forwarded-Proto": "https", "Host": f"{LOOPBACK}:{self.port}"}
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            self.conn.close()
            self.conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=60)
        self.stats.add(f"page: {name}", time.perf_counter() - start, ok)

    def run(self) -> None:
        while time.monotonic() < self.stop_at and self.budget.take():
            self.get(*self.random.choice(self.weighted))
            time.sleep(self.random.uniform(*self.think))
        self.conn.close()


def report(stats: Stats, seconds: float) -> str:
    lines = [
        "| page | n | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in ["page", *sorted(k for k in stats.samples if k.startswith("page: "))]:
        ms = [v * 1000 for v in stats.samples.get(kind, [])]
        if not ms:
            continue
        label = "all pages" if kind == "page" else kind.removeprefix("page: ")
        lines.append(
            f"| {label} | {len(ms)} | {statistics.median(ms):.0f} | {_percentile(ms, 0.95):.0f} | "
            f"{_percentile(ms, 0.99):.0f} | {max(ms):.0f} | {stats.errors.get(kind, 0)} |"
        )
    lines.append(f"\n{stats.requests} requests in {seconds:.0f} s ({stats.requests / seconds:.1f}/s).")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="readers started per second")
    args = parser.parse_args()
    if not (1 <= args.readers <= 200 and 0 < args.seconds <= 300 and 0 < args.max_requests <= 30000):
        sys.exit("begränsat prov: högst 200 läsare, 300 s och 30 000 förfrågningar")

    home = Path(tempfile.mkdtemp(prefix="lsoplan-public-load."))
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
        for step in (["demo", "--no-serve"], ["org", "publish", SLUG]):
            done = subprocess.run([*LSOPLAN, *step], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"lsoplan {' '.join(step)} misslyckades:\n{done.stderr[-3000:]}")
        server = subprocess.Popen(
            [*LSOPLAN, "serve", "--bind", f"{LOOPBACK}:{port}", "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(home / "gunicorn.log", "wb"),  # noqa: SIM115
        )
        try:
            _wait_for(port, server)
            probe = Reader(0, port, Stats(), 0, Budget(0), (0, 0))
            for name, path, _ in PAGES:  # every page answers before the readers come
                probe.get(name, path)
            if probe.stats.errors:
                sys.exit(f"sidorna svarar inte: {probe.stats.errors}")
            stats, budget = Stats(), Budget(args.max_requests)
            database = int(postmaster_pid.read_text().split()[0])
            cpu_before = (_cpu_seconds(server.pid), _cpu_seconds(database), sum(os.times()[:2]))
            start = time.monotonic()
            readers = [
                Reader(n, port, stats, start + args.seconds, budget, tuple(args.think))
                for n in range(args.readers)
            ]
            for n, reader in enumerate(readers):
                time.sleep(max(0.0, start + n / args.spawn_rate - time.monotonic()))
                reader.start()
            for reader in readers:
                reader.join(timeout=args.seconds + 120)
            elapsed = time.monotonic() - start
            cpu_after = (_cpu_seconds(server.pid), _cpu_seconds(database), sum(os.times()[:2]))
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(home, ignore_errors=True)

    load = os.getloadavg()[0]
    print(f"# Public pages load test {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} at the end")
    print(
        f"readers {args.readers}, think {args.think[0]}–{args.think[1]} s, gunicorn workers {args.workers}\n"
    )
    print(report(stats, elapsed))
    arrived = start + args.readers / args.spawn_rate
    print(f"\nAfter the ramp-up ({arrived - start:.0f} s):\n")
    print(report(stats.since(arrived), start + elapsed - arrived))
    used = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
    print(
        f"\nProcessor time: server {used[0]:.1f} s, PostgreSQL {used[1]:.1f} s, load generator "
        f"{used[2]:.1f} s; server per request {1000 * used[0] / max(stats.requests, 1):.1f} ms."
    )
    return 1 if stats.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
