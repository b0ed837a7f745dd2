"""The organisation's own settings for capability maps: godtagbar tid and the privacy threshold.

LSO 1 kap. 3 § asks that rescue operations start "inom godtagbar tid"; which time is acceptable is
the organisation's to decide and to state, so the generated description uses its own figure. The
threshold is the fewest incidents a cell must have to be shown on a map meant for the council or
the public (an incident at an address is personal data). Both are whole numbers within ranges a
planner could mean; anything else is refused in one Swedish sentence, in the form and in every
other place that sets them.
"""

from __future__ import annotations

from lsoplan.lib.plausibility import Issue

DEFAULT_ACCEPTABLE_MINUTES = 20
ACCEPTABLE_MINUTES = (1, 90)  # a first unit on scene within 1–90 minutes
DEFAULT_SUPPRESSION_THRESHOLD = 3
# Never below the default: a cell of one or two incidents could point at a household. Above 50
# a municipality's map would be empty.
SUPPRESSION_THRESHOLD = (3, 50)


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def check_acceptable_minutes(value: object) -> list[Issue]:
    low, high = ACCEPTABLE_MINUTES
    whole = _whole(value)
    if whole is None or not low <= whole <= high:
        return [
            Issue(
                "acceptable_minutes",
                f"Ange godtagbar tid som ett helt antal minuter från {low} till {high}, t.ex. 20.",
            )
        ]
    return []


def check_suppression_threshold(value: object) -> list[Issue]:
    low, high = SUPPRESSION_THRESHOLD
    whole = _whole(value)
    if whole is None or not low <= whole <= high:
        return [
            Issue(
                "suppression_threshold",
                f"Ange minsta antal händelser per ruta som ett heltal från {low} till {high} "
                f"(färre än {low} kan peka ut ett hushåll).",
            )
        ]
    return []


def suppressed_note(threshold: int) -> str:
    """The sentence under every map meant for the council or the public."""
    return (
        f"Rutor med färre än {threshold} händelser visas inte. Gränsen skyddar personuppgifter och "
        "anges i organisationens inställningar."
    )
