"""Page cost: processor time and database queries of every page of the demo, as the redaktör.

Issue 19 drives the processor time per request down (target: median ≤ 15 ms, no page above 40 ms);
this measures it the steady way, in-process, without a server or a network in between. The demo
is built by the demo loader in a fresh SQLite database under a temporary LSOPLAN_HOME; every named
URL pattern is requested with real object ids of the demo organisation, as the user `planerare`
(redaktör). Each page gets one warm-up request, then REPEATS measured ones; the table gives the
medians of processor time (time.process_time), wall time and queries, sorted by processor time.

Pages answering only POST (405 to a GET), file downloads (documents are out of scope) and URLs
this script cannot fill are listed below the table, so a new page is never silently left out.

Run:  .venv/bin/python benchmarks/bench_pages.py [--repeats N] [--output FILE]
Writes benchmarks/RESULTS-pages.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS-pages.md"
REPEATS = 5
# Issue 19's targets for this table.
TARGET_MEDIAN_MS = 15.0
TARGET_MAX_MS = 40.0


@dataclass
class Demo:
    """The demo organisation's objects whose ids fill the URLs."""

    objects: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        value = self.objects.get(name)
        if value is None:
            raise LookupError(f"the demo has no {name}")
        return value


# url name → its arguments from the demo's objects (URLs without arguments need no entry).
ARGS: dict[str, Callable[[Demo], dict[str, Any]]] = {
    "programme_detail": lambda d: {"pk": d.programme.pk},
    "object_history": lambda d: {"model": "conditions.risk", "object_id": d.risk.pk},
    "chapter_edit": lambda d: {"pk": d.chapter.pk},
    "matrix_cell": lambda d: {
        "pk": d.version.pk,
        "likelihood": d.risk.likelihood,
        "consequence": d.risk.consequence,
    },
    "risk_detail": lambda d: {"pk": d.risk.pk},
    "risk_edit": lambda d: {"pk": d.risk.pk},
    "risk_delete": lambda d: {"pk": d.risk.pk},
    "vulnerability_add": lambda d: {"pk": d.risk.pk},
    "goal_detail": lambda d: {"kind": "sakerhetsmal", "pk": d.safety_goal.pk},
    "goal_edit": lambda d: {"kind": "prestationsmal", "pk": d.performance_goal.pk},
    "goal_delete": lambda d: {"kind": "sakerhetsmal", "pk": d.safety_goal.pk},
    "indicator_create": lambda d: {"kind": "sakerhetsmal", "pk": d.safety_goal.pk},
    "measure_create": lambda d: {"pk": d.performance_goal.pk},
    "indicator_detail": lambda d: {"pk": d.indicator.pk},
    "indicator_edit": lambda d: {"pk": d.indicator.pk},
    "incident_indicator": lambda d: {"pk": d.indicator.pk},
    "incident_undo": lambda d: {"pk": d.version.pk, "batch": d.batch.pk},
    "evaluation_create": lambda d: {"kind": "sakerhetsmal", "pk": d.safety_goal.pk},
    "evaluation_detail": lambda d: {"pk": d.evaluation.pk},
    "evaluation_edit": lambda d: {"pk": d.evaluation.pk},
    "evaluation_close": lambda d: {"pk": d.evaluation.pk},
    "evaluation_reopen": lambda d: {"pk": d.evaluation.pk},
    "action_edit": lambda d: {"pk": d.action.pk},
    "survey_detail": lambda d: {"pk": d.version.pk, "survey": d.survey.pk},
    "survey_delete": lambda d: {"pk": d.survey.pk},
    "costbenefit_detail": lambda d: {"pk": d.analysis.pk},
    "check_run_detail": lambda d: {"pk": d.check_run.pk},
    "distribution_delete": lambda d: {"pk": d.distribution.pk},
    "indicator_kolada": lambda d: {"pk": d.indicator.pk},
}
# Not pages of the redaktör's navigation, or not pages at all.
SKIP = {
    "login": "inloggningssidan (anonym)",
    "logout": "utloggning (POST)",
    "incident_preview": "förhandsvisning kräver en uppladdad fil",
    "version_document_file": "dokumentfil (dokument ingår inte, issue 19)",
}


def _pk_kwargs(pattern: Any) -> list[str]:
    return list(pattern.pattern.converters)


def url_patterns() -> Iterator[tuple[str, str, list[str]]]:
    """Every named URL, its route and argument names, as tests/test_access.py enumerates them."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str, inherited: list[str]) -> Iterator[tuple[str, str, list[str]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), inherited + _pk_kwargs(p))
            elif isinstance(p, URLPattern) and p.name:
                yield p.name, prefix + str(p.pattern), inherited + _pk_kwargs(p)

    seen = set()
    for name, route, params in walk(get_resolver().url_patterns, "", []):
        if name not in seen:
            seen.add(name)
            yield name, route, params


def url_kwargs(name: str, route: str, params: list[str], demo: Demo) -> dict[str, Any] | None:
    """The arguments of one URL; a page of a version (version/<int:pk>/…) needs no entry in ARGS."""
    if not params:
        return None
    if name in ARGS:
        return ARGS[name](demo)
    if params == ["pk"] and route.startswith("version/<int:pk>/"):
        return {"pk": demo.version.pk}
    raise KeyError(name)


def demo_objects() -> Demo:
    from lsoplan.accounts.models import Organisation
    from lsoplan.checks.models import CheckRun, Distribution
    from lsoplan.conditions.models import Risk
    from lsoplan.demo.content import ORG_SLUG
    from lsoplan.evaluation.models import CostBenefitAnalysis, Evaluation, ImprovementAction, Survey
    from lsoplan.goals.models import Indicator, PerformanceGoal, SafetyGoal
    from lsoplan.incidents.models import ImportBatch
    from lsoplan.programmes.models import Chapter, Programme
    from lsoplan.programmes.services import current_version

    org = Organisation.objects.get(slug=ORG_SLUG)
    programme = Programme.objects.filter(organisation=org).order_by("pk").first()
    assert programme is not None, "the demo has no programme"
    version = current_version(programme)

    def first(model: Any, **where: Any) -> Any:
        return model.objects.filter(organisation=org, **where).order_by("pk").first()

    return Demo(
        {
            "programme": programme,
            "version": version,
            "chapter": first(Chapter, version=version),
            "risk": first(Risk, version=version),
            "safety_goal": first(SafetyGoal, version=version),
            "performance_goal": first(PerformanceGoal, version=version),
            "indicator": first(Indicator, version=version),
            "batch": first(ImportBatch),
            "evaluation": first(Evaluation),
            "action": first(ImprovementAction),
            "survey": first(Survey),
            "analysis": first(CostBenefitAnalysis),
            "check_run": first(CheckRun),
            "distribution": first(Distribution),
        }
    )


def _run_checks_once() -> None:
    """The demo has no saved egenkontroll run; one through the service, as the page's button does."""
    from lsoplan.audit.services import Actor
    from lsoplan.checks import services
    from lsoplan.checks.models import CheckRun

    if not CheckRun.objects.exists():
        services.run_checks(Actor(None, "bench_pages"), demo_objects().version)


@dataclass
class Result:
    name: str
    path: str
    status: int
    cpu_ms: float
    wall_ms: float
    queries: float
    cold_cpu_ms: float = float("nan")
    cold_queries: float = float("nan")


def measure(
    client: Any, path: str, repeats: int, before: Callable[[], None] | None = None
) -> tuple[int, float, float, float]:
    """Medians of processor ms, wall ms and queries; ``before`` runs ahead of each request, untimed."""
    from django.db import connection

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    cpu, wall, queries = [], [], []
    status = 0
    with connection.execute_wrapper(counter):
        for _ in range(repeats):
            if before is not None:
                before()
            count[0] = 0
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            queries.append(count[0])
            status = response.status_code
    return status, statistics.median(cpu), statistics.median(wall), statistics.median(queries)


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "okänd"
    return head + (
        " (med ändringar som inte är incheckade)" if git("status", "--porcelain", "--", "src") else ""
    )


def write_markdown(
    results: list[Result], skipped: list[tuple[str, str]], output: Path, repeats: int, setup_s: float
) -> None:
    import django

    ok = [r for r in results if r.status == 200]
    cpu = [r.cpu_ms for r in ok]
    cold = [r.cold_cpu_ms for r in ok]
    median = statistics.median(cpu) if cpu else float("nan")
    worst = max(cpu) if cpu else float("nan")
    lines = [
        "# Page cost: processor time and queries per page (issue 19)",
        "",
        f"Measured {datetime.date.today().isoformat()} at commit {_commit()} by `benchmarks/bench_pages.py`:",
        f"the demo organisation (SQLite, built by the demo loader in {setup_s:.0f} s), each page as the",
        "redaktör `planerare` through Django's test client in one process, one warm-up request and then",
        f"the median of {repeats}. Processor time is `time.process_time()` of the request (the steadier",
        "figure on a shared machine); queries are counted with a connection execute wrapper.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},",
        f"Django {django.get_version()}.",
        "",
        f"**{len(ok)} pages: median {median:.1f} ms processor time (target ≤ {TARGET_MEDIAN_MS:.0f} ms), "
        f"highest {worst:.1f} ms (target ≤ {TARGET_MAX_MS:.0f} ms); "
        f"{sum(c > TARGET_MAX_MS for c in cpu)} pages above {TARGET_MAX_MS:.0f} ms, "
        f"{sum(c > TARGET_MEDIAN_MS for c in cpu)} above {TARGET_MEDIAN_MS:.0f} ms.**",
        "",
        f"Cold (the first request after a write, which computes what the warm ones read from the cache): "
        f"median {statistics.median(cold) if cold else float('nan'):.1f} ms, highest "
        f"{max(cold) if cold else float('nan'):.1f} ms.",
        "",
        "| page (URL name) | path | status | processor ms | wall ms | queries | cold ms | cold queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(results, key=lambda r: (-r.cpu_ms, r.name)):
        lines.append(
            f"| {r.name} | `{r.path}` | {r.status} | {r.cpu_ms:.1f} | {r.wall_ms:.1f} | {r.queries:.0f} "
            f"| {r.cold_cpu_ms:.1f} | {r.cold_queries:.0f} |"
        )
    if skipped:
        lines += ["", "Not measured:", ""]
        lines += [f"- {name}: {why}" for name, why in sorted(skipped)]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args, _ = parser.parse_known_args(argv)  # run_all.py passes its extra arguments to every script

    home = tempfile.mkdtemp(prefix="lsoplan-bench-pages-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "LSOPLAN_HOME": home,
            "DJANGO_SETTINGS_MODULE": "lsoplan.settings",
            "LSOPLAN_OFFLINE": "1",
            # The test client's host; not setup_test_environment(), whose instrumented template
            # rendering would add to every page's cost.
            "ALLOWED_HOSTS": "testserver",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # no "Method Not Allowed" lines
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from lsoplan.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    setup_s = time.perf_counter() - started
    _run_checks_once()
    demo = demo_objects()
    from lsoplan.audit import dataversion

    def write() -> None:
        dataversion.bump(demo.programme.organisation_id)

    client = Client()
    client.force_login(get_user_model().objects.get(username="planerare"))

    results: list[Result] = []
    skipped: list[tuple[str, str]] = []
    for name, route, params in url_patterns():
        if name in SKIP:
            skipped.append((name, SKIP[name]))
            continue
        try:
            kwargs = url_kwargs(name, route, params, demo)
        except KeyError:
            skipped.append((name, "okända argument: lägg till sidan i ARGS"))
            continue
        except LookupError as exc:
            skipped.append((name, str(exc)))
            continue
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            skipped.append((name, "argumenten i ARGS passar inte längre: rätta dem"))
            continue
        # Warm-up: templates compiled and caches filled, as on a running server.
        warm = client.get(path)
        if warm.status_code == 405:
            skipped.append((name, "bara POST"))
            continue
        if not warm.get("Content-Type", "").startswith("text/html") and warm.status_code == 200:
            skipped.append((name, f"inte en sida ({warm['Content-Type']})"))
            continue
        status, cpu_ms, wall_ms, queries = measure(client, path, args.repeats)
        # Cold: the first request after a write (the organisation's data version bumped before
        # each request, as any write does), which computes what the warm requests read.
        _, cold_ms, _, cold_q = measure(client, path, args.repeats, before=write)
        results.append(Result(name, path, status, cpu_ms, wall_ms, queries, cold_ms, cold_q))
        print(
            f"{cpu_ms:8.1f} ms {queries:5.0f} q  cold {cold_ms:8.1f} ms {cold_q:4.0f} q  {status}  {name}",
            flush=True,
        )
    write_markdown(results, skipped, args.output, args.repeats, setup_s)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
