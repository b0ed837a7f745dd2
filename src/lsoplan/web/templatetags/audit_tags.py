"""The audit table in words: field names by the model's own labels, choice values by their display
labels (never ``likelihood`` or ``kommunfullmaktige``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

register = template.Library()

# Keys that are not model fields but that services add to an entry.
EXTRA_LABELS = {
    "svarsrader": "svarsrader",
    "okant": "kan inte bedömas",
    "brist": "brister",
    "krav_brist": "brister i krav",
    "rules_version": "regelversion",
    "ports_relevant": "hamnar ska redovisas",
    "role": "roll",
    "user": "användare",
    "municipalities": "kommuner",
}


def _field(model: str, name: str) -> models.Field[Any, Any] | None:
    try:
        return apps.get_model(model)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist, ValueError):
        return None


def _value(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict):
        return _mapping(value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _mapping(value: dict[str, Any]) -> str:
    """A JSON value such as an action's source ({"rule": "lso-3-3-mal", "run": 5}) in words."""
    from lsoplan.web.templatetags.lsoplan_tags import rule_title

    words = {"rule": "regel", "run": "körning"}
    parts = []
    for key, item in value.items():
        shown = rule_title(item) if key == "rule" else item
        parts.append(f"{words.get(key, key)}: {shown}")
    return ", ".join(parts) or "–"


@register.simple_tag
def audit_changes(entry: Any) -> list[tuple[str, Any, Any]]:
    rows = []
    for name, pair in (entry.changes or {}).items():
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        field = _field(entry.model, name)
        label = str(getattr(field, "verbose_name", "")) if field is not None else ""
        if not label or label == name.replace("_", " "):
            label = EXTRA_LABELS.get(name, label or name.replace("_", " "))
        rows.append((label, _value(field, old), _value(field, new)))
    return rows
