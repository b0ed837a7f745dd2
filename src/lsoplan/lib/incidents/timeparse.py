"""Vectorised parsing of timestamps and numbers in incident files (polars expressions).

Local wall-clock times are turned into UTC with these rules, the same for every file:

* a time that does not exist (the spring-forward hour, e.g. 2024-03-31 02:30 in Stockholm) is an
  error: no rescue-service system records it, so the value is wrong and guessing would hide that;
* a time that occurs twice (the autumn fall-back hour, e.g. 2024-10-27 02:30) is read as the
  *first* occurrence (summer time). The file carries no information that could tell the two apart,
  and the first occurrence is what most exporting systems write when they drop the offset. The row
  gets a warning so the user knows.
* a string with an explicit offset ("+01:00", "Z") is converted as written.

Parsing happens in stages of columns (:func:`time_stages`) so that the expensive steps run once
per column and every check after that reads a materialised column.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

UTC_DT = pl.Datetime("us", "UTC")
NAIVE_DT = pl.Datetime("us")

# The native format after "T" → " ": date, time to the minute or second, optional fraction and offset.
_BASE_FORMAT = "%Y-%m-%d %H:%M:%S"
_AWARE_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M%#z")

# A plain decimal number: no exponent, no "inf"/"nan" (polars' float cast would accept those).
_NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)$"

# Durations beyond this are not a response time but a typo; the bound also keeps the cast in range.
MAX_RELATIVE_SECONDS = 400 * 24 * 3600


def _zone_directive(fmt: str) -> bool:
    return "%z" in fmt or "%#z" in fmt or "%:z" in fmt


def _coalesce_formats(text: pl.Expr, formats: Sequence[str], dtype: pl.DataType) -> pl.Expr:
    parsed = [text.str.strptime(dtype, f, strict=False, exact=True) for f in formats]  # type: ignore[arg-type]
    return pl.coalesce(parsed) if len(parsed) > 1 else parsed[0]


def _native_stages(name: str) -> list[dict[str, pl.Expr]]:
    """Stages ending in ``<name>__naive`` and ``<name>__aware`` for the native ISO forms.

    Built for speed on big files: the common shapes ("2024-03-05 14:22" and "… 14:22:05") are
    brought to one fixed layout and parsed with polars' fast path; fractions and offsets are rarer
    and only those rows reach the slower general formats.
    """
    text = pl.col(name)
    t, tail, base, frac = (pl.col(f"{name}__{k}") for k in ("t", "tail", "base", "frac"))
    length = t.str.len_chars()
    fraction_us = ("0" + tail).cast(pl.Float64, strict=False).mul(1_000_000).round(0).cast(pl.Int64)
    with_offset = pl.when(tail.is_not_null() & ~frac).then(t.str.replace("Z", "+00:00", literal=True))
    return [
        {f"{name}__t": text.str.replace("T", " ", literal=True, n=1)},
        {
            f"{name}__main": pl.when(length == 16).then(t + ":00").otherwise(t.str.slice(0, 19)),
            f"{name}__tail": pl.when(length > 19).then(t.str.slice(19)),
        },
        {
            f"{name}__base": pl.col(f"{name}__main").str.strptime(NAIVE_DT, _BASE_FORMAT, strict=False),
            f"{name}__frac": tail.str.contains(r"^\.\d{1,9}$"),
        },
        {
            f"{name}__naive": pl.when(tail.is_null())
            .then(base)
            .when(frac)
            .then(base + pl.duration(microseconds=fraction_us))
            .otherwise(pl.lit(None, dtype=NAIVE_DT)),
            f"{name}__aware": _coalesce_formats(with_offset, _AWARE_FORMATS, UTC_DT).dt.convert_time_zone(
                "UTC"
            ),
        },
    ]


def plain_times(column: pl.Series) -> pl.Series | None:
    """``column`` read as naive times in one step when every value has the plain native form
    "YYYY-MM-DD HH:MM:SS" (what most exports write); None when any value has another form.

    For such values the general native stages give exactly this, at several times the cost.
    """
    longest = column.str.len_bytes().max()
    if not isinstance(longest, int) or longest > 19:  # not an int: every value is missing
        return None
    parsed = column.str.strptime(NAIVE_DT, _BASE_FORMAT, strict=False)
    return parsed if parsed.null_count() == column.null_count() else None


def time_stages(
    name: str, tz: str, formats: Sequence[str] = (), *, naive_ready: bool = False
) -> list[dict[str, pl.Expr]]:
    """Column stages that parse the String column ``name``; apply them in order.

    The result is ``<name>__v`` (UTC) and the masks ``<name>__unparseable``, ``__nonexistent``
    and ``__ambiguous``. ``formats`` are strptime formats tried in order; none = native ISO rules.
    ``naive_ready``: the frame already has ``<name>__naive`` (from :func:`plain_times`).
    Each stage only reads columns made by earlier ones, because polars' eager ``with_columns``
    would otherwise repeat a shared sub-expression once per use.
    """
    text = pl.col(name)
    if naive_ready:
        stages: list[dict[str, pl.Expr]] = [{f"{name}__aware": pl.lit(None, dtype=UTC_DT)}]
    elif not formats:
        stages = _native_stages(name)
    else:
        naive_formats = [f for f in formats if not _zone_directive(f)]
        aware_formats = [f for f in formats if _zone_directive(f)]
        naive = (
            _coalesce_formats(text, naive_formats, NAIVE_DT)
            if naive_formats
            else pl.lit(None, dtype=NAIVE_DT)
        )
        aware = (
            _coalesce_formats(text, aware_formats, UTC_DT).dt.convert_time_zone("UTC")
            if aware_formats
            else pl.lit(None, dtype=UTC_DT)
        )
        stages = [{f"{name}__naive": naive, f"{name}__aware": aware}]
    c = {k: pl.col(f"{name}__{k}") for k in ("naive", "aware", "strict", "earliest")}
    # The strict conversion (ambiguous → null) runs over every row; only the rows it leaves empty
    # are converted again with "earliest", which is cheap because nearly all of them are null.
    strict = c["naive"].dt.replace_time_zone(tz, ambiguous="null", non_existent="null")
    earliest = (
        pl.when(c["strict"].is_null())
        .then(c["naive"])
        .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
    )
    local = pl.coalesce(c["strict"], c["earliest"]).dt.convert_time_zone("UTC")
    missed = c["naive"].is_not_null() & c["strict"].is_null()
    return [
        *stages,
        {f"{name}__strict": strict},
        {f"{name}__earliest": earliest},
        {
            f"{name}__v": pl.coalesce(c["aware"], local),
            f"{name}__unparseable": text.is_not_null() & c["naive"].is_null() & c["aware"].is_null(),
            f"{name}__nonexistent": missed & c["earliest"].is_null(),
            f"{name}__ambiguous": missed & c["earliest"].is_not_null(),
        },
    ]


SPACES_RE = r"[ \u00a0\u202f]"


def number_stages(
    name: str, *, decimal_comma: bool, out: str | None = None, spaces: bool = True
) -> list[dict[str, pl.Expr]]:
    """Stages giving ``<out>`` (Float64, default ``<name>__v``) and the mask ``<out>__bad``.

    With ``spaces``, spaces (also no-break spaces) are dropped so that "6 580 000" reads as a
    SWEREF 99 northing; callers pass False when the column has none, which saves three passes.
    With ``decimal_comma`` a comma is the decimal sign; the native format accepts both signs.
    """
    out = out or f"{name}__v"
    cleaned = pl.col(name)
    for space in (" ", "\u00a0", "\u202f") if spaces else ():
        cleaned = cleaned.str.replace_all(space, "", literal=True)
    if decimal_comma:
        cleaned = cleaned.str.replace(",", ".", literal=True)
    text = pl.col(f"{out}__text")
    return [
        {f"{out}__text": cleaned},
        {out: pl.when(text.str.contains(_NUMBER_RE)).then(text.cast(pl.Float64, strict=False))},
        {f"{out}__bad": pl.col(name).is_not_null() & pl.col(out).is_null()},
    ]


def plain_integers(column: pl.Series) -> pl.Series | None:
    """``column`` as Float64 in one step when every value is a plain whole number ("0", "12",
    "-3"), as count columns nearly always are; None when any is not (the stages then decide).

    The integer cast accepts only what the number stages accept too, and gives the same value.
    """
    whole = column.cast(pl.Int64, strict=False)
    return whole.cast(pl.Float64) if whole.null_count() == column.null_count() else None


def add_duration(base_utc: pl.Expr, amount: pl.Expr, unit_seconds: float) -> tuple[pl.Expr, pl.Expr]:
    """``base_utc`` plus ``amount`` units of ``unit_seconds``; and a mask of unusable amounts.

    Adding to the UTC instant (not to the local wall clock) keeps durations right across DST.
    """
    seconds = amount * unit_seconds
    usable = seconds.abs() <= MAX_RELATIVE_SECONDS
    micros = pl.when(usable).then((seconds * 1_000_000).round(0).cast(pl.Int64))
    return base_utc + pl.duration(microseconds=micros), amount.is_not_null() & ~usable.fill_null(True)
