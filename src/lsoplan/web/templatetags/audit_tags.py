"""The audit table in words: field names by the model's own labels, choice values by their display
labels (never ``likelihood`` or ``kommunfullmaktige``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from lsoplan.audit import dataversion

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


def _cell(value: Any) -> str:
    """A value as ``{{ value }}`` shows it: localised (decimal comma), escaped."""
    return str(conditional_escape(localize(value)))


def _row_html(entry: Any) -> str:
    """One entry's table row, as the audit table's template wrote it, in Python: a history page
    has fifty rows of twenty changes each, too many for the template engine to be cheap."""
    changes = "".join(
        f"<dt>{_cell(label)}</dt><dd>"
        + (f"<del>{_cell(old)}</del> → " if old is not None else "")
        + (_cell(new) if new is not None else "–")
        + "</dd>"
        for label, old, new in audit_changes(entry)
    )
    at = date_format(timezone.localtime(entry.at), "Y-m-d H:i") if entry.at else ""
    link = reverse("object_history", args=[entry.model, entry.object_id])
    return (
        f"<tr><td>{at}</td><td>{_cell(entry.actor_label)}</td><td>{_cell(entry.get_action_display())}</td>\n"
        f'    <td><a href="{conditional_escape(link)}">{_cell(entry.object_repr)}</a></td>\n'
        f'    <td><dl class="changes">{changes}</dl></td></tr>\n'
    )


@register.simple_tag
def audit_rows(entries: Any) -> SafeString:
    """The rows of the audit table. An entry never changes, so its row is kept in the cache by
    its id and time (an id alone may come back after a rolled-back insert on SQLite) and the
    global data version, which a restore or a migrate changes."""
    entries = list(entries)
    keys = [
        dataversion.cache_key(None, "audit-row", (e.pk, e.at.isoformat() if e.at else "")) for e in entries
    ]
    found = dataversion.get_many(keys)
    fresh = {key: _row_html(e) for key, e in zip(keys, entries, strict=True) if key not in found}
    dataversion.set_many(fresh)
    found |= fresh
    return mark_safe("".join(found[key] for key in keys))
