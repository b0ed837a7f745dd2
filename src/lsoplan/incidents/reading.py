"""Reading an incident file in slices, so a million-row file never sits in memory as text cells.

The pure parser (``lsoplan.lib.incidents``) validates one table at a time and needs several times
the file's size in memory while it works. A large CSV file is therefore cut at line ends into
slices of a few tens of megabytes, each slice is parsed with the header in front of it, and the
results are stitched together: row numbers shifted back to the whole file, the header's own
problems reported once, and ids repeated across slices reported like the parser reports repeats
within one. Excel files and mappings that merge unit rows into events (``[collapse]``) are read
in one piece, since a slice boundary could split an event.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import polars as pl

from lsoplan.lib.incidents import (
    FIELDS,
    MAX_PROBLEMS,
    ImportMapping,
    Lookups,
    ParseResult,
    Problem,
    parse_mapped,
    parse_native,
)
from lsoplan.lib.incidents.native import CHECKED_UTF8, decode, has_bom, header_key, is_utf8, sniff_delimiter

SLICE_BYTES = 16 * 1024 * 1024
# Slices parsed at the same time: two keep both cores busy while the caller writes.
PARSE_WORKERS = 2
# Called in the parsing threads on each slice's valid rows: (rows, slice number, last slice?).
Prepare = Callable[[pl.DataFrame, int, bool], Any]
# Header aliases the native reader accepts besides the field names (see docs/incident-format.md).
_ALIASES = {"kommunkod": "kommun", "id": "handelse_id"}


@dataclass
class Slice:
    """One parsed slice: the parser's result with row numbers as in the whole file."""

    result: ParseResult
    first: bool
    last: bool = False
    prepared: Any = None  # what the caller's ``prepare`` made of the valid rows


def _is_file_level(problem: Problem) -> bool:
    return problem.row is None or problem.row == 1


def _shift_problem(problem: Problem, offset: int) -> Problem:
    if _is_file_level(problem) or offset == 0:
        return problem
    return dataclasses.replace(problem, row=(problem.row or 0) + offset)


def _shifted(result: ParseResult, offset: int) -> ParseResult:
    if offset == 0:
        return result
    frame = result.batch.frame.with_columns(pl.col("rad") + offset)
    batch = dataclasses.replace(result.batch, frame=frame)
    problems = tuple(_shift_problem(p, offset) for p in result.problems)
    return dataclasses.replace(result, batch=batch, problems=problems)


class _Piece(NamedTuple):
    line: int  # the file's line number of the slice's first line
    data: bytes  # the header line, a newline and the slice
    end: int  # where in the body the slice ends
    next_line: int  # the line number after the slice
    last: bool


def _slices(body: bytes, start: int, target: int, head: bytes) -> Iterator[_Piece]:
    """The slices of ``body[start:]``, cut at line ends outside quotes (``start`` instead of a
    sliced copy: the file may be hundreds of megabytes; each slice is copied once, together with
    the header line in front of it).

    A line end is a record end when the number of quote characters before it is even: an escaped
    quote ("") adds two, so the parity is only changed by quotes that open or close a field.

    The last slice is kept to about a quarter of ``target``: its rows are written after all the
    parsing is done, so a small one shortens the wait at the end of an import.
    """
    pos, line = start, 2
    while pos < len(body):
        remaining = len(body) - pos
        size = remaining - target // 4 if target // 4 < remaining <= target + target // 4 else target
        end = min(pos + size, len(body))
        while end < len(body):
            newline = body.find(b"\n", end)
            end = len(body) if newline == -1 else newline + 1
            if body.count(b'"', pos, end) % 2 == 0:
                break
        next_line = line + body.count(b"\n", pos, end)
        yield _Piece(
            line, b"".join((head, b"\n", memoryview(body)[pos:end])), end, next_line, end >= len(body)
        )
        line, pos = next_line, end


def field_labels(header: list[str] | None, mapping: ImportMapping | None) -> dict[str, str]:
    """Native field → the column name the user's file (or mapping) uses for it."""
    if mapping is not None:
        return {name: rule.label(name) for name, rule in mapping.fields.items()}
    keys = {header_key(f): f for f in FIELDS} | _ALIASES
    labels: dict[str, str] = {}
    for cell in header or []:
        field = keys.get(header_key(cell))
        if field and field not in labels:
            labels[field] = cell
    return labels


@dataclass
class FileReader:
    """Parses ``data`` slice by slice; ``slices()`` yields results, the totals are kept here."""

    data: bytes
    mapping: ImportMapping | None = None
    lookups: Lookups | None = None
    now: datetime | None = None
    slice_bytes: int | None = None  # None: SLICE_BYTES, read when the reader is made

    def __post_init__(self) -> None:
        if self.slice_bytes is None:
            self.slice_bytes = SLICE_BYTES
        self.header: list[str] | None = None
        self.total_lines = 0  # an estimate of the data rows, for the progress bar

    def _parse(self, data: bytes, *, delimiter: str | None = None, utf8: bool = False) -> ParseResult:
        # Slices are cut from the whole file, already checked (or re-encoded) as UTF-8.
        encoding = CHECKED_UTF8 if utf8 else None
        if self.mapping is None:
            return parse_native(
                data, lookups=self.lookups, now=self.now, delimiter=delimiter, encoding=encoding
            )
        mapping = self.mapping
        if utf8:  # one known delimiter too
            mapping = dataclasses.replace(mapping, encoding=encoding, delimiter=delimiter)
        return parse_mapped(data, mapping, lookups=self.lookups, now=self.now)

    def _sliceable(self) -> bool:
        if self.data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return False
        if self.mapping is not None and self.mapping.collapse_by:
            return False
        return len(self.data) > (self.slice_bytes or SLICE_BYTES)

    def _csv_header(self) -> list[str] | None:
        """The header cells of a CSV file (None for a workbook), to name columns in messages."""
        if self.data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return None
        end = self.data.find(b"\n", 0, 65536)
        line = self.data[: end if end != -1 else 65536]
        text, _ = decode(line, self.mapping.encoding if self.mapping else None)
        header_line = text.decode("utf-8", errors="replace").rstrip("\r")
        delimiter = (self.mapping.delimiter if self.mapping else None) or sniff_delimiter(header_line)
        return [cell.strip().strip('"') for cell in header_line.split(delimiter)]

    def slices(self, prepare: Prepare | None = None, workers: int | None = None) -> Iterator[Slice]:
        """The parsed slices in file order. Up to ``workers`` slices are parsed at once in a pool
        (polars releases the GIL), ahead of the caller, which meanwhile writes the earlier ones;
        ``prepare`` (polars work only, never the database) runs there too on each slice's rows,
        with the slice's number and whether it is the last."""
        workers = workers or PARSE_WORKERS
        if not self._sliceable():
            workbook = self.data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
            self.total_lines = 0 if workbook else max(self.data.count(b"\n") - 1, 0)
            self.header = self._csv_header()
            result = self._parse(self.data)
            prepared = None if prepare is None or result.n_errors else prepare(result.batch.frame, 0, True)
            yield Slice(result, first=True, last=True, prepared=prepared)
            return
        encoding = self.mapping.encoding if self.mapping else None
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="incident-slices") as pool:
            if encoding is None and not has_bom(self.data):
                # Most files are UTF-8: parsing starts at once while the whole file is checked
                # beside it; only if the check fails is the file read again as Windows-1252.
                checked = pool.submit(is_utf8, self.data)
                cut = self._sliced(pool, self.data, "utf-8", prepare, workers, checked)
                first = next(cut, None)
                if checked.result():
                    if first is not None:
                        yield first
                        yield from cut
                    return
                cut.close()
            utf8, used = decode(self.data, encoding)
            yield from self._sliced(pool, utf8, used, prepare, workers)

    def _sliced(
        self,
        pool: ThreadPoolExecutor,
        utf8: bytes,
        used: str,
        prepare: Prepare | None,
        workers: int,
        checked: Future[bool] | None = None,
    ) -> Generator[Slice]:
        if b"\n" not in utf8 and b"\r" in utf8:
            utf8 = utf8.replace(b"\r", b"\n")
        newline = utf8.find(b"\n")
        head = utf8[:newline] if newline != -1 else utf8
        header_line = head.decode("utf-8", errors="replace").rstrip("\r")
        delimiter = (self.mapping.delimiter if self.mapping else None) or sniff_delimiter(header_line)
        self.header = [cell.strip().strip('"') for cell in header_line.split(delimiter)]

        def parse(line: int, piece: bytes, index: int, last: bool) -> tuple[ParseResult, Any]:
            result = self._parse(piece, delimiter=delimiter, utf8=True)
            if checked is not None and not checked.result():
                raise _NotUtf8  # the caller starts again as Windows-1252; nothing was yielded
            if result.info is not None:  # the file's encoding, not the slices' (always UTF-8)
                result = dataclasses.replace(result, info=dataclasses.replace(result.info, encoding=used))
            prepared = (
                None if prepare is None or result.n_errors else prepare(result.batch.frame, index, last)
            )
            return _shifted(result, line - 2), prepared

        pending: deque[tuple[Future[tuple[ParseResult, Any]], bool]] = deque()
        first, start = True, len(head) + 1
        try:
            pieces = _slices(utf8, start, self.slice_bytes or SLICE_BYTES, head)
            for index, piece in enumerate(pieces):
                # An estimate from the slices so far (counting the whole file first took a tenth
                # of a second before any work could start).
                lines = piece.next_line - 2
                self.total_lines = max(round(lines * (len(utf8) - start) / max(piece.end - start, 1)), lines)
                last = piece.last
                pending.append((pool.submit(parse, piece.line, piece.data, index, last), last))
                while len(pending) > workers or (pending and pending[-1][1]):
                    future, is_last = pending.popleft()
                    try:
                        result, rows = future.result()
                    except _NotUtf8:
                        return
                    yield Slice(result, first=first, last=is_last, prepared=rows)
                    if first and any(p.is_error and _is_file_level(p) for p in result.problems):
                        return  # a missing column: every slice would say the same
                    first = False
        finally:
            for future, _ in pending:
                future.cancel()


class _NotUtf8(Exception):
    """A slice was cut from a file that turned out not to be UTF-8."""


class Problems:
    """Collects problems from all slices: totals, and the first ``MAX_PROBLEMS`` errors-first."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.n_errors = 0
        self.n_warnings = 0
        self._header: set[tuple[str, str, str]] = set()

    def add_result(self, piece: Slice) -> None:
        result = piece.result
        problems = list(result.problems)
        if piece.first:
            self._header = {(p.column, p.message, p.severity) for p in problems if _is_file_level(p)}
        else:
            # Every slice carries the header again, and with it the header's problems: count and
            # list those once. Any other problem of the whole slice (unreadable text) still counts.
            repeated = [
                p for p in problems if _is_file_level(p) and (p.column, p.message, p.severity) in self._header
            ]
            problems = [p for p in problems if p not in repeated]
            self.n_errors -= sum(p.is_error for p in repeated)
            self.n_warnings -= sum(not p.is_error for p in repeated)
        self.listed.extend(problems)
        self.n_errors += result.n_errors
        self.n_warnings += result.n_warnings
        self._trim()

    def add(self, problems: list[Problem], n_errors: int, n_warnings: int = 0) -> None:
        self.listed.extend(problems)
        self.n_errors += n_errors
        self.n_warnings += n_warnings
        self._trim()

    def _trim(self) -> None:
        if len(self.listed) > 4 * MAX_PROBLEMS:
            self.listed = self.first()

    def first(self) -> list[Problem]:
        ordered = sorted(self.listed, key=lambda p: (not p.is_error, p.row or 0))
        return ordered[:MAX_PROBLEMS]


def row_problems(
    frame: pl.DataFrame,
    mask: pl.Expr,
    *,
    column: str,
    value: pl.Expr,
    message: Callable[[dict[str, object]], str],
    extra: tuple[str, ...] = (),
) -> tuple[list[Problem], int]:
    """Errors for the rows of ``frame`` where ``mask`` holds: the first ones listed, all counted."""
    hits = frame.filter(mask)
    listed = [
        Problem(row=r["rad"], column=column, value=str(r["_value"]), message=message(r), severity="error")
        for r in hits.head(MAX_PROBLEMS).select("rad", value.alias("_value"), *extra).iter_rows(named=True)
    ]
    return listed, hits.height
