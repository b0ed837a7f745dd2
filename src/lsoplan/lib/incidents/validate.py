"""Turn a table of text cells into an :class:`IncidentBatch`, collecting every problem.

The input is a polars frame of String columns named after the native fields plus ``rad`` (the
row as the user sees it). Both the native reader and the mapped reader end here, so the rules
and the Swedish messages are the same for every source. Every check is a boolean column; the
problem list is built by filtering on each one, never by looping over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import polars as pl

from lsoplan.lib.geo.crs import SWEREF99TM, parse_crs, transform

from .lookups import Lookups
from .records import (
    COORD_FIELDS,
    COUNT_FIELDS,
    FIELDS,
    MAX_COUNT,
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    REQUIRED,
    SOURCE_COORD_FIELDS,
    TEXT_FIELDS,
    TIME_FIELDS,
    FileInfo,
    IncidentBatch,
    ParseResult,
    Problem,
    conform,
)
from .timeparse import (
    SPACES_RE,
    UTC_DT,
    add_duration,
    number_stages,
    plain_integers,
    plain_times,
    time_stages,
)

MAX_PROBLEMS = 100
RESPONSE_WARNING_S = 3 * 3600
# 1990-01-01 00:00 Swedish time (CET): older dates are typing errors, not history.
EARLIEST = datetime(1989, 12, 31, 23, 0, tzinfo=UTC)
# SWEREF 99 TM over Sweden with a margin; outside it x and y are probably swapped.
SWEREF_E = (180_000.0, 1_000_000.0)
SWEREF_N = (6_050_000.0, 7_750_000.0)
EXTRA = "_extra"  # text of the fields beyond the header on a CSV row
RELATIVE_UNITS = {"seconds_after": 1.0, "minutes_after": 60.0}
POINT = "_punkt"  # the raw text of a mapping's point column, shown as the value of its problems
# Swedish CRSs: SWEREF 99 TM, the SWEREF 99 local zones and RT 90 2.5 gon V. Only for these is a
# point outside Sweden a sign of a mistake (swapped axes, wrong zone); see _cross_checks.
SWEDISH_EPSG = frozenset({3006, *range(3007, 3019), 3021})


@dataclass(frozen=True)
class TimeRule:
    """How to read one time column: strptime ``formats`` (empty = native ISO) or ``relative``,
    a number of seconds or minutes after larm_tid ("seconds_after" / "minutes_after")."""

    formats: tuple[str, ...] = ()
    relative: str | None = None


@dataclass(frozen=True)
class Collapse:
    """Unit-level rows → one row per event: group on ``_grupp``, keep the first unit on scene."""

    aggregate: Mapping[str, str] = field(default_factory=dict)  # time field → "min" | "max"


@dataclass(frozen=True)
class ParseSpec:
    timezone: str = "Europe/Stockholm"
    times: Mapping[str, TimeRule] = field(default_factory=dict)
    decimal_comma: bool = True  # accept "," as decimal sign (native files accept both signs)
    labels: Mapping[str, str] = field(default_factory=dict)  # field → column name in the user's file
    collapse: Collapse | None = None
    crs: str = SWEREF99TM  # CRS of x and y in the file; stored as SWEREF 99 TM
    point: bool = False  # x and y come from one point column (its text is in ``_punkt``)
    # A mapped file's coordinates are a by-product of someone else's export: one that cannot be
    # read drops that row's coordinates with a warning instead of refusing the whole file.
    lenient_coordinates: bool = False

    @property
    def swedish_crs(self) -> bool:
        return self.crs.upper().removeprefix("EPSG:") in {str(code) for code in SWEDISH_EPSG}

    def label(self, name: str) -> str:
        return self.labels.get(name, "(fält utöver rubrikraden)" if name == EXTRA else name)


def _resolve(df: pl.DataFrame, column: str, resolve: Callable[[str], object], dtype: pl.DataType) -> pl.Expr:
    """Look each *distinct* value up once in Python, then map the column in one pass.

    A file of a million rows names a few hundred municipalities at most, so this is both faster
    and easier to read than the same rules as string expressions.
    """
    table = {v: resolve(v) for v in df.get_column(column).drop_nulls().unique().to_list()}
    if not table:
        return pl.lit(None, dtype=dtype)
    return pl.col(column).replace_strict(table, default=None, return_dtype=dtype)


@dataclass(frozen=True)
class _Check:
    mask: str  # boolean column in the working frame
    field: str  # the raw column whose text is shown as the value
    message: str | pl.Expr
    severity: str = "error"


class _Checks:
    """Collects named boolean columns and what to say when one of them is true."""

    def __init__(self) -> None:
        self.items: list[_Check] = []
        self.pending: dict[str, pl.Expr] = {}

    def add(self, mask: pl.Expr, fld: str, message: str | pl.Expr, severity: str = "error") -> None:
        name = f"__c{len(self.items)}"
        self.pending[name] = mask.fill_null(False)
        self.items.append(_Check(name, fld, message, severity))

    def flush(self, df: pl.DataFrame) -> pl.DataFrame:
        out = df.with_columns(**self.pending) if self.pending else df
        self.pending = {}
        return out


_TIME_MASKS = ("unparseable", "nonexistent", "ambiguous")


def _has_spaces(df: pl.DataFrame, name: str) -> bool:
    return bool(df.get_column(name).str.contains(SPACES_RE).any())


def _clean(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars().replace("", None).alias(name)


def validate(
    raw: pl.DataFrame,
    spec: ParseSpec | None = None,
    *,
    lookups: Lookups | None = None,
    now: datetime | None = None,
    info: FileInfo | None = None,
    file_problems: tuple[Problem, ...] = (),
) -> ParseResult:
    """Check every row of ``raw`` and return the valid rows with all problems found.

    ``file_problems`` (e.g. unknown columns found by the reader) are merged into the result.
    ``now`` bounds "in the future" (aware; naive is read as UTC); tests pass a fixed instant.
    """
    spec = spec or ParseSpec()
    lookups = lookups or Lookups.from_reference()
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    df = raw.select(
        pl.col("rad").cast(pl.Int64),
        *[_clean(n) if n in raw.columns else pl.lit(None, dtype=pl.String).alias(n) for n in FIELDS],
        *[_clean(n) for n in ("_grupp", EXTRA, POINT) if n in raw.columns],
    )
    checks = _Checks()
    df = _parse_columns(df, spec, lookups, checks)
    df = _coordinates(df, spec, checks)
    _cross_checks(now, checks, sweden=spec.swedish_crs)
    df = checks.flush(df)
    error_masks = [pl.col(c.mask) for c in checks.items if c.severity == "error"]
    df = df.with_columns(__fel=pl.any_horizontal(error_masks))
    # Most checks find nothing: look at all masks at once and build frames only for the others.
    hit = df.select(pl.col(c.mask).any() for c in checks.items).row(0) if checks.items else ()
    problems = [_problem_frame(df, c, i, spec) for i, c in enumerate(checks.items) if hit[i]]
    if spec.collapse is not None and "_grupp" in df.columns:
        df = _collapse(df, spec.collapse)
    df, late = _late_checks(df, spec, base=len(checks.items))
    return _result(df, pl.concat([*problems, *late]), raw.height, info, file_problems)


def _parse_columns(df: pl.DataFrame, spec: ParseSpec, lookups: Lookups, checks: _Checks) -> pl.DataFrame:
    """Parse every field into ``<field>__v`` and register the checks that need only one row."""
    if EXTRA in df.columns:
        checks.add(
            pl.col(EXTRA).is_not_null(),
            EXTRA,
            "raden har fler fält än rubrikraden – kontrollera avgränsaren; i en kommaseparerad fil "
            "måste tal med decimalkomma stå inom citattecken",
        )
    for name in REQUIRED:
        checks.add(pl.col(name).is_null(), name, "värde saknas (kolumnen är obligatorisk)")
    checks.add(
        pl.col("handelse_id").str.len_chars() > MAX_ID_LENGTH,
        "handelse_id",
        f"för långt id (högst {MAX_ID_LENGTH} tecken)",
    )
    for name in TEXT_FIELDS:
        checks.add(
            pl.col(name).str.len_chars() > MAX_TEXT_LENGTH,
            name,
            f"texten är längre än {MAX_TEXT_LENGTH} tecken",
        )

    stages: list[dict[str, pl.Expr]] = [
        {
            "kommun__v": _resolve(df, "kommun", lookups.municipality, pl.String()),
            "handelsetyp__v": _resolve(df, "handelsetyp", lookups.event_type, pl.Int16()),
        }
    ]

    def merge(new: list[dict[str, pl.Expr]]) -> None:
        # Stage i of every field runs in one with_columns; each field only reads its earlier stages.
        for i, stage in enumerate(new):
            if i >= len(stages):
                stages.append({})
            stages[i].update(stage)

    # Columns the file leaves empty (often whole optional fields) skip the parsing work.
    empty = {n for n in FIELDS if df.get_column(n).null_count() == df.height}
    for name in (*COUNT_FIELDS, *COORD_FIELDS):
        if name in empty:
            merge([{f"{name}__v": pl.lit(None, dtype=pl.Float64), f"{name}__v__bad": pl.lit(False)}])
        elif (whole := plain_integers(df.get_column(name))) is not None:
            df = df.with_columns(whole.alias(f"{name}__v"))
            merge([{f"{name}__v__bad": pl.lit(False)}])
        else:
            merge(number_stages(name, decimal_comma=spec.decimal_comma, spaces=_has_spaces(df, name)))
        if name in COORD_FIELDS:
            _coordinate_number_check(name, spec, checks)
        else:
            checks.add(pl.col(f"{name}__v__bad"), name, "inte ett tal")
    absolute = [n for n in TIME_FIELDS if not spec.times.get(n, TimeRule()).relative]
    for name in absolute:
        if name in empty:
            merge(
                [
                    {f"{name}__v": pl.lit(None, dtype=UTC_DT)}
                    | {f"{name}__{k}": pl.lit(False) for k in _TIME_MASKS}
                ]
            )
        else:
            formats = spec.times.get(name, TimeRule()).formats
            ready = None if formats else plain_times(df.get_column(name))
            if ready is not None:
                df = df.with_columns(ready.alias(f"{name}__naive"))
            merge(time_stages(name, spec.timezone, formats, naive_ready=ready is not None))
    for stage in stages:
        df = df.with_columns(**stage)

    checks.add(
        pl.col("kommun").is_not_null() & pl.col("kommun__v").is_null(),
        "kommun",
        "okänd kommun – ange fyrsiffrig kommunkod (t.ex. 0180) eller kommunens namn",
    )
    checks.add(
        pl.col("handelsetyp").is_not_null() & pl.col("handelsetyp__v").is_null(),
        "handelsetyp",
        "okänd händelsetyp – ange MCF:s id (1–15, utom 10) eller typens namn",
    )
    for name in COUNT_FIELDS:
        v = pl.col(f"{name}__v")
        checks.add(v < 0, name, "antalet får inte vara negativt")
        checks.add((v >= 0) & (v != v.round(0)), name, "antalet måste vara ett heltal")
        checks.add(v > MAX_COUNT, name, "orimligt stort antal")
    for name in absolute:
        formats = spec.times.get(name, TimeRule()).formats
        wanted = " eller ".join(formats) if formats else "t.ex. 2024-03-05 14:22"
        checks.add(pl.col(f"{name}__unparseable"), name, f"kan inte tolkas som tidpunkt ({wanted})")
        checks.add(
            pl.col(f"{name}__nonexistent"),
            name,
            f"tiden finns inte i {spec.timezone} (klockan ställs fram vid övergång till sommartid)",
        )

    df = _resolve_repeated_hour(df, absolute, spec.timezone, checks)

    # Times given as a duration after larm_tid need larm_tid parsed first.
    stages.clear()
    for name in TIME_FIELDS:
        rule = spec.times.get(name, TimeRule())
        if not rule.relative:
            continue
        amount = f"{name}__amount"
        moment, out_of_range = add_duration(
            pl.col("larm_tid__v"), pl.col(amount), RELATIVE_UNITS[rule.relative]
        )
        numbers = number_stages(
            name, decimal_comma=spec.decimal_comma, out=amount, spaces=_has_spaces(df, name)
        )
        merge([*numbers, {f"{name}__v": moment}])
        unit = "sekunder" if rule.relative == "seconds_after" else "minuter"
        checks.add(pl.col(f"{amount}__bad"), name, f"inte ett tal ({unit} efter larm_tid)")
        checks.add(out_of_range, name, f"orimligt antal {unit} efter larm_tid")
    for stage in stages:
        df = df.with_columns(**stage)
    return df


def _coordinate_number_check(name: str, spec: ParseSpec, checks: _Checks) -> None:
    severity = "warning" if spec.lenient_coordinates else "error"
    dropped = " (radens koordinater sparas inte)" if spec.lenient_coordinates else ""
    if not spec.point:
        checks.add(pl.col(f"{name}__v__bad"), name, f"inte ett tal{dropped}", severity)
    elif name == "x":  # a bad point cell makes both x and y bad: say it once, with the whole cell
        checks.add(
            pl.col("x__v__bad"),
            POINT,
            f"ingen punkt – väntade två tal, t.ex. (37.78, -122.42){dropped}",
            severity,
        )


def _coordinates(df: pl.DataFrame, spec: ParseSpec, checks: _Checks) -> pl.DataFrame:
    """Drop coordinates that cannot be used (lenient) and transform the rest to SWEREF 99 TM."""
    x, y = pl.col("x__v"), pl.col("y__v")
    if spec.lenient_coordinates:
        bad = pl.col("x__v__bad") | pl.col("y__v__bad")
        df = df.with_columns(pl.when(bad).then(None).otherwise(c).alias(c.meta.output_name()) for c in (x, y))
    df = df.with_columns(
        pl.lit(None, dtype=pl.Float64).alias("x_kalla__v"),
        pl.lit(None, dtype=pl.Float64).alias("y_kalla__v"),
        pl.lit(None, dtype=pl.Int32).alias("kalla_epsg__v"),
    )
    if spec.crs.upper() == SWEREF99TM or df.select(x.is_null().all() | y.is_null().all()).item():
        return df
    source = parse_crs(spec.crs)  # the mapping has already refused a CRS pyproj does not know
    if source.is_geographic:
        # x is longitude, y latitude (always_xy). Outside the graticule the mapping's order is
        # probably wrong, or the column is not degrees at all: say so and keep no coordinates.
        outside = (x.abs() > 180) | (y.abs() > 90)
        df = df.with_columns(outside.fill_null(False).alias("__utanfor_grader"))
        where = POINT if spec.point else "x"
        checks.add(
            pl.col("__utanfor_grader"),
            where,
            "utanför gradnätet (latitud ±90°, longitud ±180°) – är latitud och longitud förväxlade "
            "i mappningen? (radens koordinater sparas inte)",
            "error" if not spec.lenient_coordinates else "warning",
        )
        df = df.with_columns(
            pl.when(pl.col("__utanfor_grader")).then(None).otherwise(c).alias(c.meta.output_name())
            for c in (x, y)
        )
    east, north = transform(
        df.get_column("x__v").to_numpy(), df.get_column("y__v").to_numpy(), source, SWEREF99TM
    )
    # Null became NaN for pyproj; a point pyproj cannot place comes back as inf. Neither is stored.
    east = np.where(np.isfinite(east) & np.isfinite(north), east, np.nan)
    north = np.where(np.isfinite(east), north, np.nan)
    placed = pl.Series(np.isfinite(east))
    # The coordinates as given are kept beside SWEREF 99 TM, for the same rows (a point pyproj
    # cannot place keeps neither), with the source CRS as its EPSG code.
    epsg = source.to_epsg()
    return df.with_columns(
        pl.when(placed & x.is_not_null() & y.is_not_null()).then(x).otherwise(None).alias("x_kalla__v"),
        pl.when(placed & x.is_not_null() & y.is_not_null()).then(y).otherwise(None).alias("y_kalla__v"),
        pl.when(placed & x.is_not_null() & y.is_not_null())
        .then(pl.lit(epsg, dtype=pl.Int32))
        .otherwise(None)
        .alias("kalla_epsg__v"),
    ).with_columns(
        pl.Series("x__v", east, dtype=pl.Float64).fill_nan(None),
        pl.Series("y__v", north, dtype=pl.Float64).fill_nan(None),
    )


def _resolve_repeated_hour(df: pl.DataFrame, absolute: list[str], tz: str, checks: _Checks) -> pl.DataFrame:
    """Read each time in the autumn's repeated hour so that the row runs in order.

    A local time in that hour (02:00–02:59 on the last Sunday of October) happened twice: first in
    summer time, an hour later in winter time. Each is read as the first occurrence unless that
    puts it before the row's previous time (larm_tid ≤ framme_tid ≤ avslutad_tid) and the second
    reading does not: an alarm at 02:50 summer time with arrival at 02:05 is an arrival at 02:05
    winter time, fifteen minutes later. Taking, field by field, the earliest reading that keeps
    the order is the one that leaves most room for the fields after it, so when any reading is in
    order this finds one; when none is, the order checks refuse the row as before. Each time read
    this way gets a warning naming its reading. Only files with a time in that hour pay for this.
    """
    flags = [n for n in absolute if f"{n}__ambiguous" in df.columns]
    found = df.select(pl.col(f"{n}__ambiguous").any() for n in flags).row(0) if flags else ()
    repeated = {name for name, hit in zip(flags, found, strict=True) if hit}
    if not repeated:
        return df
    previous: pl.Expr | None = None
    for name in (n for n in TIME_FIELDS if n in absolute):  # relative times follow larm_tid anyway
        v = pl.col(f"{name}__v")
        if name in repeated:
            amb = pl.col(f"{name}__ambiguous")
            later = (
                pl.when(amb)
                .then(pl.col(f"{name}__naive"))
                .dt.replace_time_zone(tz, ambiguous="latest", non_existent="null")
                .dt.convert_time_zone("UTC")
            )
            df = df.with_columns(later.alias(f"{name}__later"))
            second = pl.col(f"{name}__later")
            if previous is not None:
                use_second = amb & (v < previous) & (second >= previous)
                df = df.with_columns(
                    pl.when(use_second.fill_null(False)).then(second).otherwise(v).alias(f"{name}__v"),
                    use_second.fill_null(False).alias(f"{name}__second"),
                )
            else:
                df = df.with_columns(pl.lit(False).alias(f"{name}__second"))
            checks.add(
                amb & ~pl.col(f"{name}__second"),
                name,
                f"tiden förekommer två gånger i {tz} (övergång till vintertid); tolkad som den första "
                "(sommartid)",
                "warning",
            )
            checks.add(
                pl.col(f"{name}__second"),
                name,
                f"tiden förekommer två gånger i {tz} (övergång till vintertid); tolkad som den andra "
                "(vintertid), eftersom raden annars inte går i ordningen larm_tid ≤ framme_tid "
                "≤ avslutad_tid",
                "warning",
            )
        current = pl.col(f"{name}__v")
        previous = current if previous is None else pl.max_horizontal(previous, current)
    return df


def _cross_checks(now: datetime, checks: _Checks, *, sweden: bool = True) -> None:
    """Checks that compare parsed columns with each other or with fixed bounds."""
    larm, framme, avslutad = (pl.col(f"{n}__v") for n in TIME_FIELDS)
    checks.add(framme < larm, "framme_tid", "framme_tid ligger före larm_tid")
    checks.add(avslutad < larm, "avslutad_tid", "avslutad_tid ligger före larm_tid")
    checks.add(avslutad < framme, "avslutad_tid", "avslutad_tid ligger före framme_tid")
    for name in TIME_FIELDS:
        v = pl.col(f"{name}__v")
        checks.add(v < EARLIEST, name, "tidpunkten ligger före 1990")
        checks.add(v > now, name, "tidpunkten ligger i framtiden")
    x, y = pl.col("x__v"), pl.col("y__v")
    if sweden:
        # Only a Swedish source CRS makes "outside Sweden" suspicious. A foreign CRS (the LFB and
        # SF test mappings) is data from abroad: every row would warn, and the flood would hide
        # the problems that matter, so its transformed values are kept without this check.
        outside = ~x.is_between(*SWEREF_E) | ~y.is_between(*SWEREF_N)
        checks.add(
            x.is_not_null() & y.is_not_null() & outside,
            "x",
            "koordinaten ligger utanför Sverige i SWEREF 99 TM – är x och y förväxlade?",
            "warning",
        )
    checks.add(x.is_null() != y.is_null(), "x", "bara en av x och y är angiven", "warning")


def _problem_frame(df: pl.DataFrame, c: _Check, order: int, spec: ParseSpec) -> pl.DataFrame:
    message = c.message if isinstance(c.message, pl.Expr) else pl.lit(c.message)
    # Within a row, problems follow the column order of the format, then the order of the checks.
    position = FIELDS.index(c.field) if c.field in FIELDS else -1
    return (
        df.select(
            "rad", c.field, c.mask, *(["__forsta", "insatstid_s"] if isinstance(c.message, pl.Expr) else [])
        )
        .filter(pl.col(c.mask))
        .select(
            pl.col("rad"),
            pl.lit(position * 1000 + order, dtype=pl.Int32).alias("ordning"),
            pl.lit(spec.label(c.field)).alias("kolumn"),
            pl.col(c.field).fill_null("").alias("varde"),
            message.cast(pl.String).alias("meddelande"),
            pl.lit(c.severity).alias("niva"),
        )
    )


def _collapse(df: pl.DataFrame, rule: Collapse) -> pl.DataFrame:
    """Keep, per group, the row whose unit arrived first (ties and no arrival: first in file)."""
    group = pl.coalesce(pl.col("_grupp"), pl.format("rad {}", pl.col("rad")))
    ordered = df.with_columns(_grupp=group).sort(["_grupp", "framme_tid__v", "rad"], nulls_last=True)
    aggregated = [f"{name}__v" for name in rule.aggregate]
    aggs = [pl.all().exclude("_grupp", "__fel", *aggregated).first(), pl.col("__fel").any()]
    for name, how in rule.aggregate.items():
        col = pl.col(f"{name}__v")
        aggs.append(col.max() if how == "max" else col.min())
    return ordered.group_by("_grupp").agg(aggs).sort("rad")


def _late_checks(df: pl.DataFrame, spec: ParseSpec, base: int) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Checks on the final rows (after any collapse): duplicate ids and very long response times."""
    # Hash first: only rows whose hash repeats need the exact (and slower) string grouping.
    ids = pl.col("handelse_id")
    candidates = df.select("rad", "handelse_id").filter(ids.hash().is_duplicated() & ids.is_not_null())
    first = candidates.select("rad", __forsta=pl.col("rad").min().over("handelse_id")).filter(
        pl.col("rad") != pl.col("__forsta")
    )
    if first.height:
        df = df.join(first, on="rad", how="left")
    else:
        df = df.with_columns(__forsta=pl.lit(None, dtype=pl.Int64))
    df = df.with_columns(
        __dup=pl.col("__forsta").is_not_null(),
        insatstid_s=(pl.col("framme_tid__v") - pl.col("larm_tid__v")).dt.total_microseconds() / 1_000_000,
    )
    df = df.with_columns(
        __lang=(pl.col("insatstid_s") > RESPONSE_WARNING_S).fill_null(False),
        __fel=pl.col("__fel") | pl.col("__dup"),
    )
    dup_msg = pl.format(
        "handelse_id förekommer flera gånger i filen (första gången på rad {})", pl.col("__forsta")
    )
    long_msg = pl.format(
        "insatstiden är över 3 timmar ({} min) – kontrollera framme_tid",
        (pl.col("insatstid_s") / 60).round(0).cast(pl.Int64),
    )
    return df, [
        _problem_frame(df, _Check("__dup", "handelse_id", dup_msg), base, spec),
        _problem_frame(df, _Check("__lang", "framme_tid", long_msg, "warning"), base + 1, spec),
    ]


def _result(
    df: pl.DataFrame,
    problems: pl.DataFrame,
    n_rows: int,
    info: FileInfo | None,
    file_problems: tuple[Problem, ...],
) -> ParseResult:
    n_row_errors = problems.filter(pl.col("niva") == "error").height
    n_errors = n_row_errors + sum(p.is_error for p in file_problems)
    n_warnings = problems.height - n_row_errors + sum(not p.is_error for p in file_problems)
    # Errors first: a user who must fix a file should not find them hidden behind warnings.
    top = problems.sort([pl.col("niva") != "error", "rad", "ordning"]).head(MAX_PROBLEMS)
    listed = list(file_problems) + [
        Problem(
            row=r["rad"],
            column=r["kolumn"],
            value=r["varde"][:200],
            message=r["meddelande"],
            severity=r["niva"],
        )
        for r in top.iter_rows(named=True)
    ]
    listed = sorted(listed, key=lambda p: not p.is_error)[:MAX_PROBLEMS]  # stable: file order kept
    valid = df.select(
        "rad",
        "handelse_id",
        *TEXT_FIELDS,
        *[
            pl.col(f"{n}__v").alias(n)
            for n in (
                "kommun",
                "handelsetyp",
                *TIME_FIELDS,
                *COUNT_FIELDS,
                *COORD_FIELDS,
                *SOURCE_COORD_FIELDS,
            )
        ],
        "__fel",
    )
    valid = (valid.filter(~pl.col("__fel")) if valid.get_column("__fel").any() else valid).drop("__fel")
    return ParseResult(
        batch=IncidentBatch(conform(valid)),
        problems=tuple(listed),
        n_errors=n_errors,
        n_warnings=n_warnings,
        n_rows=n_rows,
        info=info,
    )
