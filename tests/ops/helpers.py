"""Shared by the backup tests: a richer world, and every row of every model as plain data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core import serializers

from lsoplan.audit.services import Actor
from lsoplan.goals import services as goals
from lsoplan.ops.archive import archived_models
from lsoplan.programmes import services as programmes
from tests.factories import World

NATURAL = {"auth.user", "auth.group"}


def enrich(world: World) -> None:
    """Adopted version, a new draft copied from it (lineage, based_on, m2m) and a corrected value."""
    actor = Actor(world.editor, world.editor.username)
    programmes.adopt(
        actor, world.version, body="kommunfullmaktige", date=dt.date(2026, 11, 10), paragraph="§ 123"
    )
    programmes.new_draft(actor, world.version)
    goals.record_measurement(actor, world.indicator.series, year=2020, value=22.0, note="Rättat")


def every_row() -> dict[str, list[dict[str, Any]]]:
    """label → the model's rows (fields and many-to-many ids), ordered by primary key."""
    result = {}
    for info in archived_models():
        qs = info.model._default_manager.order_by("pk")
        rows = serializers.serialize("python", qs, use_natural_foreign_keys=info.label in NATURAL)
        if info.kind == "shared":
            # Reference rows are synced from files into every database; their ids may differ.
            rows = sorted(
                (r["fields"] for r in rows), key=lambda f: json.dumps(f, sort_keys=True, default=str)
            )
        result[info.label] = rows
    return result


def rows_of(snapshot: dict[str, list[dict[str, Any]]], org_pk: int) -> dict[str, list[dict[str, Any]]]:
    """Only the organisation's own rows (what an organisation archive must bring back exactly)."""
    out = {}
    for label, rows in snapshot.items():
        if label == "accounts.organisation":
            out[label] = [r for r in rows if r["pk"] == org_pk]
        elif rows and "fields" in rows[0] and "organisation" in rows[0]["fields"]:
            out[label] = [r for r in rows if r["fields"]["organisation"] == org_pk]
    return out


def differences(after: dict[str, list[Any]], before: dict[str, list[Any]]) -> list[str]:
    """Readable differences, first few per model (pytest's dict diff hides them in the middle)."""
    out = []
    for label in sorted(set(before) | set(after)):
        a, b = after.get(label, []), before.get(label, [])
        if len(a) != len(b):
            out.append(f"{label}: {len(a)} rader, väntade {len(b)}")
            continue
        out += [f"{label}: {x} != {y}" for x, y in zip(a, b, strict=True) if x != y][:2]
    return out
