"""Every importer, fuzzed: whatever the input, the answer is a clear error or a clean import, and a
rejected file stores nothing. Importers not built yet are skipped until their module exists."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsoplan.accounts.models import Organisation, OrgOwned
from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.programmes.exchange import ProgrammeFileError
from lsoplan.programmes.exchange_export import export_version
from lsoplan.programmes.exchange_import import import_programme, parse
from tests.factories import World, build_world

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACTOR = Actor(None, "fuzz")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def uppsala(db: None) -> World:
    """An organisation with the example incident file's municipality (0380 Uppsala)."""
    return build_world("uppsala", ["0380"])


def _stored(org: Organisation) -> dict[str, int]:
    counts = {
        m._meta.label_lower: m._default_manager.filter(organisation=org).count()
        for m in apps.get_models()
        if issubclass(m, OrgOwned)
    }
    counts["audit"] = AuditEntry.objects.filter(organisation=org).count()
    return counts


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document: keys of objects and positions of lists."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


def _mutate(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    if not path:
        return value
    doc = copy.deepcopy(data)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent.insert(last, value)
    return doc


def _import_or_reject(raw: bytes, org: Organisation) -> None:
    before = _stored(org)
    try:
        import_programme(parse(raw), org, ACTOR)
    except ProgrammeFileError as exc:
        assert exc.problems, "a rejection names at least one problem"
        assert all(p.path.startswith("$") and p.message for p in exc.problems)
        assert _stored(org) == before, "a rejected file stored something"


@given(raw=st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_programme_parser_on_any_bytes(raw: bytes) -> None:
    try:
        parse(raw)
    except ProgrammeFileError as exc:
        assert exc.problems[0].path == "$"


@pytest.mark.django_db
@FUZZ
@given(value=json_values)
def test_programme_import_of_any_json(world: World, value: Any) -> None:
    _import_or_reject(json.dumps(value).encode(), world.org)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_programme_import_of_a_damaged_file(world: World, data: st.DataObject) -> None:
    valid = export_version(world.version)
    path = data.draw(st.sampled_from(_paths(valid)))
    how = data.draw(st.sampled_from(["replace", "delete", "insert"]) if path else st.just("replace"))
    damaged = _mutate(valid, path, how, data.draw(json_values))
    _import_or_reject(json.dumps(damaged, ensure_ascii=False).encode(), world.org)


# --- incident files (lsoplan.incidents) -------------------------------------------------------------

INCIDENT_EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "incidents-example.csv"
).read_bytes()
cells = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=25) | st.sampled_from(
    [
        "",
        ";",
        '"',
        "\n",
        "0380",
        "2024-13-45 25:61",
        "-1",
        "1e309",
        "NaN",
        "9" * 30,
        "Ö\x00",
        "=cmd|' /C calc'!A0",
    ]
)


def _damaged_csv(example: bytes, data: st.DataObject) -> bytes:
    """The example file with some cells replaced, rows dropped or doubled, or the header changed."""
    rows = [line.split(";") for line in example.decode("utf-8").splitlines()]
    for _ in range(data.draw(st.integers(1, 6))):
        r = data.draw(st.integers(0, len(rows) - 1))
        how = data.draw(st.sampled_from(["cell", "drop", "double", "cut"]))
        if how == "cell" and rows[r]:
            rows[r][data.draw(st.integers(0, len(rows[r]) - 1))] = data.draw(cells)
        elif how == "drop" and len(rows) > 1:
            del rows[r]
        elif how == "double":
            rows.insert(r, list(rows[r]))
        elif how == "cut" and rows[r]:
            rows[r] = rows[r][: data.draw(st.integers(0, len(rows[r])))]
    return "\n".join(";".join(row) for row in rows).encode(
        data.draw(st.sampled_from(["utf-8", "cp1252"])), "replace"
    )


def _incident_import(world: World, raw: bytes) -> None:
    from lsoplan.incidents.services import import_incidents

    before = _stored(world.org)
    outcome = import_incidents(ACTOR, world.org, raw, file_name="fuzz.csv")
    if not outcome.ok:
        assert outcome.problems, "a refused file names at least one problem"
        assert all(str(p) for p in outcome.problems)
        assert _stored(world.org) == before, "a refused incident file stored something"


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=400))
def test_incident_import_of_any_bytes(uppsala: World, raw: bytes) -> None:
    _incident_import(uppsala, raw)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_incident_import_of_a_damaged_file(uppsala: World, data: st.DataObject) -> None:
    _incident_import(uppsala, _damaged_csv(INCIDENT_EXAMPLE, data))


# --- citizens' surveys (lsoplan.evaluation) ------------------------------------------------------------

SURVEY_EXAMPLE = (
    "fråga;svarsalternativ;andel;antal_svarande\n"
    "Hur trygg känner du dig i din bostad?;Mycket trygg;45,3;812\n"
    "Hur trygg känner du dig i din bostad?;Ganska trygg;40,1;812\n"
    "Har du en fungerande brandvarnare?;Ja;91,0;790\n"
).encode()


def _survey_import(world: World, raw: bytes) -> None:
    from django.core.exceptions import ValidationError

    from lsoplan.evaluation.services import import_survey

    before = _stored(world.org)
    try:
        import_survey(ACTOR, world.org, name="Medborgarundersökning", year=2025, source="SCB", data=raw)
    except ValidationError as exc:
        assert exc.message_dict.get("file"), "a refused survey says what is wrong with the file"
        assert _stored(world.org) == before, "a refused survey stored something"


@pytest.mark.django_db
@FUZZ
@given(raw=st.binary(max_size=400))
def test_survey_import_of_any_bytes(world: World, raw: bytes) -> None:
    _survey_import(world, raw)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_survey_import_of_a_damaged_file(world: World, data: st.DataObject) -> None:
    _survey_import(world, _damaged_csv(SURVEY_EXAMPLE, data))
