"""Response times (insatstid = framme_tid − larm_tid) as JSON-ready summaries.

One quantile method everywhere: linear interpolation between order statistics, i.e. R's
``quantile(type = 7)`` = ``numpy.percentile(method="linear")`` = polars ``interpolation="linear"``.
For n values sorted ascending, the q-quantile sits at position h = (n − 1)·q and is
x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). It is the default of R, numpy and Excel's PERCENTILE.INC,
so a user can reproduce any figure in a spreadsheet.

Incidents without framme_tid are not dropped silently: they are counted as ``n_missing`` and left
out of every quantile and share, whose denominator is ``n`` (incidents with an arrival time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from .counts import LOCAL_TZ, Data, as_frame, check_groupings, groups_to_dicts, with_keys
from .records import insatstid_expr

METHOD = "linear interpolation (R quantile type 7, numpy percentile method='linear')"
QUANTILES: dict[str, float] = {"median_s": 0.5, "p80_s": 0.8, "p90_s": 0.9}
DEFAULT_WITHIN_MINUTES: tuple[float, ...] = (10, 20, 30)


def _minutes_key(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else str(minutes)


def aggregations(within_minutes: Sequence[float]) -> list[pl.Expr]:
    t = pl.col("insatstid_s")
    aggs = [t.count().alias("n"), t.null_count().alias("n_missing")]
    aggs += [t.quantile(q, interpolation="linear").alias(name) for name, q in QUANTILES.items()]
    # mean() of a boolean skips nulls, so the share is over incidents that have an arrival time.
    aggs += [(t <= m * 60).mean().alias(f"within_{_minutes_key(m)}") for m in within_minutes]
    return aggs


def nest_shares(row: dict[str, Any], within_minutes: Sequence[float]) -> dict[str, Any]:
    row["share_within"] = {_minutes_key(m): row.pop(f"within_{_minutes_key(m)}") for m in within_minutes}
    return row


def response_times(
    data: Data,
    by: Sequence[str] = (),
    *,
    within_minutes: Sequence[float] = DEFAULT_WITHIN_MINUTES,
    timezone: str = LOCAL_TZ,
) -> dict[str, Any]:
    """Median, 80th and 90th percentile (seconds) and share within N minutes, overall and by group.

    ``{"method", "n", "n_missing", "median_s", "p80_s", "p90_s", "share_within": {"10": …},
    "by": [...], "groups": [{<keys>…, "n", "n_missing", "median_s", …, "share_within"}]}``.
    Quantiles and shares are ``None`` when a group has no arrival times.
    """
    by = check_groupings(by)
    frame = with_keys(as_frame(data), by, timezone).with_columns(insatstid_expr())
    aggs = aggregations(within_minutes)
    overall = frame.select(aggs).to_dicts()[0]
    result: dict[str, Any] = {
        "method": METHOD,
        **nest_shares(overall, within_minutes),
        "by": by,
        "groups": [],
    }
    if by and frame.height:
        table = frame.group_by(by).agg(aggs)
        result["groups"] = [nest_shares(row, within_minutes) for row in groups_to_dicts(table, by)]
    return result
