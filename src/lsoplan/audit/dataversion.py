"""Data versions: compute on write, read from the cache.

Verdicts, SMART results, egenkontroll outcomes, goal-chain gaps and counts change only when
someone writes. Every write bumps a number for the organisation written to (``bump``; the audit
trail's ``record`` does it, so every audited service gets it for free), or the global number
for data every organisation shares (reference data, public statistics). ``cached`` keys each
result with both numbers, so after a write the old results are never read again: no stale page,
no invalidation lists to keep.

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
CACHE_SECONDS = 7 * 24 * 3600  # the key changes with the data; the timeout only bounds memory
_MISSING = object()
log = logging.getLogger(__name__)

# Within one request the numbers are read once (the middleware turns this on and off); a bump
# forgets them, so a request that writes and then renders sees its own write.
_memo = threading.local()


def _key(organisation_id: int | None) -> str:
    return GLOBAL if organisation_id is None else f"org:{organisation_id}"


def bump(organisation_id: int | None, *, using: str = "default") -> None:
    """A write to the organisation's data (``None``: the data all organisations share).

    Call inside the writing transaction: a rolled-back write rolls the number back too.
    """
    key = _key(organisation_id)
    now_us = time.time_ns() // 1000
    rows = DataVersion.objects.using(using)
    updated = rows.filter(key=key).update(counter=Greatest(F("counter") + 1, Value(now_us)))
    if not updated:
        # The first write: a concurrent first write may create the row too, so ignore the clash.
        rows.bulk_create([DataVersion(key=key, counter=now_us)], ignore_conflicts=True)
    _forget()


def _forget() -> None:
    if getattr(_memo, "numbers", None) is not None:
        _memo.numbers = {}


def numbers(organisation_id: int | None) -> tuple[int, int]:
    """The organisation's number and the global one (0 before the first write)."""
    memo: dict[int | None, tuple[int, int]] | None = getattr(_memo, "numbers", None)
    if memo is not None and organisation_id in memo:
        return memo[organisation_id]
    keys = [GLOBAL] if organisation_id is None else [_key(organisation_id), GLOBAL]
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "counter"))
    result = (found.get(_key(organisation_id), 0), found.get(GLOBAL, 0))
    if memo is not None:
        memo[organisation_id] = result
    return result


def cache_key(organisation_id: int | None, name: str, parts: Hashable = ()) -> str:
    own, shared = numbers(organisation_id)
    # Hashed: memcached and the database cache limit a key's length and characters.
    detail = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"lsoplan:{name}:{organisation_id}:{own}:{shared}:{detail}"


def enabled() -> bool:
    return bool(getattr(settings, "LSOPLAN_PAGE_CACHE", True))


def cached(
    organisation_id: int | None,
    name: str,
    parts: Hashable,
    compute: Callable[[], T],
    *,
    timeout: int = CACHE_SECONDS,
) -> T:
    """``compute()``, or its result from the cache under the current data versions.

    ``name`` and ``parts`` must name everything else the result depends on (the version's pk, a
    year, a filter); the value must pickle (plain dataclasses, lists, dicts), not model instances
    that the page would then use to query further.
    """
    if not enabled():
        return compute()
    key = cache_key(organisation_id, name, parts)
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
