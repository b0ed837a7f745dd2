"""Swedish number formatting for the sentences the statistics produce ("1 234,5", "12 %")."""

from __future__ import annotations

import math

# Narrow no-break space is what Swedish typography uses between thousands groups and before "%";
# a plain no-break space is safer in every font and in exported text.
_NBSP = "\u00a0"
_SWEDISH = str.maketrans({",": _NBSP, ".": ",", "-": "\u2212"})


def decimals_for(value: float) -> int:
    """A readable number of decimals for a value of this size (and for others shown beside it)."""
    magnitude = abs(value) if math.isfinite(value) else 0.0
    if magnitude == 0 or magnitude >= 100:
        return 0
    if magnitude >= 1:
        return 1
    # Two significant digits for small rates such as 0,043 per 1 000 inv.
    return max(2, 1 - math.floor(math.log10(magnitude)))


def number(value: float, decimals: int | None = None) -> str:
    """Format with decimal comma and grouped thousands; `decimals=None` picks a readable precision."""
    if value is None or not math.isfinite(value):
        return "–"
    if decimals is None:
        decimals = decimals_for(value)
    if round(value, decimals) == 0:
        value = 0.0  # "−0,0" is no number a reader knows: a value that rounds to nothing has no sign
    # Python's grouping gives "1,234.5"; one translation swaps both separators and the minus sign.
    return f"{value:,.{decimals}f}".translate(_SWEDISH)


def percent(fraction: float, decimals: int = 0) -> str:
    """0.123 -> "12 %" (Swedish puts a space before the percent sign)."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{number(fraction * 100, decimals)}{_NBSP}%"


def p_value(p: float) -> str:
    """p-values as readers expect them: "p = 0,03", "p < 0,001"."""
    if p is None or not math.isfinite(p):
        return "p = –"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {number(p, 3 if p < 0.01 else 2)}"


def decimal(value: float) -> str:
    """Shortest plain representation with a decimal comma ("0,05", "2,5"), for parameters."""
    return f"{value:g}".replace(".", ",").replace("-", "\u2212")
