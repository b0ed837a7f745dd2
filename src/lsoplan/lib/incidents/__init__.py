"""Incident files: reading, mapping, validation and statistics, without Django.

Typical use::

    result = parse_native(upload_bytes)          # or parse_mapped(data, load_mapping(path))
    if not result.ok:
        show(result.problems)                    # nothing may be written
    batch = result.accepted()                    # columns (polars), UTC times
    count_by(batch, ["year", "handelsetyp"])
    response_times(batch, ["kommun"], within_minutes=[10, 20])
"""

from .counts import GROUPINGS, count_by, rates_per_1000
from .lookups import Lookups
from .mapping import ImportMapping, MappingError, load_mapping, parse_mapped, parse_mapping
from .native import parse_native, read_table
from .records import (
    FIELDS,
    REQUIRED,
    SCHEMA,
    FileInfo,
    IncidentBatch,
    IncidentRecord,
    ParseResult,
    Problem,
    RejectedFile,
)
from .responsetimes import METHOD, response_times
from .validate import MAX_PROBLEMS

__all__ = [
    "FIELDS",
    "GROUPINGS",
    "MAX_PROBLEMS",
    "METHOD",
    "REQUIRED",
    "SCHEMA",
    "FileInfo",
    "ImportMapping",
    "IncidentBatch",
    "IncidentRecord",
    "Lookups",
    "MappingError",
    "ParseResult",
    "Problem",
    "RejectedFile",
    "count_by",
    "load_mapping",
    "parse_mapped",
    "parse_mapping",
    "parse_native",
    "rates_per_1000",
    "read_table",
    "response_times",
]
