"""Every API operation, read from the OpenAPI document, with a token of each persona.

The list of operations comes from the document itself, so a new resource that is not given an
object and a body here fails the completeness test instead of escaping the checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lsoplan.api.main import api as ninja_api
from lsoplan.api.models import IncidentImportJob
from lsoplan.audit import services as audit
from lsoplan.audit.models import AuditEntry
from lsoplan.goals.models import Measurement
from tests.api.support import api, expired_token, new_token, reader_write_token, revoked_token
from tests.factories import SYSTEM, World

DOCUMENT = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = sorted((method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item)
READS = [op for op in OPERATIONS if op[0] == "GET"]
WRITES = [op for op in OPERATIONS if op[0] != "GET"]

SMALL_FILE = (
    b"handelse_id;kommun;handelsetyp;larm_tid;framme_tid;omrade\n"
    b"A-1;0484;1;2024-03-05 14:22;2024-03-05 14:31;Centrum\n"
)


def _measurement(w: World) -> int:
    return Measurement.objects.get(series=w.indicator.series, year=2020, replaced_at__isnull=True).pk


def _job(w: World) -> int:
    job = audit.create(
        SYSTEM,
        IncidentImportJob,
        organisation=w.org,
        actor_label="api:test",
        file_name="h.csv",
        upload="0" * 64,
        created_at=w.org.created_at,
    )
    return job.pk


# The object each path's {id} names, in a World.
IDS: dict[str, Callable[[World], int]] = {
    "/api/v1/programmes/{id}": lambda w: w.programme.pk,
    "/api/v1/versions/{id}": lambda w: w.version.pk,
    "/api/v1/risks/{id}": lambda w: w.risk.pk,
    "/api/v1/safety-goals/{id}": lambda w: w.safety_goal.pk,
    "/api/v1/performance-goals/{id}": lambda w: w.performance_goal.pk,
    "/api/v1/indicators/{id}": lambda w: w.indicator.pk,
    "/api/v1/indicators/{id}/measurements": lambda w: w.indicator.pk,
    "/api/v1/measures/{id}": lambda w: w.measure.pk,
    "/api/v1/measures/{id}/status": lambda w: w.measure.pk,
    "/api/v1/measurements/{id}": _measurement,
    "/api/v1/measurements/{id}/correction": _measurement,
    "/api/v1/incident-imports/{id}": _job,
}
# A valid body for every write.
BODIES: dict[tuple[str, str], Callable[[], Any]] = {
    ("POST", "/api/v1/indicators/{id}/measurements"): lambda: {"year": 2021, "value": 22},
    ("POST", "/api/v1/measurements/{id}/correction"): lambda: {"value": 24.0, "vintage": "slutlig"},
    ("DELETE", "/api/v1/measurements/{id}"): lambda: None,
    ("PATCH", "/api/v1/measures/{id}"): lambda: {"owner": "Räddningschefen", "cost_yearly": 150000},
    ("POST", "/api/v1/measures/{id}/status"): lambda: {"year": 2025, "status": "pagaende", "note": "Igång"},
    ("POST", "/api/v1/incident-imports"): lambda: {"file": SimpleUploadedFile("h.csv", SMALL_FILE)},
}
# Query parameters a read needs to answer 200.
QUERY: dict[str, Callable[[World], str]] = {
    "/api/v1/followup": lambda w: f"?programme={w.programme.pk}",
}


def url(path: str, w: World) -> str:
    if "{id}" in path:
        path = path.replace("{id}", str(IDS[path](w)))
    return path


def read_url(path: str, w: World) -> str:
    return url(path, w) + (QUERY[path](w) if path in QUERY else "")


def request(op: tuple[str, str], w: World) -> tuple[str, str, Any]:
    """Method, URL and body; building them may create the object named (before any count)."""
    method, path = op
    body = BODIES[op]() if op in BODIES else None
    return method, read_url(path, w) if method == "GET" else url(path, w), body


def call(token: str | None, op: tuple[str, str], w: World) -> Any:
    return api(token).call(*request(op, w))


def test_every_operation_has_an_object_and_a_body() -> None:
    assert {p for _, p in OPERATIONS if "{" in p} - set(IDS) == set()
    assert set(WRITES) - set(BODIES) == set()


def _is_json_error(response: Any, status: int) -> bool:
    body = response.json()
    return response.status_code == status and set(body) == {"code", "message", "field"}


@pytest.mark.django_db
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: " ".join(op))
def test_no_token_gets_401(op: tuple[str, str], world: World) -> None:
    response = call(None, op, world)
    assert _is_json_error(response, 401)
    assert response.json()["code"] == "nyckel_saknas"


@pytest.mark.django_db
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: " ".join(op))
def test_revoked_token_gets_401(op: tuple[str, str], world: World) -> None:
    response = call(revoked_token(world), op, world)
    assert _is_json_error(response, 401)
    assert response.json()["code"] == "nyckel_aterkallad"


@pytest.mark.django_db
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: " ".join(op))
def test_expired_token_gets_401(op: tuple[str, str], world: World) -> None:
    response = call(expired_token(world), op, world)
    assert _is_json_error(response, 401)
    assert response.json()["code"] == "nyckel_utgangen"


@pytest.mark.django_db
@pytest.mark.parametrize("op", [op for op in OPERATIONS if "{id}" in op[1]], ids=lambda op: " ".join(op))
def test_another_organisations_object_is_404(op: tuple[str, str], world: World, other_world: World) -> None:
    token = new_token(other_world.editor, other_world, "write")
    prepared = request(op, world)
    before = AuditEntry.objects.filter(organisation=world.org).count()
    response = api(token).call(*prepared)
    assert _is_json_error(response, 404)
    assert AuditEntry.objects.filter(organisation=world.org).count() == before


LISTS_BY_PROGRAMME = [
    op
    for op in READS
    if any(p["name"] == "programme" for p in DOCUMENT["paths"][op[1]]["get"].get("parameters", []))
]


@pytest.mark.django_db
@pytest.mark.parametrize("op", LISTS_BY_PROGRAMME, ids=lambda op: " ".join(op))
def test_another_organisations_programme_lists_nothing(
    op: tuple[str, str], world: World, other_world: World
) -> None:
    token = new_token(other_world.editor, other_world, "read")
    response = api(token).get(f"{op[1]}?programme={world.programme.pk}")
    assert response.status_code == 404 or response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("op", READS, ids=lambda op: " ".join(op))
def test_member_read_token_reads(op: tuple[str, str], world: World) -> None:
    response = call(new_token(world.editor, world, "read"), op, world)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("op", READS, ids=lambda op: " ".join(op))
def test_reader_read_token_reads(op: tuple[str, str], world: World) -> None:
    assert call(new_token(world.reader, world, "read"), op, world).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("op", WRITES, ids=lambda op: " ".join(op))
def test_read_token_cannot_write(op: tuple[str, str], world: World) -> None:
    token = new_token(world.editor, world, "read")
    prepared = request(op, world)
    before = AuditEntry.objects.count()
    response = api(token).call(*prepared)
    assert _is_json_error(response, 403)
    assert response.json()["code"] == "endast_lasning"
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", WRITES, ids=lambda op: " ".join(op))
def test_reader_with_a_write_token_cannot_write(op: tuple[str, str], world: World) -> None:
    token = reader_write_token(world)
    prepared = request(op, world)
    before = AuditEntry.objects.count()
    response = api(token).call(*prepared)
    assert _is_json_error(response, 403)
    assert response.json()["code"] == "behorighet_saknas"
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("op", WRITES, ids=lambda op: " ".join(op))
def test_member_write_token_writes_audited_as_the_token(op: tuple[str, str], world: World) -> None:
    token = new_token(world.editor, world, "write", name="Stratsys")
    response = call(token, op, world)
    assert response.status_code in (200, 201, 202), response.content
    assert AuditEntry.objects.filter(organisation=world.org, actor_label="api:Stratsys").exists()
