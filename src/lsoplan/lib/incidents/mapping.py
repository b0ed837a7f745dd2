"""Import of foreign incident files through a TOML mapping file (format in docs/incident-format.md).

A mapping says, for each native field, which source column(s) hold it and how to read them; it
can also set constants, translate values, name the strings that mean "missing", give the time
zone of the source and collapse unit-level rows to one row per event. Applying a mapping yields
the same text table the native reader produces, so validation is shared.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from lsoplan.lib.geo.crs import SWEREF99TM, GeoError, parse_crs
from lsoplan.lib.os_errors import describe

from .lookups import Lookups
from .native import EXTRA, RawTable, Source, file_problem, read_source, read_table, rejected
from .records import FIELDS, REQUIRED, TIME_FIELDS, ParseResult, Problem
from .validate import RELATIVE_UNITS, Collapse, ParseSpec, TimeRule, validate

FORMAT_VERSION = 1
_TOP_KEYS = {"format_version", "name", "description", "source", "constants", "fields", "collapse"}
_SOURCE_KEYS = {"delimiter", "encoding", "timezone", "null_values", "decimal", "crs"}
_FIELD_KEYS = {"column", "columns", "separator", "format", "values"}
_POINT_KEYS = {"column", "order"}
# order in the cell → True when the first number is the northing/latitude (y)
_POINT_ORDERS = {"lat,lon": True, "lon,lat": False, "y,x": True, "x,y": False}
# Two numbers, optionally in parentheses, separated by a comma, semicolon or spaces: "(37.78, -122.42)".
POINT_RE = r"^\(?\s*([-+]?\d+(?:\.\d+)?)\s*(?:[,;]\s*|\s+)([-+]?\d+(?:\.\d+)?)\s*\)?$"
_COLLAPSE_KEYS = {"group_by", "keep", "aggregate"}


class MappingError(ValueError):
    """The mapping file itself is wrong; the message (Swedish) names the key to fix."""


@dataclass(frozen=True)
class FieldRule:
    columns: tuple[str, ...] = ()  # source columns, joined with ``separator`` when several
    separator: str = " "
    formats: tuple[str, ...] = ()  # strptime formats tried in order (time fields only)
    relative: str | None = None  # "seconds_after" / "minutes_after": a duration after larm_tid
    values: Mapping[str, str] | None = None  # source value → native value; others pass unchanged
    constant: str | None = None

    def label(self, name: str) -> str:
        return "+".join(self.columns) if self.columns else f"{name} (konstant i mappningen)"


@dataclass(frozen=True)
class PointRule:
    """Both coordinates in one source column, e.g. "(37.78, -122.42)" with ``lat_first``."""

    column: str
    lat_first: bool


@dataclass(frozen=True)
class ImportMapping:
    name: str
    fields: Mapping[str, FieldRule]
    description: str = ""
    timezone: str = "Europe/Stockholm"
    null_values: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str = "auto"  # "auto" accepts "." and ","; "." or "," accepts only that sign
    collapse_by: str | None = None  # source column grouping unit-level rows into events
    collapse: Collapse | None = field(default=None)
    crs: str = SWEREF99TM  # the source's CRS as "EPSG:N"; coordinates are stored in SWEREF 99 TM
    point: PointRule | None = None

    def source_columns(self) -> list[str]:
        """Every source column the mapping reads, in order, without repeats."""
        names = [c for rule in self.fields.values() for c in rule.columns]
        names += [self.point.column] if self.point else []
        return list(dict.fromkeys([*names, *([self.collapse_by] if self.collapse_by else [])]))

    def spec(self) -> ParseSpec:
        times = {
            name: TimeRule(formats=rule.formats, relative=rule.relative)
            for name, rule in self.fields.items()
            if name in TIME_FIELDS
        }
        return ParseSpec(
            timezone=self.timezone,
            times=times,
            decimal_comma=self.decimal != ".",
            labels=self._labels(),
            collapse=self.collapse if self.collapse_by else None,
            crs=self.crs,
            point=self.point is not None,
            lenient_coordinates=True,
        )

    def _labels(self) -> dict[str, str]:
        labels = {name: rule.label(name) for name, rule in self.fields.items()}
        if self.point:
            labels.update(x=self.point.column, y=self.point.column, _punkt=self.point.column)
        return labels


def load_mapping(path: str | Path) -> ImportMapping:
    """Read and check a mapping file; :class:`MappingError` says what is wrong with it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MappingError(f"mappningsfilen {path} är inte UTF-8-kodad text") from exc
    except OSError as exc:
        raise MappingError(
            f"mappningsfilen {path or '(tom sökväg)'} kunde inte läsas: {describe(exc)}"
        ) from exc
    if "\x00" in text:
        raise MappingError(f"mappningsfilen {path} innehåller NUL-tecken och är ingen textfil")
    return parse_mapping(text, origin=str(path))


def parse_mapping(text: str, *, origin: str = "mappningen") -> ImportMapping:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{origin}: inte giltig TOML ({exc})") from exc
    return _build(raw, origin)


def _fail(origin: str, message: str) -> MappingError:
    return MappingError(f"{origin}: {message}")


def _unknown(origin: str, where: str, got: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(got) - allowed)
    if extra:
        raise _fail(
            origin, f"okänd nyckel {', '.join(extra)} i {where} (tillåtna: {', '.join(sorted(allowed))})"
        )


def _as_str_tuple(value: Any, origin: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise _fail(origin, f"{key} ska vara en text eller en lista med texter")
    return tuple(items)


def _build(raw: dict[str, Any], origin: str) -> ImportMapping:
    _unknown(origin, "filen", raw, _TOP_KEYS)
    if raw.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise _fail(origin, f"format_version {raw['format_version']} stöds inte (bara {FORMAT_VERSION})")
    source = raw.get("source", {})
    _unknown(origin, "[source]", source, _SOURCE_KEYS)
    timezone = str(source.get("timezone", "Europe/Stockholm"))
    _check_timezone(timezone, origin)
    delimiter, encoding = source.get("delimiter"), source.get("encoding")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise _fail(origin, 'source.delimiter ska vara ett enda tecken, t.ex. ";"')
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError as exc:
            raise _fail(origin, f"okänd teckenkodning {encoding!r} i source.encoding") from exc
    decimal = str(source.get("decimal", "auto"))
    if decimal not in {"auto", ".", ","}:
        raise _fail(origin, 'source.decimal ska vara "auto", "." eller ","')

    crs = _source_crs(source.get("crs", SWEREF99TM), origin)
    rules: dict[str, FieldRule] = {}
    fields = dict(raw.get("fields", {}))
    point = _point_rule(fields.pop("point"), origin) if "point" in fields else None
    for name, value in fields.items():
        rules[name] = _field_rule(name, value, origin)
    for name, value in raw.get("constants", {}).items():
        if name not in FIELDS:
            raise _fail(origin, f"okänt fält {name!r} i [constants]")
        if name in rules:
            raise _fail(origin, f"{name} är både kolumn och konstant")
        if not isinstance(value, str | int | float):
            raise _fail(origin, f"konstanten {name} ska vara en text eller ett tal")
        rules[name] = FieldRule(constant=str(value))
    missing = [name for name in REQUIRED if name not in rules]
    if missing:
        raise _fail(origin, f"obligatoriska fält saknas: {', '.join(missing)}")
    if point and ({"x", "y"} & set(rules)):
        raise _fail(origin, "fields.point kan inte kombineras med x eller y – välj en punktkolumn eller två")
    if ("x" in rules) != ("y" in rules):
        raise _fail(origin, "fields.x och fields.y anges tillsammans (eller fields.point)")
    if rules["larm_tid"].relative:
        raise _fail(origin, "larm_tid kan inte anges relativt sig själv")

    collapse_by, collapse = _collapse(raw.get("collapse"), origin)
    null_values = source.get("null_values", [])
    return ImportMapping(
        name=str(raw.get("name", origin)),
        description=str(raw.get("description", "")),
        fields=rules,
        timezone=timezone,
        null_values=_as_str_tuple(null_values, origin, "source.null_values") if null_values else (),
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        collapse_by=collapse_by,
        collapse=collapse,
        crs=crs,
        point=point,
    )


def _source_crs(value: Any, origin: str) -> str:
    """The source CRS as "EPSG:N"; one that pyproj does not know is refused here, not per row."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _fail(origin, 'source.crs ska vara en EPSG-kod, t.ex. "EPSG:3006"')
    try:
        crs = parse_crs(str(value))
    except GeoError as exc:
        raise _fail(origin, f"source.crs: {exc}") from None
    epsg = crs.to_epsg()
    if not (crs.is_projected or crs.is_geographic):
        # A height system or an earth-centred (x, y, z) CRS gives no point on a map.
        raise _fail(
            origin,
            f"source.crs: {crs.name} (EPSG:{epsg}) är inget koordinatsystem för punkter på kartan – "
            "ange ett projicerat (t.ex. EPSG:3006) eller geografiskt (t.ex. EPSG:4326)",
        )
    return f"EPSG:{epsg}" if epsg else str(value).strip().upper()


def _point_rule(value: Any, origin: str) -> PointRule:
    if isinstance(value, str):
        raise _fail(
            origin, 'fields.point ska vara en tabell, t.ex. { column = "Location", order = "lat,lon" }'
        )
    if not isinstance(value, dict):
        raise _fail(origin, "fields.point ska vara en tabell med column och order")
    _unknown(origin, "fields.point", value, _POINT_KEYS)
    column, order = value.get("column"), value.get("order")
    if not isinstance(column, str) or not column:
        raise _fail(origin, "fields.point.column ska namnge källkolumnen med punkten")
    cleaned = order.replace(" ", "").lower() if isinstance(order, str) else None
    if cleaned not in _POINT_ORDERS:
        raise _fail(
            origin,
            f"fields.point.order ska vara {', '.join(repr(o) for o in _POINT_ORDERS)} "
            "(ordningen talen står i cellen)",
        )
    return PointRule(column=column, lat_first=_POINT_ORDERS[cleaned])


def _field_rule(name: str, value: Any, origin: str) -> FieldRule:
    if name not in FIELDS:
        raise _fail(origin, f"okänt fält {name!r} i [fields] (fälten är {', '.join(FIELDS)})")
    if isinstance(value, str):
        return FieldRule(columns=(value,))
    if not isinstance(value, dict):
        raise _fail(origin, f"fields.{name} ska vara ett kolumnnamn eller en tabell")
    _unknown(origin, f"fields.{name}", value, _FIELD_KEYS)
    if ("column" in value) == ("columns" in value):
        raise _fail(origin, f"fields.{name} ska ha antingen column eller columns")
    columns = _as_str_tuple(value.get("column", value.get("columns")), origin, f"fields.{name}.columns")
    formats: tuple[str, ...] = ()
    relative = None
    if "format" in value:
        if name not in TIME_FIELDS:
            raise _fail(origin, f"fields.{name}.format gäller bara tidsfälten {', '.join(TIME_FIELDS)}")
        formats = _as_str_tuple(value["format"], origin, f"fields.{name}.format")
        if formats[0] in RELATIVE_UNITS:
            if len(formats) > 1:
                raise _fail(
                    origin, f"fields.{name}.format: {formats[0]} kan inte kombineras med andra format"
                )
            relative, formats = formats[0], ()
        else:
            for fmt in formats:
                _check_format(fmt, origin, name)
    values = value.get("values")
    if values is not None:
        if not isinstance(values, dict) or not all(isinstance(v, str | int) for v in values.values()):
            raise _fail(origin, f"fields.{name}.values ska vara en tabell med texter eller heltal")
        values = {str(k).strip(): str(v) for k, v in values.items()}
    separator = value.get("separator", " ")
    if not isinstance(separator, str):
        raise _fail(origin, f"fields.{name}.separator ska vara en text")
    return FieldRule(columns=columns, separator=separator, formats=formats, relative=relative, values=values)


def _collapse(raw: Any, origin: str) -> tuple[str | None, Collapse | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        raise _fail(origin, "[collapse] ska vara en tabell")
    _unknown(origin, "[collapse]", raw, _COLLAPSE_KEYS)
    group_by = raw.get("group_by")
    if not isinstance(group_by, str) or not group_by:
        raise _fail(origin, "collapse.group_by ska namnge källkolumnen som håller ihop en händelse")
    if raw.get("keep", "first_arriving") != "first_arriving":
        raise _fail(origin, 'collapse.keep stöder bara "first_arriving"')
    aggregate = raw.get("aggregate", {})
    for name, how in aggregate.items():
        if name not in TIME_FIELDS or how not in {"min", "max"}:
            raise _fail(
                origin, 'collapse.aggregate: tidsfält = "min" eller "max", t.ex. avslutad_tid = "max"'
            )
    return group_by, Collapse(aggregate=dict(aggregate))


def _check_timezone(tz: str, origin: str) -> None:
    try:
        pl.Series([datetime(2000, 1, 1)]).dt.replace_time_zone(tz)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise _fail(origin, f"okänd tidszon {tz!r} (använd IANA-namn som Europe/Stockholm)") from exc


def _check_format(fmt: str, origin: str, name: str) -> None:
    """A format is usable if a known instant written with it can be read back with it."""
    sample = pl.Series([datetime(2001, 2, 3, 4, 5, 6)]).dt.replace_time_zone("UTC")
    try:
        text = sample.dt.strftime(fmt.replace("%#z", "%z"))  # %#z can only parse, not format
        text.str.strptime(pl.Datetime("us"), fmt, strict=True)
        ok = "%" in fmt
    except (pl.exceptions.PolarsError, ValueError):
        ok = False
    if not ok:
        raise _fail(
            origin,
            f"fields.{name}.format: ogiltigt tidsformat {fmt!r} (strptime-format som %Y-%m-%d %H:%M, "
            'eller "seconds_after"/"minutes_after")',
        )


# --- applying a mapping ---------------------------------------------------------------------


def apply_mapping(table: RawTable, mapping: ImportMapping) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The text table in native field names (plus ``rad``, ``_grupp``, ``_extra``), or problems."""
    problems: list[Problem] = []
    found: dict[str, str] = {}  # source column name → frame column
    for column in mapping.source_columns():
        name = table.column(column) or _case_insensitive(table, column)
        if name is None:
            problems.append(
                file_problem(
                    f"kolumnen saknas i filen (mappningen {mapping.name} kräver den)", column=column, row=1
                )
            )
        else:
            found[column] = name
    if problems:
        return None, problems
    # Each source column is trimmed and its "missing" strings nulled once, however many fields use it.
    nulls: dict[str, None] = dict.fromkeys(["", *mapping.null_values])
    frames = sorted(set(found.values()))
    cleaned = table.frame.with_columns(pl.col(c).str.strip_chars().replace(nulls) for c in frames)

    selected: list[pl.Expr] = [pl.col("rad")]
    for name, rule in mapping.fields.items():
        if rule.constant is not None:
            selected.append(pl.lit(rule.constant, dtype=pl.String).alias(name))
            continue
        parts = [pl.col(found[c]) for c in rule.columns]
        expr = parts[0] if len(parts) == 1 else pl.concat_str(parts, separator=rule.separator)
        if rule.values:
            expr = expr.replace(dict(rule.values))
        selected.append(expr.alias(name))
    if mapping.point:
        selected.extend(_point_columns(pl.col(found[mapping.point.column]), mapping.point))
    if mapping.collapse_by:
        selected.append(pl.col(found[mapping.collapse_by]).alias("_grupp"))
    if EXTRA in table.frame.columns:
        selected.append(pl.col(EXTRA))
    return cleaned.select(selected), problems


def _point_columns(cell: pl.Expr, rule: PointRule) -> list[pl.Expr]:
    """x and y text from a point cell, and the cell itself as ``_punkt`` for the problem list.

    A cell that is not two numbers passes its whole text to x and y, so that the number check
    marks the row (validate reports it once, under the point column, with the cell as value).
    """
    first, second = cell.str.extract(POINT_RE, 1), cell.str.extract(POINT_RE, 2)
    east, north = (second, first) if rule.lat_first else (first, second)
    ok = first.is_not_null()
    return [
        pl.when(ok).then(east).otherwise(cell).alias("x"),
        pl.when(ok).then(north).otherwise(cell).alias("y"),
        cell.alias("_punkt"),
    ]


def _case_insensitive(table: RawTable, column: str) -> str | None:
    wanted = column.strip().lower()
    for i, h in enumerate(table.header):
        if h.lower() == wanted:
            return f"c{i}"
    return None


def parse_mapped(
    source: Source,
    mapping: ImportMapping,
    *,
    lookups: Lookups | None = None,
    now: datetime | None = None,
) -> ParseResult:
    """Read a foreign file through ``mapping`` and validate it like a native file."""
    try:
        data = read_source(source)
    except OSError as exc:
        return rejected([file_problem(f"Filen kunde inte öppnas ({exc})")])
    needed = mapping.source_columns()
    table, problems = read_table(data, delimiter=mapping.delimiter, encoding=mapping.encoding, only=needed)
    if table is None:
        return rejected(problems)
    raw, problems = apply_mapping(table, mapping)
    if raw is None:
        return rejected(problems, n_rows=table.frame.height, info=table.info)
    if raw.height == 0:
        return rejected([file_problem("filen innehåller inga händelser (bara rubrikraden)")], info=table.info)
    return validate(raw, mapping.spec(), lookups=lookups, now=now, info=table.info)
