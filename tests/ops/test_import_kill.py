"""An import killed part-way leaves no trace: `lsoplan import` in its own process, SIGKILL while it
writes, then the database is checked with sqlite3 directly (no Django, no cleanup of ours)."""

from __future__ import annotations

import copy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lsoplan.programmes.exchange_export import export_version
from tests.factories import World

LSOPLAN = [sys.executable, "-m", "lsoplan.cli"]
# Enough rows that writing takes seconds on the slowest machine we run on, so the kill lands
# inside the transaction; each risk is 1 + 3 audited writes.
RISKS = 2500
TABLES = (
    "programmes_programme",
    "programmes_programmeversion",
    "conditions_risk",
    "conditions_vulnerability",
)


def _big_file(world: World, path: Path) -> None:
    data = export_version(world.version)
    template = data["risks"][0]
    for n in range(len(data["risks"]) + 1, RISKS + 1):
        risk = copy.deepcopy(template)
        risk["ref"] = f"risk-{n}"
        risk["title"] = f"Risk {n}"
        risk["vulnerabilities"] = [{"description": f"Sårbarhet {n}.{k}"} for k in range(3)]
        data["risks"].append(risk)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["audit"] = conn.execute(
            "SELECT count(*) FROM audit_auditentry WHERE actor_label LIKE 'import:%'"
        ).fetchone()[0]
    return counts


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([*LSOPLAN, *args], env=env, check=True, capture_output=True, timeout=300)


@pytest.mark.django_db
def test_killed_import_leaves_nothing(world: World, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"LSOPLAN_HOME": str(home)}
    big = tmp_path / "stort-program.json"
    _big_file(world, big)
    _run(env, "migrate")
    _run(env, "org", "create", "x", "--name", "Räddningstjänst X", "--municipality", "0484")
    db = home / "lsoplan.sqlite3"
    before = _counts(db)

    process = subprocess.Popen(
        [*LSOPLAN, "import", str(big), "--org", "x"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    journal = [home / "lsoplan.sqlite3-journal", home / "lsoplan.sqlite3-wal"]
    deadline = time.monotonic() + 120
    # Wait until the import is writing (SQLite keeps a journal while a write transaction is open).
    while not any(p.exists() and p.stat().st_size > 0 for p in journal):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    time.sleep(1.0)
    assert process.poll() is None, "the import finished before it could be killed: make the file bigger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    # The next connection rolls the journal back; not one row of the import may remain.
    assert _counts(db) == before
    # And the database still works: the same import, run to the end, succeeds.
    small = tmp_path / "litet-program.json"
    small.write_text(json.dumps(export_version(world.version), ensure_ascii=False), encoding="utf-8")
    _run(env, "import", str(small), "--org", "x")
    assert _counts(db)["programmes_programme"] == before["programmes_programme"] + 1
