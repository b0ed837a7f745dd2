"""A small HTTP client for public statistics APIs: timeouts, retries, rate limits, cache, recordings.

The network is reached through a :class:`Transport`. :class:`UrllibTransport` talks to the real
publishers; :class:`RecordedTransport` answers from recorded responses (JSON files), which is how
the tests and ``--offline`` run without a network. On top of a transport, :class:`HttpClient`
adds what a polite client owes the publisher: a User-Agent that says who is asking, a rate limit,
retries with exponential back-off on temporary failures only, and an on-disk cache so the same
question is not asked twice within a day.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from lsoplan.lib.publicdata.errors import (
    FetchError,
    HttpStatusError,
    NoRecordingError,
    ResponseFormatError,
)

DEFAULT_TIMEOUT = 30.0
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = DEFAULT_TIMEOUT

    @property
    def key(self) -> str:
        """Cache and recording key: method, URL and body, each in a canonical form."""
        raw = "\n".join([self.method.upper(), canonical_url(self.url), canonical_body(self.body)])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


class Transport(Protocol):
    def send(self, request: Request) -> Response: ...


class TransportError(Exception):
    """The request did not get an HTTP answer (DNS, refused connection, timeout): worth a retry."""


def canonical_url(url: str) -> str:
    """The same URL however it was spelled: decoded then re-encoded, query parameters sorted."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.quote(urllib.parse.unquote(parts.path), safe="/,:")
    query = urllib.parse.urlencode(sorted(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def canonical_body(body: bytes | None) -> str:
    if not body:
        return ""
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        return base64.b64encode(body).decode("ascii")


class UrllibTransport:
    """The real network, through the standard library (no extra dependency)."""

    def send(self, request: Request) -> Response:
        if urllib.parse.urlsplit(request.url).scheme not in ("http", "https"):
            raise TransportError(f"bara http och https stöds: {request.url}")
        req = urllib.request.Request(
            request.url, data=request.body, method=request.method, headers=dict(request.headers)
        )
        try:
            with urllib.request.urlopen(req, timeout=request.timeout) as resp:
                return Response(resp.status, resp.read(), dict(resp.headers.items()))
        except urllib.error.HTTPError as exc:
            headers = dict(exc.headers.items()) if exc.headers else {}
            return Response(exc.code, exc.read() or b"", headers)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransportError(str(getattr(exc, "reason", exc))) from exc


@dataclass(frozen=True)
class Recording:
    method: str
    url: str
    body: Any
    status: int
    response: bytes
    any_query: bool
    source_file: str


class RecordedTransport:
    """Answers from recorded exchanges instead of the network.

    A recording file is JSON: ``{"note": "...", "exchanges": [{"method", "url", "body"?, "status"?,
    "response" | "response_text", "any_query"?}]}``. ``response`` holds the publisher's JSON as
    recorded; ``response_text`` holds a raw body (for broken answers). A request matches on
    method, URL and body in canonical form; an exchange with ``any_query: true`` also answers
    requests to the same path with any query string (used for searches, which the client then
    filters itself). ``calls`` lists every request seen, for tests.
    """

    def __init__(self, *paths: Path) -> None:
        self._exact: dict[str, Recording] = {}
        self._by_path: dict[tuple[str, str], Recording] = {}
        self.calls: list[Request] = []
        for path in paths:
            files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
            for file in files:
                self.load(file)

    def load(self, file: Path) -> None:
        raw = json.loads(file.read_text(encoding="utf-8"))
        for ex in raw.get("exchanges", []):
            self.add(
                ex["method"],
                ex["url"],
                ex.get("body"),
                ex.get("response"),
                status=int(ex.get("status", 200)),
                text=ex.get("response_text"),
                any_query=bool(ex.get("any_query", False)),
                source_file=file.name,
            )

    def add(
        self,
        method: str,
        url: str,
        body: Any,
        response: Any,
        *,
        status: int = 200,
        text: str | None = None,
        any_query: bool = False,
        source_file: str = "",
    ) -> None:
        payload = text.encode("utf-8") if text is not None else json.dumps(response).encode("utf-8")
        encoded_body = json.dumps(body).encode("utf-8") if body is not None else None
        rec = Recording(method.upper(), url, body, status, payload, any_query, source_file)
        self._exact[Request(method.upper(), url, encoded_body).key] = rec
        if any_query:
            self._by_path[(method.upper(), _path_of(url))] = rec

    def send(self, request: Request) -> Response:
        self.calls.append(request)
        rec = self._exact.get(request.key)
        if rec is None and not request.body:
            rec = self._by_path.get((request.method.upper(), _path_of(request.url)))
        if rec is None:
            raise NoRecordingError(request.method.upper(), request.url)
        return Response(rec.status, rec.response, {"Content-Type": "application/json"})

    @property
    def urls(self) -> list[str]:
        return sorted({r.url for r in self._exact.values()})


def _path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(canonical_url(url))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class RateLimiter:
    """At most ``calls`` requests in any window of ``period`` seconds (a sliding window).

    The clock and the sleep are injectable so that tests can run it on a fake clock.
    """

    def __init__(
        self,
        calls: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if calls < 1 or period <= 0:
            raise ValueError("calls must be ≥ 1 and period > 0")
        self.calls = calls
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()

    def acquire(self) -> float:
        """Wait until a request is allowed; return how long we waited."""
        waited = 0.0
        while True:
            now = self._clock()
            while self._stamps and self._stamps[0] <= now - self.period:
                self._stamps.popleft()
            if len(self._stamps) < self.calls:
                self._stamps.append(now)
                return waited
            delay = self._stamps[0] + self.period - now
            self._sleep(delay)
            waited += delay


class DiskCache:
    """Successful responses on disk, keyed by method + URL + body, kept for ``ttl`` seconds."""

    def __init__(
        self, directory: Path, *, ttl: float | None = 12 * 3600, clock: Callable[[], float] = time.time
    ) -> None:
        self.directory = directory
        self.ttl = ttl
        self._clock = clock
        self.hits = 0

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, request: Request) -> bytes | None:
        file = self._file(request.key)
        try:
            entry = json.loads(file.read_text(encoding="utf-8"))
            body = base64.b64decode(entry["body"])
            stored = float(entry["stored_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: fetch again rather than fail
        if self.ttl is not None and self._clock() - stored > self.ttl:
            return None
        self.hits += 1
        return body

    def put(self, request: Request, body: bytes) -> None:
        file = self._file(request.key)
        file.parent.mkdir(parents=True, exist_ok=True)
        entry = {
            "method": request.method,
            "url": request.url,
            "stored_at": self._clock(),
            "body": base64.b64encode(body).decode("ascii"),
        }
        tmp = file.with_suffix(".tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        tmp.replace(file)  # atomic: a reader never sees half a file

    def clear(self) -> None:
        for file in self.directory.rglob("*.json"):
            file.unlink(missing_ok=True)


def user_agent(version: str, contact: str) -> str:
    """``lsoplan/<version> (+<contact>)``: publishers ask clients to say who they are."""
    return f"lsoplan/{version} (+{contact or 'contact not set'})"


class HttpClient:
    """JSON over HTTP, politely: User-Agent, rate limit, retries with back-off, cache."""

    def __init__(
        self,
        transport: Transport,
        *,
        user_agent: str,
        limiter: RateLimiter | None = None,
        cache: DiskCache | None = None,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        timeout: float = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport
        self.user_agent = user_agent
        self.limiter = limiter
        self.cache = cache
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._sleep = sleep
        self.requests_sent = 0
        self.backoffs: list[float] = []  # every back-off delay, for tests and the summary

    def get_json(self, url: str, *, check: Callable[[Any], None] | None = None) -> Any:
        return self._json(Request("GET", url, None, self._headers(), self.timeout), check)

    def post_json(self, url: str, payload: Any, *, check: Callable[[Any], None] | None = None) -> Any:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = (*self._headers(), ("Content-Type", "application/json"))
        return self._json(Request("POST", url, body, headers, self.timeout), check)

    def _headers(self) -> tuple[tuple[str, str], ...]:
        return (("User-Agent", self.user_agent), ("Accept", "application/json"))

    def _json(self, request: Request, check: Callable[[Any], None] | None) -> Any:
        cached = self.cache.get(request) if self.cache else None
        if cached is not None:
            try:
                data = decode_json(cached, request.url)
                if check:
                    check(data)
                return data
            except ResponseFormatError:
                pass  # a cached answer we can no longer read: ask again
        body = self.send(request)
        data = decode_json(body, request.url)
        if check:
            check(data)  # only answers that pass the format check are cached
        if self.cache:
            self.cache.put(request, body)
        return data

    def send(self, request: Request) -> bytes:
        """The body of a successful response, retrying temporary failures with back-off."""
        problem = ""
        for attempt in range(self.retries + 1):
            if self.limiter:
                self.limiter.acquire()
            self.requests_sent += 1
            retry_after: float | None = None
            try:
                response = self.transport.send(request)
            except TransportError as exc:
                problem = f"{request.url} gick inte att nå: {exc}"
            else:
                if 200 <= response.status < 300:
                    return response.body
                if response.status not in RETRYABLE_STATUS:
                    raise HttpStatusError(response.status, request.url)
                problem = f"{request.url} svarade med HTTP {response.status}"
                retry_after = _retry_after(response.header("Retry-After"))
            if attempt == self.retries:
                break
            delay = min(self.max_backoff, self.backoff * 2**attempt)
            if retry_after is not None:
                delay = min(self.max_backoff, max(delay, retry_after))
            self.backoffs.append(delay)
            self._sleep(delay)
        raise FetchError(f"{problem} (gav upp efter {self.retries + 1} försök)")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def decode_json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ResponseFormatError(url, f"svaret är inte giltig JSON ({exc})") from exc


def join_url(base: str, *parts: str, query: Iterable[tuple[str, str]] = ()) -> str:
    """``base`` + path segments (each percent-encoded, commas kept for Kolada's id lists) + query."""
    path = "/".join(urllib.parse.quote(p.strip("/"), safe=",") for p in parts if p)
    url = f"{base.rstrip('/')}/{path}" if path else base
    q = urllib.parse.urlencode(list(query))
    return f"{url}?{q}" if q else url
