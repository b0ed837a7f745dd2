"""The programme file: export, import into another organisation, export again gives the same bytes;
a file with errors is rejected naming the JSON path and leaves the database untouched."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model

from lsoplan.audit import services as audit
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.cli import main
from lsoplan.conditions import services as conditions
from lsoplan.conditions.models import Capability, Risk, Vulnerability
from lsoplan.goals import services as goals
from lsoplan.goals.models import (
    Indicator,
    IndicatorSeries,
    Measure,
    Measurement,
    NationalGoal,
    PerformanceGoal,
    SafetyGoal,
)
from lsoplan.programmes import services as programmes
from lsoplan.programmes.exchange import schema_text
from lsoplan.programmes.exchange_export import dumps, export_version
from lsoplan.programmes.exchange_import import import_programme
from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion
from tests.factories import SYSTEM, World

DOCS = Path(__file__).resolve().parent.parent / "docs"
COUNTED: tuple[type[Model], ...] = (
    Programme,
    ProgrammeVersion,
    Chapter,
    Risk,
    Vulnerability,
    Capability,
    SafetyGoal,
    PerformanceGoal,
    Measure,
    Indicator,
    IndicatorSeries,
    Measurement,
    AuditEntry,
)


def enrich(w: World) -> None:
    """Add to the shared world what the file must carry: every kind of object and link."""
    editor = Actor(w.editor, w.editor.username)
    v = w.version
    flood = conditions.create_risk(
        SYSTEM,
        v,
        title="Fallolyckor bland äldre",
        custom_type="Fallolyckor",
        likelihood=5,
        consequence=2,
        order=2,
    )
    conditions.add_vulnerability(SYSTEM, flood, "Många äldre bor ensamma.")
    conditions.add_vulnerability(SYSTEM, w.risk, "Brandvarnare saknas i en tredjedel av hemmen.")
    conditions.add_capability(
        SYSTEM, v, kind="ledning", readiness="hojd_beredskap", description="Ledning dygnet runt"
    )
    sg2 = goals.create_safety_goal(
        SYSTEM,
        v,
        code="S2",
        text="Inga dödsfall i fallolyckor i hemmet.",
        order=1,
        national_goals=NationalGoal.objects.filter(key__in=["lso-1-1", "lso-1-3a"]),
        risks=[flood, w.risk],
    )
    goals.update_goal(SYSTEM, w.performance_goal, safety_goals=[w.safety_goal, sg2])
    goals.create_measure(
        SYSTEM,
        w.performance_goal,
        text="Utbildning för hemtjänsten",
        cost_once=120000,
        cost_yearly=15000,
        due_year=2028,
    )
    visits = goals.create_indicator(
        SYSTEM,
        w.performance_goal,
        name="Hembesök",
        unit="antal",
        direction="higher",
        source="manual",
        source_config={"anteckning": "räknas i verksamhetssystemet", "år": [2027, 2028]},
        target_value=400.0,
        target_year=2030,
    )
    # A second indicator on the same series: the file must not duplicate the measurements.
    goals.create_indicator(SYSTEM, sg2, name="Hembesök (delmål)", unit="antal", series=visits.series)
    goals.record_measurement(editor, visits.series, year=2025, value=350.0, vintage="preliminar")
    goals.record_measurement(editor, visits.series, year=2025, value=362.0, note="rättat efter årsbokslut")
    goals.record_measurement(SYSTEM, w.indicator.series, year=2020, value=22.0, source_ref="MCF 2021-03")
    chapter = Chapter.objects.filter(version=v).order_by("order").first()
    assert chapter is not None
    audit.update(SYSTEM, chapter, text="Kommunen har 24 000 invånare.\nRader med ”citat” och å, ä, ö.")
    programmes.send_to_consultation(
        SYSTEM, v, parties="Länsstyrelsen; grannkommunerna", date_from=dt.date(2026, 9, 1), date_to=None
    )
    programmes.adopt(SYSTEM, v, body="forbundsdirektion", date=dt.date(2026, 11, 10), paragraph="§ 45")


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}  # type: ignore[attr-defined]


def exported(programme: Programme) -> str:
    return dumps(export_version(programmes.current_version(programme)))


@pytest.fixture
def rich(world: World) -> World:
    enrich(world)
    return world


@pytest.mark.django_db
def test_export_import_export_is_byte_identical(rich: World, other_world: World) -> None:
    first = exported(rich.programme)
    result = import_programme(json.loads(first), other_world.org, Actor(None, "import:test.json"))
    assert result.programme.organisation == other_world.org
    assert result.unknown_users == []
    assert exported(result.programme) == first


@pytest.mark.django_db
def test_file_content(rich: World) -> None:
    text = exported(rich.programme)
    data = json.loads(text)
    assert text.endswith("}\n") and "å, ä, ö" in text  # ensure_ascii=False
    assert (data["format"], data["format_version"]) == ("lsoplan-programme", 2)
    assert data["version"]["status"] == "antagen"
    assert data["version"]["adopted_paragraph"] == "§ 45"
    assert data["version"]["consultation_from"] == "2026-09-01"
    assert [r["ref"] for r in data["risks"]] == ["risk-1", "risk-2"]
    assert [r["event_type"] for r in data["risks"]] == [1, None]
    assert data["safety_goals"][1]["national_goals"] == ["lso-1-1", "lso-1-3a"]
    assert data["safety_goals"][1]["risks"] == ["risk-1", "risk-2"]
    assert data["performance_goals"][0]["safety_goals"] == ["sg-1", "sg-2"]
    assert data["performance_goals"][0]["measures"][1]["cost_once"] == 120000
    # Two indicators share one series, which appears once with all its rows.
    assert [s["ref"] for s in data["series"]] == ["series-1", "series-2"]
    visits = data["series"][1]["measurements"]
    assert [(m["value"], m["replaced_at"] is None, m["entered_by"]) for m in visits] == [
        (350.0, False, "alfa-redaktor"),
        (362.0, True, "alfa-redaktor"),
    ]
    assert visits[1]["entered_at"].endswith("Z")
    assert "id" not in text.replace('"', " ").split()  # no database ids, no lineage
    assert "lineage" not in text


@pytest.mark.django_db
def test_cli_round_trip_and_audit(rich: World, other_world: World, tmp_path: Path, capsys: Any) -> None:
    first, second = tmp_path / "program.json", tmp_path / "igen.json"
    assert main(["export", str(rich.programme.pk), "-o", str(first)]) == 0
    assert main(["import", str(first), "--org", other_world.org.slug]) == 0
    out = capsys.readouterr().out
    assert "Importerade" in out and "2 risker" in out and "8 mätvärden" in out
    new = Programme.objects.filter(organisation=other_world.org).order_by("-id").first()
    assert new is not None and new.pk != other_world.programme.pk
    assert main(["export", str(new.pk), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    entries = AuditEntry.objects.filter(actor_label="import:program.json", organisation=other_world.org)
    models = set(entries.values_list("model", flat=True))
    assert {"programmes.programme", "conditions.risk", "goals.safetygoal", "goals.measurement"} <= models
    # The status is set last, as an update, so the trail shows content first and adoption after.
    assert entries.filter(model="programmes.programmeversion", action="update").exists()


@pytest.mark.django_db
def test_export_picks_version(rich: World, tmp_path: Path) -> None:
    programmes.new_draft(SYSTEM, rich.version)
    out = tmp_path / "v.json"
    assert main(["export", str(rich.programme.pk), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["version"]["number"] == 2
    assert main(["export", str(rich.programme.pk), "--version", "1", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["version"]["status"] == "antagen"
    assert main(["export", str(rich.programme.pk), "--version", "7", "-o", str(out)]) == 2
    assert main(["export", "999999", "-o", str(out)]) == 2


@pytest.mark.django_db
def test_unknown_user_is_left_empty(rich: World, other_world: World) -> None:
    data = json.loads(exported(rich.programme))
    data["series"][1]["measurements"][0]["entered_by"] = "finns-inte"
    result = import_programme(data, other_world.org, Actor(None, "import:x.json"))
    assert result.unknown_users == ["finns-inte"]
    rows = Measurement.objects.filter(organisation=other_world.org, year=2025).order_by("entered_at", "id")
    assert [m.entered_by for m in rows] == [None, rich.editor]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets ``value`` at a dotted path with [i] indexes, e.g. "risks[0].title"."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.replace("]", "").replace("[", ".").split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _drop(path: str, key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path.replace("]", "").replace("[", ".").split("."):
            target = target[int(part)] if part.isdigit() else target[part]
        del target[key]

    return mutate


def _duplicate_current(data: dict[str, Any]) -> None:
    rows = data["series"][0]["measurements"]
    rows.append(copy.deepcopy(rows[-1]))


REJECTED = [
    (_set("safety_goals[1].risks[0]", "risk-9"), '$.safety_goals[1].risks[0]: okänd referens "risk-9"'),
    (
        _set("performance_goals[0].safety_goals[1]", "sg-7"),
        "$.performance_goals[0].safety_goals[1]: okänd referens",
    ),
    (_set("capabilities[1].risk", "risk-3"), '$.capabilities[1].risk: okänd referens "risk-3"'),
    (
        _set("safety_goals[0].national_goals[0]", "lso-9-9"),
        "$.safety_goals[0].national_goals[0]: okänt nationellt",
    ),
    (_set("risks[0].event_type", 10), "$.risks[0].event_type: okänd händelsetyp 10"),
    (_set("risks[1].likelihood", 6), "$.risks[1].likelihood: sannolikheten ska vara mellan 1 och 5"),
    (_set("risks[1].ref", "risk-1"), '$.risks[1].ref: referensen "risk-1" används redan'),
    (_set("risks[1].custom_type", " "), "$.risks[1]: ange en händelsetyp"),
    (
        _set("safety_goals[0].indicators[0].series", "series-5"),
        "$.safety_goals[0].indicators[0].series: okänd",
    ),
    (_set("version.adopted_on", "2026-02-30"), '$.version.adopted_on: "2026-02-30" är inget giltigt datum'),
    (_set("version.adopted_paragraph", ""), "$.version.adopted_paragraph: krävs när status är antagen"),
    (_set("programme.period_end", 2020), "$.programme.period_end: sista år kan inte ligga före första år"),
    (_duplicate_current, "$.series[0].measurements[6]: det finns redan ett gällande värde för 2020"),
    # Schema errors, in Swedish, with their paths.
    (_set("format_version", 3), "$.format_version: ska vara något av 1, 2"),
    (
        _set("safety_goals[0].indicators[0].target_kind", "ungefär"),
        "$.safety_goals[0].indicators[0].target_kind: ska vara något av",
    ),
    (_set("risks[0].likelihood", "hög"), "$.risks[0].likelihood: ska vara ett heltal"),
    (_set("risks[0].ref", "r1"), '$.risks[0].ref: ska vara en referens som "risk-1"'),
    (
        _set("version.status", "klar"),
        '$.version.status: ska vara något av "utkast", "remiss", "antagen", "ersatt"',
    ),
    (_drop("safety_goals[0]", "text"), '$.safety_goals[0]: saknar "text"'),
    (_set("safety_goals[0].extra", 1), '$.safety_goals[0]: okänt fält "extra"'),
    (
        _set("series[1].measurements[0].entered_at", "2027-01-01 10:00"),
        "$.series[1].measurements[0].entered_at",
    ),
    (_set("risks[0].title", "x" * 201), "$.risks[0].title: får vara högst 200 tecken"),
    # Found by the fuzz test on PostgreSQL, which cannot store NUL in text.
    (_set("risks[0].title", "Brand\u0000"), "$.risks[0].title: texten innehåller styrtecken"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("mutate", "expected"), REJECTED, ids=[e for _, e in REJECTED])
def test_bad_file_is_rejected_and_nothing_written(
    rich: World,
    other_world: World,
    tmp_path: Path,
    capsys: Any,
    mutate: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    data = json.loads(exported(rich.programme))
    mutate(data)
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = counts()
    assert main(["import", str(path), "--org", other_world.org.slug]) == 1
    err = capsys.readouterr().err
    assert "lsoplan: avvisad: fel.json:" in err and "ingenting har importerats" in err
    assert expected in err
    assert counts() == before


@pytest.mark.django_db
def test_unreadable_and_usage_errors(rich: World, tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "ok.json"
    good.write_text(exported(rich.programme), encoding="utf-8")
    not_json = tmp_path / "trasig.json"
    not_json.write_text('{"format": "lsoplan-programme",', encoding="utf-8")
    nan = tmp_path / "nan.json"
    nan.write_text(exported(rich.programme).replace('"value": 22.0', '"value": NaN'), encoding="utf-8")
    before = counts()
    assert main(["import", str(tmp_path / "saknas.json"), "--org", rich.org.slug]) == 2
    assert main(["import", str(tmp_path), "--org", rich.org.slug]) == 2  # a directory
    assert main(["import", str(good), "--org", "finns-inte"]) == 2
    assert main(["import", str(good)]) == 2  # --org is required
    # Read but not JSON: a file with errors, exit 1, with line and column.
    assert main(["import", str(not_json), "--org", rich.org.slug]) == 1
    assert "$: ogiltig JSON på rad 1" in capsys.readouterr().err
    assert main(["import", str(nan), "--org", rich.org.slug]) == 1
    assert "NaN" in capsys.readouterr().err
    assert counts() == before


@pytest.mark.django_db
def test_check_only_writes_nothing(rich: World, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "ok.json"
    path.write_text(exported(rich.programme), encoding="utf-8")
    before = counts()
    assert main(["import", str(path), "--org", rich.org.slug, "--check"]) == 0
    assert "inga fel" in capsys.readouterr().out
    assert counts() == before


@pytest.mark.django_db
def test_imported_adopted_version_is_frozen(rich: World, other_world: World) -> None:
    result = import_programme(json.loads(exported(rich.programme)), other_world.org, Actor(None, "import:t"))
    assert result.version.is_frozen
    assert (result.version.adopted_body, result.version.adopted_on) == (
        "forbundsdirektion",
        dt.date(2026, 11, 10),
    )


def test_schema_document_matches_code() -> None:
    # The schema is built from the models; docs/programme-file.md says how to regenerate the copy.
    assert (DOCS / "programme-file.schema.json").read_text(encoding="utf-8") == schema_text()


@pytest.mark.django_db
def test_a_version_1_file_imports_with_target_semantics_read_from_the_goal_text(
    rich: World, other_world: World
) -> None:
    data = json.loads(exported(rich.programme))
    data["format_version"] = 1
    for goal in data["safety_goals"] + data["performance_goals"]:
        for indicator in goal["indicators"]:
            for key in ("target_kind", "target_window_start", "target_window_end", "indicator_kind"):
                del indicator[key]
    data["performance_goals"][0]["text"] = "Minst 400 hembesök per år 2027–2030."
    result = import_programme(data, other_world.org, Actor(None, "import:v1.json"))
    imported = Indicator.objects.get(version=result.version, performance_goal__isnull=False)
    assert (imported.target_kind, imported.target_window_start, imported.target_window_end) == (
        "every_year",
        2027,
        2030,
    )
    assert imported.indicator_kind == "prestation"
