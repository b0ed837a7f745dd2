"""Every failure under /api/ is Swedish JSON with a stable code; reads carry ETags."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client

from tests.api.support import api, new_token
from tests.factories import World

pytestmark = pytest.mark.django_db


def _error(response: object, status: int, code: str) -> bool:
    body = response.json()  # type: ignore[attr-defined]
    return (
        response.status_code == status and body["code"] == code and set(body) == {"code", "message", "field"}
    )  # type: ignore[attr-defined]


def test_an_unknown_address_under_api_is_json_404(world: World) -> None:
    response = api(new_token(world.editor, world)).get("/api/v1/finns-inte")
    assert response["Content-Type"].startswith("application/json")
    assert _error(response, 404, "finns_inte")


def test_a_method_not_allowed_is_json_405(world: World) -> None:
    response = api(new_token(world.editor, world)).post("/api/v1/programmes", {})
    assert _error(response, 405, "metod_ej_tillaten")
    assert "GET" in response["Allow"]


def test_a_body_over_the_limit_is_json_413(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_API_MAX_BODY_BYTES = 100
    client = api(new_token(world.editor, world, "write"))
    response = client.post(f"/api/v1/indicators/{world.indicator.pk}/measurements", {"note": "x" * 200})
    assert _error(response, 413, "for_stor")


def test_too_many_calls_with_one_token_is_json_429(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_API_RATE = 2
    client = api(new_token(world.editor, world))
    assert [client.get("/api/v1/programmes").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/programmes")
    assert _error(response, 429, "for_manga_anrop")
    assert int(response["Retry-After"]) >= 1


def test_another_token_has_its_own_limit(world: World, settings: LazySettings) -> None:
    settings.LSOPLAN_API_RATE = 1
    api(new_token(world.editor, world, name="a")).get("/api/v1/programmes")
    assert api(new_token(world.editor, world, name="b")).get("/api/v1/programmes").status_code == 200


def test_a_server_error_is_json_500_without_a_traceback(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_: object) -> dict:
        raise RuntimeError("hemligt internt tillstånd")

    monkeypatch.setattr("lsoplan.api.content.programme_out", broken)
    response = api(new_token(world.editor, world)).get(f"/api/v1/programmes/{world.programme.pk}")
    assert _error(response, 500, "internt_fel")
    assert b"Traceback" not in response.content and b"hemligt" not in response.content


def test_a_bad_parameter_names_its_field_in_swedish(world: World) -> None:
    response = api(new_token(world.editor, world)).get("/api/v1/risks", page_size="många")
    assert _error(response, 422, "ogiltigt_varde")
    assert response.json()["field"] == "page_size"
    assert response.json()["message"] == "Ange ett heltal."


def test_a_body_that_is_not_json_is_400(world: World) -> None:
    token = new_token(world.editor, world, "write")
    response = Client().post(
        f"/api/v1/indicators/{world.indicator.pk}/measurements",
        "{inte json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert _error(response, 400, "felaktig_begaran")


def test_a_session_login_does_not_open_the_api(editor: Client) -> None:
    response = editor.get("/api/v1/programmes")
    assert _error(response, 401, "nyckel_saknas")


def test_an_unchanged_list_answers_304_to_its_etag(world: World) -> None:
    client = api(new_token(world.editor, world))
    first = client.get("/api/v1/risks")
    again = client.get("/api/v1/risks", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_write_changes_the_etag(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    before = client.get("/api/v1/measurements")["ETag"]
    client.post(f"/api/v1/indicators/{world.indicator.pk}/measurements", {"year": 2021, "value": 20})
    assert client.get("/api/v1/measurements", headers={"If-None-Match": before}).status_code == 200


def test_lists_are_paginated(world: World) -> None:
    body = api(new_token(world.editor, world)).get("/api/v1/measurements", page_size=2, page=2).json()
    assert (body["count"], body["page"], len(body["items"])) == (5, 2, 2)
    assert [m["year"] for m in body["items"]] == [2018, 2019]


def test_lists_filter_by_version(world: World) -> None:
    client = api(new_token(world.editor, world))
    assert client.get("/api/v1/risks", version=world.version.pk).json()["count"] == 1
    assert client.get("/api/v1/risks", version=world.version.pk + 10_000).json()["count"] == 0


def test_the_openapi_document_needs_no_token() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")


def test_a_body_past_djangos_own_limit_is_json_413(world: World, settings: LazySettings) -> None:
    # Within the API's limit but past Django's own (as a chunked body without Content-Length would be).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50
    client = api(new_token(world.editor, world, "write"))
    response = client.post(f"/api/v1/indicators/{world.indicator.pk}/measurements", {"note": "x" * 200})
    assert _error(response, 413, "for_stor")


def test_a_token_write_needs_no_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/indicators/{world.indicator.pk}/measurements",
        {"year": 2021, "value": 20},
        content_type="application/json",
        headers={"Authorization": f"Bearer {new_token(world.editor, world, 'write')}"},
    )
    assert response.status_code == 201


def test_a_nul_character_in_a_filter_is_refused_not_a_server_error(world: World) -> None:
    # PostgreSQL refuses NUL in a string; schemathesis found it as a 500 there.
    response = api(new_token(world.editor, world)).get("/api/v1/public-statistics", municipality="04\x0084")
    assert _error(response, 422, "ogiltigt_varde")
    assert response.json()["field"] == "municipality"


def test_a_nul_character_in_a_status_note_is_refused(world: World) -> None:
    client = api(new_token(world.editor, world, "write"))
    body = {"year": 2025, "status": "pagaende", "note": "a\x00b"}
    response = client.post(f"/api/v1/measures/{world.measure.pk}/status", body)
    assert _error(response, 422, "ogiltigt_varde")
    assert response.json()["field"] == "note"
