"""Run every benchmark (`benchmarks/bench_*.py`), one after the other; used by `make bench`.

Each script writes its own RESULTS-*.md. A failing script is reported and the others still run;
the exit status is 1 if any failed. Arguments after `--` go to every script unchanged.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script), *extra], check=False)
        print(
            f"== {script.name}: exit {done.returncode} after {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if done.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
