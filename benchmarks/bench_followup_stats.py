"""Benchmark the follow-up statistics at the sizes the web pages need.

1. Goal status for 40 indicators × 20 years (800 verdicts, what an Uppföljning page for a large
   programme computes): target < 200 ms.
2. Funnel plots for all 290 municipalities × 14 MCF event types (a national peer comparison):
   target < 1 s.

Run:  .venv/bin/python benchmarks/bench_followup_stats.py
Prints the timings and writes benchmarks/RESULTS-followup-stats.md.
"""

from __future__ import annotations

import csv
import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy

from lsoplan.lib.stats import continuous_goal_status, count_goal_status, funnel_data

ROOT = Path(__file__).resolve().parent.parent
POPULATION = ROOT / "src" / "lsoplan" / "reference" / "data" / "population.csv"
RESULTS = Path(__file__).resolve().parent / "RESULTS-followup-stats.md"
REPEATS = 7

# Events per 1 000 inhabitants and year by MCF event type, from Uppsala 2024 (domain notes §9:
# 171 building fires etc. for about 250 000 inhabitants); good enough for realistic counts.
UPPSALA_2024 = {
    "Brand i byggnad": 171,
    "Trafikolycka": 182,
    "Brand i annat än byggnad": 176,
    "Utsläpp av farligt ämne": 42,
    "Drunkning/-tillbud": 5,
    "Nödställd person": 31,
    "Nödställt djur": 4,
    "Stormskada": 8,
    "Ras/skred": 0,
    "Översvämning av vattendrag": 0,
    "Annan vattenskada": 15,
    "Annan olycka/tillbud": 10,
    "Automatlarm utan brandtillbud": 465,
    "Annan händelse utan risk för skada": 122,
}


def _populations() -> list[tuple[str, float]]:
    with POPULATION.open(encoding="utf-8") as handle:
        return [(row["code"], int(row["population"]) / 1000) for row in csv.DictReader(handle)]


def _status_inputs(rng: np.random.Generator) -> list[tuple[str, list[float]]]:
    """40 indicators with 20 yearly values: 30 count series (1–200 a year), 10 continuous ones."""
    series: list[tuple[str, list[float]]] = []
    for i in range(40):
        if i < 30:
            level = rng.uniform(1, 200)
            trend = rng.uniform(-0.05, 0.02)
            series.append(("counts", [float(rng.poisson(level * np.exp(trend * t))) for t in range(20)]))
        else:
            level = rng.uniform(8, 15)
            series.append(("continuous", list(level + rng.normal(0, 0.6, 20) - 0.05 * np.arange(20))))
    return series


def run_status(series: list[tuple[str, list[float]]]) -> int:
    """Status for every indicator in every year: baseline = first 5 years, current = that year."""
    done = 0
    for kind, values in series:
        baseline = values[:5]
        target = 0.8 * float(np.mean(baseline))
        for year in range(20):
            if kind == "counts":
                count_goal_status(
                    "lower",
                    baseline,
                    [values[year]],
                    target,
                    target_year=2030,
                    year=2010 + year,
                    unit="per år",
                )
            else:
                continuous_goal_status(
                    "lower", baseline, values[max(0, year - 2) : year + 1], target, unit="min"
                )
            done += 1
    return done


def run_funnels(populations: list[tuple[str, float]], counts: dict[str, np.ndarray]) -> int:
    codes = [code for code, _ in populations]
    exposure = [pop for _, pop in populations]
    for name, count in counts.items():
        rate = UPPSALA_2024[name] / 250.0
        # Event types with no events in the reference year are compared with their pooled rate.
        funnel_data(codes, count, exposure, target_rate=rate if rate > 0 else None)
    return len(counts) * len(codes)


def _time(action: Callable[[], int]) -> tuple[list[float], int]:
    action()  # warm-up: imports and first-call caches are not what a page pays on every request
    timings = []
    size = 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        size = action()
        timings.append(time.perf_counter() - start)
    return timings, size


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    rng = np.random.default_rng(20260101)
    series = _status_inputs(rng)
    populations = _populations()
    pop = np.array([p for _, p in populations])
    counts = {}
    for name, per_year in UPPSALA_2024.items():
        # Gamma heterogeneity between municipalities (CV ≈ 0.3) on top of Poisson noise.
        base_rate = max(per_year, 0.5) / 250.0
        counts[name] = rng.poisson(rng.gamma(11.0, base_rate / 11.0, len(pop)) * pop)

    status_times, verdicts = _time(lambda: run_status(series))
    funnel_times, unit_rows = _time(lambda: run_funnels(populations, counts))

    rows = [
        ("Goal status, 40 indicators × 20 years", verdicts, status_times, 0.200),
        ("Funnel, 290 municipalities × 14 event types", unit_rows, funnel_times, 1.000),
    ]
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    header = (
        f"Date: {datetime.date.today().isoformat()}  \n"
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}  \n"
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}  \n"
        f"Load average at the end of the run: {load[0]:.2f} (shared machine)  \n"
        f"Each figure: {REPEATS} timed runs after one warm-up run; best and median wall time."
    )
    table = [
        "| benchmark | items | best | median | target | verdict |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, items, times, target in rows:
        best, median = min(times), statistics.median(times)
        verdict = "OK" if median < target else "SLOW"
        table.append(
            f"| {label} | {items} | {best * 1000:.1f} ms | {median * 1000:.1f} ms | "
            f"< {target * 1000:.0f} ms | {verdict} |"
        )
    report = "\n".join(
        [
            "# Follow-up statistics benchmark",
            "",
            "Script: `benchmarks/bench_followup_stats.py`. Status: baseline = first 5 years, current = one",
            "year (counts, exact rate-ratio test) or up to three years (continuous, pooled t). Funnel:",
            "real SCB populations (reference/data/population.csv), counts simulated from Uppsala 2024",
            "rates with gamma heterogeneity; limits at 95 % and 99.8 % plus empirical-Bayes shrinkage",
            "(marginal ML) per event type.",
            "",
            header,
            "",
            *table,
            "",
        ]
    )
    print(report)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
