"""The HTTP layer: rate limits and back-off on a fake clock, retries, cache, recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lsoplan.lib.publicdata.errors import FetchError, HttpStatusError, NoRecordingError, ResponseFormatError
from lsoplan.lib.publicdata.http import (
    DiskCache,
    HttpClient,
    RateLimiter,
    RecordedTransport,
    Request,
    Response,
    TransportError,
    canonical_url,
    join_url,
    user_agent,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Scripted:
    """A transport that answers from a list, one answer per call, and remembers the requests."""

    def __init__(self, *answers: Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


OK = Response(200, b'{"values": []}')


def client(transport: Scripted, clock: FakeClock, **kwargs: object) -> HttpClient:
    return HttpClient(transport, user_agent="lsoplan/test (+test)", sleep=clock.sleep, **kwargs)  # type: ignore[arg-type]


def test_rate_limiter_allows_thirty_calls_per_ten_seconds_then_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(30, 10.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(30)]
    assert waits == [0.0] * 30 and clock.sleeps == []
    assert limiter.acquire() == pytest.approx(10.0)  # the 31st call waits for the window to move on
    assert clock.now == pytest.approx(1010.0)


def test_rate_limiter_window_slides() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 0.6
    limiter.acquire()
    assert limiter.acquire() == pytest.approx(0.4)  # the first call leaves the window at t=1.0
    assert limiter.acquire() == pytest.approx(0.6)


def test_rate_limiter_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, 1.0)


def test_every_request_passes_the_limiter_and_carries_the_user_agent() -> None:
    clock = FakeClock()
    transport = Scripted(*[OK] * 3)
    limiter = RateLimiter(2, 10.0, clock=clock, sleep=clock.sleep)
    http = client(transport, clock, limiter=limiter)
    for _ in range(3):
        http.get_json("https://example.test/x")
    assert clock.sleeps == [pytest.approx(10.0)]
    assert dict(transport.requests[0].headers)["User-Agent"] == "lsoplan/test (+test)"


def test_user_agent_names_version_and_contact() -> None:
    assert user_agent("1.2.3", "mailto:rtj@example.se") == "lsoplan/1.2.3 (+mailto:rtj@example.se)"
    assert user_agent("1.2.3", "") == "lsoplan/1.2.3 (+contact not set)"


def test_server_errors_are_retried_with_exponential_backoff() -> None:
    clock = FakeClock()
    transport = Scripted(Response(503, b""), Response(502, b""), TransportError("timeout"), OK)
    http = client(transport, clock, backoff=1.0)
    assert http.get_json("https://example.test/x") == {"values": []}
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(transport.requests) == 4


def test_backoff_is_capped_and_honours_retry_after() -> None:
    clock = FakeClock()
    transport = Scripted(Response(429, b"", {"Retry-After": "7"}), Response(500, b""), OK)
    http = client(transport, clock, backoff=4.0, max_backoff=5.0)
    http.get_json("https://example.test/x")
    assert clock.sleeps == [5.0, 5.0]  # Retry-After 7 s and 2×4 s are both capped at 5 s


def test_gives_up_after_the_retries_with_a_clear_error() -> None:
    clock = FakeClock()
    transport = Scripted(*[TransportError("Name or service not known")] * 4)
    http = client(transport, clock, retries=3)
    with pytest.raises(FetchError, match=r"gick inte att nå.*4 försök"):
        http.get_json("https://example.test/x")
    assert len(clock.sleeps) == 3


def test_client_errors_are_not_retried() -> None:
    clock = FakeClock()
    transport = Scripted(Response(404, b"not found"))
    with pytest.raises(HttpStatusError) as info:
        client(transport, clock).get_json("https://example.test/x")
    assert info.value.status == 404 and clock.sleeps == []


def test_broken_json_is_a_format_error() -> None:
    transport = Scripted(Response(200, b"<html>Service unavailable</html>"))
    with pytest.raises(ResponseFormatError, match="inte giltig JSON"):
        client(transport, FakeClock()).get_json("https://example.test/x")


def test_cache_hit_skips_network_and_limiter(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = DiskCache(tmp_path, clock=clock)
    transport = Scripted(OK)
    limiter = RateLimiter(1, 10.0, clock=clock, sleep=clock.sleep)
    http = client(transport, clock, cache=cache, limiter=limiter)
    assert http.get_json("https://example.test/x?a=1&b=2") == {"values": []}
    assert http.get_json("https://example.test/x?b=2&a=1") == {"values": []}  # same URL, other order
    assert len(transport.requests) == 1 and cache.hits == 1 and clock.sleeps == []


def test_cache_expires(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = DiskCache(tmp_path, ttl=60, clock=clock)
    transport = Scripted(OK, OK)
    http = client(transport, clock, cache=cache)
    http.get_json("https://example.test/x")
    clock.now += 61
    http.get_json("https://example.test/x")
    assert len(transport.requests) == 2


def test_cache_key_includes_the_post_body(tmp_path: Path) -> None:
    clock = FakeClock()
    http = client(Scripted(OK, OK), clock, cache=DiskCache(tmp_path, clock=clock))
    http.post_json("https://example.test/t", {"query": [1]})
    http.post_json("https://example.test/t", {"query": [2]})
    http.post_json("https://example.test/t", {"query": [1]})
    assert http.requests_sent == 2


def test_answers_that_fail_the_check_are_not_cached(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = DiskCache(tmp_path, clock=clock)
    transport = Scripted(Response(200, b'{"unexpected": 1}'), OK)
    http = client(transport, clock, cache=cache)

    def check(data: object) -> None:
        if not isinstance(data, dict) or "values" not in data:
            raise ResponseFormatError("https://example.test/x", "fältet 'values' saknas")

    with pytest.raises(ResponseFormatError):
        http.get_json("https://example.test/x", check=check)
    assert http.get_json("https://example.test/x", check=check) == {"values": []}
    assert len(transport.requests) == 2


def test_unreadable_cache_file_means_fetch_again(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = DiskCache(tmp_path, clock=clock)
    request = Request("GET", "https://example.test/x")
    cache.put(request, b"{}")
    next(tmp_path.rglob("*.json")).write_text("{not json", encoding="utf-8")
    assert cache.get(request) is None


def test_recorded_transport_matches_canonical_body_and_url(tmp_path: Path) -> None:
    file = tmp_path / "rec.json"
    file.write_text(
        json.dumps(
            {
                "note": "test",
                "exchanges": [
                    {"method": "POST", "url": "https://example.test/t", "body": {"b": 1, "a": [1, 2]},
                     "response": {"ok": True}},
                    {"method": "GET", "url": "https://example.test/kpi?title=brand", "any_query": True,
                     "response": {"values": ["all"]}},
                    {"method": "GET", "url": "https://example.test/broken", "response_text": "<html>"},
                ],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    rec = RecordedTransport(tmp_path)
    body = json.dumps({"a": [1, 2], "b": 1}).encode()
    assert json.loads(rec.send(Request("POST", "https://example.test/t", body)).body) == {"ok": True}
    assert json.loads(rec.send(Request("GET", "https://example.test/kpi?title=x%C3%A4")).body) == {
        "values": ["all"]
    }
    assert rec.send(Request("GET", "https://example.test/broken")).body == b"<html>"
    with pytest.raises(NoRecordingError, match="offline"):
        rec.send(Request("POST", "https://example.test/t", b'{"a": [2, 1], "b": 1}'))
    assert len(rec.calls) == 4


def test_canonical_url_and_join_url() -> None:
    assert canonical_url("https://API.example.test/a%2Cb?z=1&a=%C3%A4") == canonical_url(
        "https://api.example.test/a,b?a=ä&z=1"
    )
    assert join_url("https://x.test/v3/", "data", "kpi", "N1,N2", query=[("title", "brand i byggnad")]) == (
        "https://x.test/v3/data/kpi/N1,N2?title=brand+i+byggnad"
    )
