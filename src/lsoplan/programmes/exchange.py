"""The programme file: one programme version as a versioned, documented JSON document.

The format is described in ``docs/programme-file.md`` (Swedish) and by the JSON Schema in
``docs/programme-file.schema.json``. The schema is built here from the model fields, so that text
limits and choice lists cannot drift from what the database accepts; a test checks that the file
under ``docs/`` is exactly ``schema_text()``. Writing lives in ``exchange_export``, reading and
validating in ``exchange_import``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import models

FORMAT = "lsoplan-programme"
FORMAT_VERSION = 2
# Versions a file may have: version 1 (before target semantics) is read with the indicators' target
# kind and indicator kind inferred from the goal texts, as when an indicator is created by hand.
READABLE_VERSIONS = (1, 2)

# Local references: a kind prefix and a 1-based position. The exporter numbers objects in their
# display order, so the same content always gets the same references.
REF_PREFIX = {"risk": "risk", "safety_goal": "sg", "performance_goal": "pg", "series": "series"}

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# Always UTC with a "Z": a file must not depend on the time zone of the machine that wrote it.
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"
SMALLINT_MAX = 32767  # PositiveSmallIntegerField's limit on every database Django supports
COST_LIMIT = 10**14 - 1  # Measure costs: DecimalField(max_digits=14, decimal_places=0)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON path such as ``$.risks[2].likelihood``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProgrammeFileError(Exception):
    """The file was read but cannot be imported; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:3]))


def ref_pattern(kind: str) -> str:
    return rf"^{REF_PREFIX[kind]}-[1-9][0-9]*$"


def format_datetime(value: dt.datetime) -> str:
    # Fixed six fraction digits: isoformat() drops them when zero, which would make the text
    # depend on the value in a way readers do not expect.
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def format_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- the schema --------------------------------------------------------------------------------


def _field(model: type[models.Model], name: str, *, nullable: bool = False) -> dict[str, Any]:
    """Schema for a text or choice field, with the limits the model itself enforces."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete field, not a reverse relation
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string"}
    if field.choices:
        values = [value for value, _label in field.choices]
        schema["enum"] = ([""] if field.blank else []) + values
        return schema
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    if not field.blank:
        schema["minLength"] = 1
    return schema


def _int(minimum: int = 0, maximum: int = SMALLINT_MAX, *, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": minimum, "maximum": maximum}


def _obj(
    properties: dict[str, Any], description: str = "", optional: dict[str, Any] | None = None
) -> dict[str, Any]:
    # Every key is required and no others are allowed: the exporter always writes all of them, and
    # a misspelt key in a hand-edited file must not be silently ignored. ``optional`` keys were
    # added later within the same format version; the exporter writes them only when they are set.
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties | (optional or {}),
        "required": sorted(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _refs(kind: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/ref_{kind}"}, "uniqueItems": True}


def build_schema() -> dict[str, Any]:
    from lsoplan.conditions.models import Capability, Risk, Vulnerability
    from lsoplan.goals.models import (
        Indicator,
        IndicatorSeries,
        Measure,
        Measurement,
        PerformanceGoal,
        SafetyGoal,
    )
    from lsoplan.programmes.models import Chapter, Programme, ProgrammeVersion

    date_or_null = {"type": ["string", "null"], "pattern": DATE_PATTERN}
    labels = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
    indicator = _obj(
        {
            "series": {"$ref": "#/$defs/ref_series"},
            "name": _field(Indicator, "name"),
            "unit": _field(Indicator, "unit"),
            "direction": _field(Indicator, "direction"),
            "normalisation": _field(Indicator, "normalisation"),
            "is_count": {"type": "boolean"},
            "source": _field(Indicator, "source"),
            "source_config": {"type": "object"},
            "baseline_value": {"type": ["number", "null"]},
            "baseline_start": _int(nullable=True),
            "baseline_end": _int(nullable=True),
            "target_value": {"type": ["number", "null"]},
            "target_year": _int(nullable=True),
            "target_kind": _field(Indicator, "target_kind"),
            "target_window_start": _int(nullable=True),
            "target_window_end": _int(nullable=True),
            "indicator_kind": _field(Indicator, "indicator_kind"),
        },
        "En indikator; mätvärdena finns i den serie som 'series' pekar på.",
        optional={"target_reason": _field(Indicator, "target_reason")},
    )
    measure = _obj(
        {
            "text": _field(Measure, "text"),
            "owner": _field(Measure, "owner"),
            "cost_once": _int(-COST_LIMIT, COST_LIMIT, nullable=True),
            "cost_yearly": _int(-COST_LIMIT, COST_LIMIT, nullable=True),
            "status": _field(Measure, "status"),
            "due_year": _int(nullable=True),
        },
        optional={"due_date": date_or_null},
    )
    measurement = _obj(
        {
            "year": _int(),
            "value": {"type": "number"},
            "vintage": _field(Measurement, "vintage"),
            "source": _field(Measurement, "source"),
            "source_ref": _field(Measurement, "source_ref"),
            "note": _field(Measurement, "note"),
            "entered_by": {"type": ["string", "null"], "minLength": 1},
            "entered_at": {"type": "string", "pattern": DATETIME_PATTERN},
            "replaced_at": {"type": ["string", "null"], "pattern": DATETIME_PATTERN},
        },
        "Ett mätvärde. Ett rättat värde finns kvar med 'replaced_at' satt.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:lsoplan:programme-file:{FORMAT_VERSION}",
        "title": "lsoplan programfil",
        "description": "Ett handlingsprogram enligt LSO med innehållet i en version. Se programme-file.md.",
        **_obj(
            {
                "format": {"const": FORMAT},
                "format_version": {"enum": list(READABLE_VERSIONS)},
                "programme": _obj(
                    {
                        "title": _field(Programme, "title"),
                        "period_start": _int(),
                        "period_end": _int(),
                    }
                ),
                "version": _obj(
                    {
                        "number": _int(1),
                        "status": _field(ProgrammeVersion, "status"),
                        "adopted_body": _field(ProgrammeVersion, "adopted_body"),
                        "adopted_on": date_or_null,
                        "adopted_paragraph": _field(ProgrammeVersion, "adopted_paragraph"),
                        "consultation_parties": _field(ProgrammeVersion, "consultation_parties"),
                        "consultation_from": date_or_null,
                        "consultation_to": date_or_null,
                        "likelihood_labels": labels,
                        "consequence_labels": labels,
                    },
                    optional={"adopted_registration": _field(ProgrammeVersion, "adopted_registration")},
                ),
                "chapters": {
                    "type": "array",
                    "items": _obj(
                        {
                            "key": _field(Chapter, "key"),
                            "number": _field(Chapter, "number"),
                            "title": _field(Chapter, "title"),
                            "text": _field(Chapter, "text"),
                            "order": _int(),
                            "prescribed": {"type": "boolean"},
                        }
                    ),
                },
                "risks": {
                    "type": "array",
                    "items": _obj(
                        {
                            "ref": {"$ref": "#/$defs/ref_risk"},
                            "title": _field(Risk, "title"),
                            "event_type": _int(nullable=True),
                            "custom_type": _field(Risk, "custom_type"),
                            "description": _field(Risk, "description"),
                            "likelihood": _int(),
                            "consequence": _int(),
                            "order": _int(),
                            "vulnerabilities": {
                                "type": "array",
                                "items": _obj({"description": _field(Vulnerability, "description")}),
                            },
                        }
                    ),
                },
                "capabilities": {
                    "type": "array",
                    "items": _obj(
                        {
                            "risk": {"type": ["string", "null"], "pattern": ref_pattern("risk")},
                            "kind": _field(Capability, "kind"),
                            "readiness": _field(Capability, "readiness"),
                            "description": _field(Capability, "description"),
                            "resources": _field(Capability, "resources"),
                        },
                        optional={"planned": _field(Capability, "planned")},
                    ),
                },
                "safety_goals": {
                    "type": "array",
                    "items": _obj(
                        {
                            "ref": {"$ref": "#/$defs/ref_safety_goal"},
                            "code": _field(SafetyGoal, "code"),
                            "text": _field(SafetyGoal, "text"),
                            "owner": _field(SafetyGoal, "owner"),
                            "order": _int(),
                            "national_goals": {
                                "type": "array",
                                "items": {"type": "string"},
                                "uniqueItems": True,
                            },
                            "risks": _refs("risk"),
                            "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
                        }
                    ),
                },
                "performance_goals": {
                    "type": "array",
                    "items": _obj(
                        {
                            "ref": {"$ref": "#/$defs/ref_performance_goal"},
                            "code": _field(PerformanceGoal, "code"),
                            "text": _field(PerformanceGoal, "text"),
                            "owner": _field(PerformanceGoal, "owner"),
                            "order": _int(),
                            "safety_goals": _refs("safety_goal"),
                            "measures": {"type": "array", "items": measure},
                            "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
                        }
                    ),
                },
                "series": {
                    "type": "array",
                    "items": _obj(
                        {
                            "ref": {"$ref": "#/$defs/ref_series"},
                            "name": _field(IndicatorSeries, "name"),
                            "measurements": {"type": "array", "items": {"$ref": "#/$defs/measurement"}},
                        }
                    ),
                },
            }
        ),
        "$defs": {
            **{f"ref_{kind}": {"type": "string", "pattern": ref_pattern(kind)} for kind in REF_PREFIX},
            "indicator": indicator,
            "measurement": measurement,
        },
    }


def schema_text() -> str:
    """The schema as it is stored in ``docs/programme-file.schema.json``."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
