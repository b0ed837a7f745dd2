"""Data versions: compute on write, read from the cache.

Verdicts, SMART results, egenkontroll outcomes, goal-chain gaps and counts change only when
someone writes. Every write bumps a number for the organisation written to (``bump``; the audit
trail's ``record`` does it, so every audited service gets it for free), or the global number
for data every organisation shares (reference data, public statistics). ``cached`` keys each
result with both numbers, so after a write the old results are never read again: no stale page,
no invalidation lists to keep.

A result may say it reads less (its *scope*): ``SHARED`` reads none of the programme versions'
own content (incident statistics, a verdict from measurements), a version's pk reads that
version's content and the shared data (its goal chain, its follow-up cards). A write to one
version's content (``bump(..., version_id=...)``: a risk, a goal, an indicator of it) then leaves
the results of the shared data and of every other version valid: a planner editing the draft does
not make everyone's follow-up of the adopted programme recompute. Every other write (a
measurement, an import, the version itself, settings) changes the shared number and so every
scope; the organisation's own number changes with every write.

The numbers live in the database (``audit.DataVersion``), bumped in the writing transaction, so
every worker and server sees the same number the moment the write commits; the cache itself may
be per process (locmem) or shared (database, Redis), which only changes how often a result is
computed, never which result is shown. A result computed from data that a concurrent write is
changing carries the number read before it, which no reader uses after the write commits.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse

from lsoplan.audit.models import DataVersion

T = TypeVar("T")
GLOBAL = "global"
ALL = "all"
"""Scope of a result that may read anything of the organisation (the default)."""
SHARED = "shared"
"""Scope of a result that reads none of the programme versions' own content (risks, goals,
indicators, measures, chapters …): incidents, measurements, settings, reference data."""
Scope = int | str  # ALL, SHARED, or a version's pk: reads that version's content and shared data
CACHE_SECONDS = 7 * 24 * 3600  # the key changes with the data; the timeout only bounds memory
_MISSING = object()
log = logging.getLogger(__name__)

# Within one request the numbers are read once (the middleware turns this on and off); a bump
# forgets them, so a request that writes and then renders sees its own write.
_memo = threading.local()


def _key(organisation_id: int | None) -> str:
    return GLOBAL if organisation_id is None else f"org:{organisation_id}"


def _counters_for(organisation_id: int | None, scope: Scope) -> list[str]:
    """The numbers a result of ``scope`` depends on, the global one last."""
    if organisation_id is None:
        return [GLOBAL]
    if scope == ALL:
        return [_key(organisation_id), GLOBAL]
    if scope == SHARED:
        return [f"shared:{organisation_id}", GLOBAL]
    return [f"shared:{organisation_id}", f"ver:{scope}", GLOBAL]


def bump(organisation_id: int | None, *, version_id: int | None = None, using: str = "default") -> None:
    """A write to the organisation's data (``None``: the data all organisations share).

    ``version_id``: the write changed only that programme version's own content (a risk, a goal,
    a chapter of it), so results scoped to the shared data or to another version stay valid; the
    organisation's number changes on every write all the same. Call inside the writing
    transaction: a rolled-back write rolls the numbers back too.
    """
    if organisation_id is None:
        keys = [GLOBAL]
    else:
        own = f"ver:{version_id}" if version_id is not None else f"shared:{organisation_id}"
        keys = [_key(organisation_id), own]
    now_us = time.time_ns() // 1000
    rows = DataVersion.objects.using(using)
    updated = rows.filter(key__in=keys).update(counter=Greatest(F("counter") + 1, Value(now_us)))
    if updated < len(keys):
        # A first write: a concurrent first write may create the row too, so ignore the clash.
        rows.bulk_create([DataVersion(key=k, counter=now_us) for k in keys], ignore_conflicts=True)
    _forget()


def _forget() -> None:
    if getattr(_memo, "numbers", None) is not None:
        _memo.numbers = {}


def _read(keys: list[str]) -> list[int]:
    memo: dict[str, int] | None = getattr(_memo, "numbers", None)
    missing = [k for k in keys if memo is None or k not in memo]
    found: dict[str, int] = {}
    if missing:
        found = dict(DataVersion.objects.filter(key__in=missing).values_list("key", "counter"))
        found |= {k: 0 for k in missing if k not in found}  # 0 before the first write
        if memo is not None:
            memo.update(found)
    return [found[k] if k in found else memo[k] for k in keys]  # type: ignore[index]


def numbers(organisation_id: int | None, scope: Scope = ALL) -> tuple[int, ...]:
    """The numbers a result of ``scope`` depends on; by default the organisation's (changed by
    every write to it) and the global one."""
    wanted = _counters_for(organisation_id, scope)
    if getattr(_memo, "numbers", None) is not None and organisation_id is not None:
        # One query for what a page usually reads: every scope of the organisation at once.
        _read([*_counters_for(organisation_id, ALL), *wanted[:-1]])
    return tuple(_read(wanted))


def cache_key(organisation_id: int | None, name: str, parts: Hashable = (), *, scope: Scope = ALL) -> str:
    versions = ":".join(str(n) for n in numbers(organisation_id, scope))
    # Hashed: memcached and the database cache limit a key's length and characters.
    detail = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"lsoplan:{name}:{organisation_id}:{scope}:{versions}:{detail}"


def enabled() -> bool:
    return bool(getattr(settings, "LSOPLAN_PAGE_CACHE", True))


def cached(
    organisation_id: int | None,
    name: str,
    parts: Hashable,
    compute: Callable[[], T],
    *,
    scope: Scope = ALL,
    timeout: int = CACHE_SECONDS,
) -> T:
    """``compute()``, or its result from the cache under the current data versions.

    ``name`` and ``parts`` must name everything else the result depends on (the version's pk, a
    year, a filter); the value must pickle (plain dataclasses, lists, dicts), not model instances
    that the page would then use to query further. ``scope`` names what of the organisation's
    data it reads (``ALL``; ``SHARED``; a version's pk), and so which writes make it stale.
    """
    if not enabled():
        return compute()
    key = cache_key(organisation_id, name, parts, scope=scope)
    store = caches["default"]
    try:
        value: Any = store.get(key, _MISSING)
    except Exception:  # a cache that is down costs speed, never a page
        log.warning("cache read failed for %s", key, exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            store.set(key, value, timeout)
        except Exception:
            log.warning("cache write failed for %s", key, exc_info=True)
    return value


def get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values of ``keys`` (made by ``cache_key``) that are there."""
    if not enabled() or not keys:
        return {}
    try:
        return caches["default"].get_many(keys)
    except Exception:
        log.warning("cache read failed", exc_info=True)
        return {}


def set_many(values: dict[str, Any], timeout: int = CACHE_SECONDS) -> None:
    if not enabled() or not values:
        return
    try:
        caches["default"].set_many(values, timeout)
    except Exception:
        log.warning("cache write failed", exc_info=True)


class DataVersionMiddleware:
    """Reads the data versions at most once per request (per organisation)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _memo.numbers = {}
        try:
            return self.get_response(request)
        finally:
            _memo.numbers = None
