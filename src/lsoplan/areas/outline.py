"""The organisation's municipalities as map outlines (the bundled SCB boundaries)."""

from __future__ import annotations

from typing import Any

from lsoplan.accounts.models import Organisation
from lsoplan.lib.geo.boundaries import outline_features
from lsoplan.reference.boundaries import municipality_boundaries

SOURCE_NOTE = "Kommungränser: SCB (generaliserade, CC0)."


def municipality_outline(organisation: Organisation) -> list[dict[str, Any]]:
    """GeoJSON features (SWEREF 99 TM) of the organisation's municipalities, for ``grid_map``."""
    names = dict(organisation.municipalities.values_list("code", "name"))
    return outline_features(municipality_boundaries(), names)
