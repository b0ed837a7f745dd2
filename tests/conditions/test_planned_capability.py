"""Planned capability beside the present one (MSBFS 2021:1 3 §: actual and expected conditions)."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lsoplan.audit.models import AuditEntry
from lsoplan.audit.services import Actor
from lsoplan.conditions.models import Capability
from lsoplan.programmes import services as programmes
from lsoplan.programmes.exchange_export import dumps, export_version
from lsoplan.programmes.exchange_import import import_programme
from lsoplan.reports.services import produce
from lsoplan.web.editing import registry
from tests.factories import SYSTEM, World
from tests.reports.helpers import find_table, open_docx, table_text

pytestmark = pytest.mark.django_db

PLANNED = "Rökdykning inom 8 minuter i hela Eskilstuna tätort från 2028"
CAPABILITY = registry()["capability"]


def _form(world: World, **extra: str) -> dict[str, str]:
    return {
        "risk": str(world.risk.pk),
        "kind": "olyckstyp",
        "readiness": "fred",
        "description": "Rökdykning inom 10 minuter",
        "resources": "Heltidsstyrka",
        **extra,
    }


def test_a_new_capability_stores_the_planned_capability_and_audits_it(world: World, editor: Client) -> None:
    url = reverse("capability_create", kwargs={"pk": world.version.pk})
    response = editor.post(url, _form(world, planned=PLANNED))
    assert response.status_code == 302
    created = Capability.objects.get(version=world.version, planned=PLANNED)
    entry = AuditEntry.objects.get(model="conditions.capability", object_id=str(created.pk), action="create")
    assert PLANNED in json.dumps(entry.changes, ensure_ascii=False)


def test_editing_a_capability_changes_the_planned_capability_in_the_audit_trail(
    world: World, editor: Client
) -> None:
    response = editor.post(CAPABILITY.edit_url(world.capability), _form(world, planned=PLANNED))
    assert response.status_code == 303
    world.capability.refresh_from_db()
    assert world.capability.planned == PLANNED
    entry = AuditEntry.objects.filter(model="conditions.capability", object_id=str(world.capability.pk))
    assert entry.filter(action="update", changes__planned=["", PLANNED]).exists()


def test_the_programme_document_has_a_planned_capability_column_with_the_value(world: World) -> None:
    world.capability.planned = PLANNED
    world.capability.save()
    document = open_docx(produce(world.version, "programme", "docx").content)
    rows = table_text(find_table(document, "Förmåga: "))
    header = rows[0]
    assert header[3:5] == ["Nuvarande förmåga", "Planerad förmåga"]
    assert [row[header.index("Planerad förmåga")] for row in rows[1:]] == [PLANNED]


def test_the_capability_list_has_the_planned_capability_beside_the_present(world: World) -> None:
    world.capability.planned = PLANNED
    world.capability.save()
    sheet = load_workbook(io.BytesIO(produce(world.version, "programme", "xlsx").content))["Förmåga"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][3:5] == ["Nuvarande förmåga", "Planerad förmåga"]
    assert rows[1][3:5] == ["Rökdykning inom 10 minuter", PLANNED]


def test_the_programme_file_carries_the_planned_capability_through_an_import(
    world: World, other_world: World
) -> None:
    world.capability.planned = PLANNED
    world.capability.save()
    data = export_version(programmes.current_version(world.programme))
    assert data["capabilities"][0]["planned"] == PLANNED
    result = import_programme(json.loads(dumps(data)), other_world.org, Actor(None, "import:test.json"))
    copied = Capability.objects.get(version__programme=result.programme)
    assert copied.planned == PLANNED


def test_an_empty_planned_capability_is_left_out_of_the_programme_file(world: World) -> None:
    data = export_version(programmes.current_version(world.programme))
    assert "planned" not in data["capabilities"][0]


def test_a_new_draft_copies_the_planned_capability(world: World) -> None:
    world.capability.planned = PLANNED
    world.capability.save()
    world.version.status = "antagen"
    world.version.save()
    draft = programmes.new_draft(SYSTEM, world.version)
    assert Capability.objects.get(version=draft).planned == PLANNED
