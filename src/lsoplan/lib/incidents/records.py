"""The normalised incident record, kept as columns.

An import of a million rows and the statistics over it both work on a polars DataFrame with the
fixed schema below; :class:`IncidentRecord` exists only for the hand-over to the ORM, one row at
a time. Times are UTC instants; turning them back into Swedish local time is the reader's job
(``counts`` does it for year and month).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import polars as pl

# Column names of the native format, in the order the documentation lists them.
FIELDS: tuple[str, ...] = (
    "handelse_id",
    "kommun",
    "handelsetyp",
    "larm_tid",
    "framme_tid",
    "avslutad_tid",
    "omrade",
    "omkomna",
    "skadade",
    "byggnadstyp",
    "brandorsak",
    "x",
    "y",
)
REQUIRED: tuple[str, ...] = ("handelse_id", "kommun", "handelsetyp", "larm_tid")
TIME_FIELDS: tuple[str, ...] = ("larm_tid", "framme_tid", "avslutad_tid")
COUNT_FIELDS: tuple[str, ...] = ("omkomna", "skadade")
COORD_FIELDS: tuple[str, ...] = ("x", "y")
TEXT_FIELDS: tuple[str, ...] = ("omrade", "byggnadstyp", "brandorsak")

# Limits the database columns are sized for; longer values are rejected, not truncated.
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 200
MAX_COUNT = 100_000

UTC_DT = pl.Datetime("us", "UTC")

SCHEMA: dict[str, pl.DataType] = {
    "rad": pl.Int64(),  # the row in the source file as the user sees it (header = row 1)
    "handelse_id": pl.String(),
    "kommun": pl.String(),  # four-digit SCB code
    "handelsetyp": pl.Int16(),  # MCF konvHandelsetypId
    "larm_tid": UTC_DT,
    "framme_tid": UTC_DT,
    "avslutad_tid": UTC_DT,
    "omrade": pl.String(),
    "omkomna": pl.Int32(),
    "skadade": pl.Int32(),
    "byggnadstyp": pl.String(),
    "brandorsak": pl.String(),
    "x": pl.Float64(),  # SWEREF 99 TM easting
    "y": pl.Float64(),  # SWEREF 99 TM northing
    # The coordinates as the source gave them, with the source's CRS (EPSG code), when that CRS is
    # not SWEREF 99 TM; easting or longitude first. Null when x/y are themselves as given. A grid in
    # the source's own CRS uses these, without a round trip through SWEREF 99 TM.
    "x_kalla": pl.Float64(),
    "y_kalla": pl.Float64(),
    "kalla_epsg": pl.Int32(),
}
SOURCE_COORD_FIELDS: tuple[str, ...] = ("x_kalla", "y_kalla", "kalla_epsg")


@dataclass(frozen=True)
class IncidentRecord:
    rad: int
    handelse_id: str
    kommun: str
    handelsetyp: int
    larm_tid: datetime
    framme_tid: datetime | None = None
    avslutad_tid: datetime | None = None
    omrade: str | None = None
    omkomna: int | None = None
    skadade: int | None = None
    byggnadstyp: str | None = None
    brandorsak: str | None = None
    x: float | None = None
    y: float | None = None

    @property
    def insatstid_s(self) -> float | None:
        """Alarm to first unit on scene, in seconds (None without an arrival time)."""
        if self.framme_tid is None:
            return None
        return (self.framme_tid - self.larm_tid).total_seconds()


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the schema's columns: missing optional ones as nulls, types cast.

    Lets callers build a batch from whatever they have (e.g. rows read back from the database).
    Naive datetimes are taken to be UTC, which is how Django stores them.
    """
    columns = []
    for name, dtype in SCHEMA.items():
        if name not in frame.columns:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        col = pl.col(name)
        current = frame.schema[name]
        if isinstance(dtype, pl.Datetime) and isinstance(current, pl.Datetime):
            col = col.dt.replace_time_zone("UTC") if current.time_zone is None else col
            col = col.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
        columns.append(col.cast(dtype).alias(name))
    return frame.select(columns)


@dataclass(frozen=True, eq=False)  # DataFrames have no truth value, so compare by identity
class IncidentBatch:
    """A set of normalised incidents as one polars DataFrame with :data:`SCHEMA`."""

    frame: pl.DataFrame

    def __len__(self) -> int:
        return self.frame.height

    @classmethod
    def empty(cls) -> IncidentBatch:
        return cls(pl.DataFrame(schema=SCHEMA))

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> IncidentBatch:
        return cls(conform(frame))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> IncidentBatch:
        """Build from dicts with the field names (e.g. a Django ``.values()`` queryset)."""
        data = list(rows)
        if not data:
            return cls.empty()
        present = [name for name in SCHEMA if name in data[0]]
        frame = pl.DataFrame(
            {name: [row.get(name) for row in data] for name in present},
            schema={name: SCHEMA[name] for name in present},
        )
        return cls(conform(frame))

    def records(self) -> Iterator[IncidentRecord]:
        """One :class:`IncidentRecord` per row, times as aware UTC datetimes."""
        names = [f.name for f in fields(IncidentRecord)]
        for row in self.frame.select(names).iter_rows(named=True):
            yield IncidentRecord(**row)

    def insatstid_s(self) -> pl.Series:
        """Alarm to first unit on scene, in seconds; null where framme_tid is missing."""
        return self.frame.select(insatstid_expr()).to_series()


def insatstid_expr() -> pl.Expr:
    return ((pl.col("framme_tid") - pl.col("larm_tid")).dt.total_microseconds() / 1_000_000).alias(
        "insatstid_s"
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in an incident file, in words a user can act on."""

    row: int | None  # as the user sees the file: the header is row 1; None = the whole file
    column: str  # the column name in the user's file ("" when the whole file is meant)
    value: str
    message: str  # Swedish
    severity: str  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class FileInfo:
    """What the reader detected, to show the user ("läst som CSV, semikolon, Windows-1252")."""

    format: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None


class RejectedFile(Exception):
    """Raised by :meth:`ParseResult.accepted` when the file has errors: nothing may be written."""

    def __init__(self, result: ParseResult) -> None:
        super().__init__(f"filen har {result.n_errors} fel")
        self.result = result


@dataclass(frozen=True, eq=False)
class ParseResult:
    """The outcome of reading one file.

    ``batch`` holds the rows without errors, for previews only: the import rule is all or
    nothing, so a caller that writes must go through :meth:`accepted`, which refuses when
    ``n_errors`` is not zero. ``problems`` holds at most ``MAX_PROBLEMS`` entries, errors before
    warnings and each in file order; the totals count all of them.
    """

    batch: IncidentBatch
    problems: tuple[Problem, ...]
    n_errors: int
    n_warnings: int
    n_rows: int  # data rows read, before any collapse of unit rows
    info: FileInfo | None = None

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    def accepted(self) -> IncidentBatch:
        if not self.ok:
            raise RejectedFile(self)
        return self.batch

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary for a page or the CLI."""
        return {
            "ok": self.ok,
            "rows": self.n_rows,
            "incidents": len(self.batch) if self.ok else 0,
            "errors": self.n_errors,
            "warnings": self.n_warnings,
            "problems": [p.to_dict() for p in self.problems],
            "format": self.info.format if self.info else None,
            "encoding": self.info.encoding if self.info else None,
            "delimiter": self.info.delimiter if self.info else None,
        }
