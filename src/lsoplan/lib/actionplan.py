"""The action plan's follow-up: when a measure counts as late (försenad).

"Försenad" is not a status anyone sets: it follows from the status and the due date, so it is
computed here and never stored (a stored flag would be wrong the morning after its due date).
"""

from __future__ import annotations

import datetime as dt

OPEN_STATUSES = frozenset({"planerad", "pagaende"})
OVERDUE = "forsenad"
OVERDUE_LABEL = "Försenad"


def is_overdue(status: str, due_year: int | None, due_date: dt.date | None, today: dt.date) -> bool:
    """An open measure whose due date has passed; a due year runs to its last day (31 December)."""
    if status not in OPEN_STATUSES:
        return False
    if due_date is not None:
        return today > due_date
    if due_year is not None:
        return today.year > due_year
    return False
