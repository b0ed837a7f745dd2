"""Agreement of the SMART check with a careful reading of goals from published LSO programmes.

The corpus (benchmarks/smart_corpus/goals.yaml) holds goals copied verbatim from stored pages, each
with its source and a reading per criterion written before the checker was run. The goals are split
once and for all by a hash of their id: two thirds for development (the rules in lib/smart*.py were
tuned on these only), one third held out. The held-out figures are the ones to quote.

Run:  .venv/bin/python benchmarks/bench_smart_agreement.py [--show dev|test|all] [--no-write]
Prints the table (and the disagreements of the part asked for with --show) and writes
benchmarks/RESULTS-smart.md unless --no-write.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from lsoplan.lib.smart import CRITERIA, GoalInput, SmartResult, check_goal

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "smart_corpus" / "goals.yaml"
RESULTS = HERE / "RESULTS-smart.md"
TARGET = 0.90
PARTS = ("dev", "test")
# Measured with this script and corpus on the code before issue 13's changes (commit 766af6d).
BEFORE = (
    "Before the issue-13 changes (commit 766af6d, same script, the first 45 goals): development 97.7 % "
    "(171/175), held out 98.0 % (49/50); all misses were on specifikt."
)
# The second reader's first labels for three Norrköping goals (nkpg-01..03) said specifikt and
# mätbart "ok" for "minska med 5 %" without a baseline, against the reading guide; they were
# corrected after the run and the figures as first read are kept here (README, "Corrections").
FIRST_READING = (
    "As first read, before three readings were corrected to the reading guide (the first 63 goals, "
    "same script, lexicon 2026.1): development 99.1 % (218/220), held out 94.7 % (90/95)."
)


@dataclass(frozen=True)
class Case:
    id: str
    part: str
    goal: GoalInput
    reading: dict[str, tuple[str, str]]
    status: str


def part_of(goal_id: str) -> str:
    """Held out when the first byte of the SHA-256 of the id is divisible by three (about 1/3)."""
    return "test" if hashlib.sha256(goal_id.encode("utf-8")).digest()[0] % 3 == 0 else "dev"


def load_cases(path: Path = CORPUS) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for entry in data["goals"]:
        reading = {name: (str(v[0]), str(v[1])) for name, v in entry["reading"].items()}
        if set(reading) != set(CRITERIA):
            raise ValueError(f"{entry['id']}: reading must cover {CRITERIA}")
        goal = GoalInput(
            text=entry["text"],
            kind=entry.get("kind"),
            owner=entry.get("adopted_by"),
            target_year=entry.get("target_year"),
        )
        cases.append(Case(entry["id"], part_of(entry["id"]), goal, reading, entry.get("status", "")))
    return cases


def judge(case: Case) -> SmartResult:
    return check_goal(case.goal)


def agreement(cases: list[Case]) -> dict[str, tuple[int, int]]:
    """Per criterion: (agreeing, total); key "alla" sums the criteria."""
    table = {name: [0, 0] for name in (*CRITERIA, "alla")}
    for case in cases:
        result = judge(case)
        for name in CRITERIA:
            same = result.criteria[name].status == case.reading[name][0]
            for key in (name, "alla"):
                table[key][0] += same
                table[key][1] += 1
    return {k: (v[0], v[1]) for k, v in table.items()}


def disagreements(cases: list[Case]) -> list[str]:
    lines = []
    for case in cases:
        result = judge(case)
        for name in CRITERIA:
            got, (want, why) = result.criteria[name], case.reading[name]
            if got.status != want:
                lines.append(
                    f"{case.id} {name}: checker {got.status} ({' '.join(got.reasons)}), "
                    f"reading {want} ({why})"
                )
    return lines


def _pct(pair: tuple[int, int]) -> str:
    agree, total = pair
    return f"{100 * agree / total:.1f} % ({agree}/{total})" if total else "–"


def table_markdown(cases: list[Case]) -> str:
    by_part = {p: agreement([c for c in cases if c.part == p]) for p in PARTS}
    rows = ["| kriterium | utveckling | hållet utanför (test) |", "|---|---:|---:|"]
    for name in (*CRITERIA, "alla"):
        rows.append(f"| {name} | {_pct(by_part['dev'][name])} | {_pct(by_part['test'][name])} |")
    return "\n".join(rows)


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src/lsoplan/lib", "benchmarks/smart_corpus"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(cases: list[Case]) -> None:
    test = [c for c in cases if c.part == "test"]
    overall = agreement(test)["alla"]
    verdict = "uppnått" if overall[1] and overall[0] / overall[1] >= TARGET else "ej uppnått"
    counts = {p: sum(c.part == p for c in cases) for p in PARTS}
    statuses: dict[str, int] = {}
    for c in cases:
        statuses[c.status] = statuses.get(c.status, 0) + 1
    status_text = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    misses = disagreements(test)
    adopted = agreement([c for c in test if c.status == "antaget"])["alla"]
    text = f"""# SMART check: agreement with a careful reading

Script: `benchmarks/bench_smart_agreement.py`. Corpus: `benchmarks/smart_corpus/goals.yaml`
({len(cases)} goals from published Swedish LSO programmes, each with its address; how they were
found and read: `benchmarks/smart_corpus/README.md`). Source status: {status_text}.

Split by SHA-256 of the goal id (first byte divisible by 3 = held out): {counts["dev"]} goals for
development, {counts["test"]} held out. The rules were changed while looking at the development part
only; the held-out column is the figure to quote.

- Date: {datetime.date.today().isoformat()}
- Commit: {commit()}
- Target: at least {TARGET:.0%} overall on the held-out part: **{verdict}** ({_pct(overall)}).

{table_markdown(cases)}

Held out, goals from adopted programmes only: {_pct(adopted)}.
{BEFORE}

{FIRST_READING}

The corpus is far short of the 150 goals asked for ({len(cases)} found in the stored material; where
and how it was searched: the corpus README). Its goals are mostly unquantified (verbal "ska
minska/öka", "verka för", "utveckla"); four Norrköping goals and one of Västra Sörmland's carry
numbers. The rules for numbers, relative changes, stated baselines and passed dates are therefore
covered mainly by unit tests in `tests/lib/`, not by this table. "accepterat" agrees by construction
where the source names an owner (it is passed as the owner field), and "realistiskt" is "okänt" for
every goal because no source gives data. The held-out goals were never used to change the rules. In
the second round one development disagreement changed a rule (the output word "station", mrf22-04
specifikt); the other (mrf22-04 mätbart, a completion goal the second reader read as measurable)
contradicts the first reader's reading of a similar goal (upp16-03) and was left as it is.

## Held-out disagreements

{chr(10).join(f"- {m}" for m in misses) if misses else "None."}
"""
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=("dev", "test", "all"), default=None)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    cases = load_cases()
    print(table_markdown(cases))
    if args.show:
        shown = [c for c in cases if args.show == "all" or c.part == args.show]
        for line in disagreements(shown):
            print(line)
    if not args.no_write:
        write_results(cases)
        print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
