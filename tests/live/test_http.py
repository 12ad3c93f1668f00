"""The HTTP layer against a real local server: 429 + Retry-After, retries, timeouts, offline."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from atlas.live.http import LiveError, LiveHttp, RateLimiter, retry_after_seconds

from .fakeapi import FakeApis, Reply, serve


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_sliding_window():
    clock = FakeClock()
    limiter = RateLimiter(3, 10, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        assert limiter.wait() == 0
    assert limiter.wait() == 10  # the 4th call waits until the 1st leaves the window
    clock.now += 4
    limiter.wait()
    assert clock.slept == [10]


def test_retry_after_parsing():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("0") == 0 and retry_after_seconds("7") == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


@pytest.fixture()
def fake(built_db):
    return FakeApis(built_db)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_429_waits_as_told_then_succeeds(fake):
    clock = FakeClock()
    with serve(fake) as urls:
        url = urls["af"]
        fake.queue("GET", "/prognoser/yrkesbarometer.json", Reply(429, b"", {"Retry-After": "2"}),
                   Reply(429, b""))  # no Retry-After: exponential backoff, 0.5 * 2
        http = LiveHttp(backoff_s=0.5, sleep=clock.sleep)
        assert http.get(url, service="af") == fake.af_body
    assert clock.slept == [2.0, 1.0]
    assert fake.count("GET", "/prognoser", 429) == 2 and fake.count("GET", "/prognoser", 200) == 1


def test_429_forever_gives_up_with_message(fake):
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json", *[Reply(429, b"", {"Retry-After": "0"})] * 4)
        with pytest.raises(LiveError) as err:
            LiveHttp(max_429=3, sleep=lambda s: None).get(urls["af"], service="af")
    assert "429" in err.value.message and err.value.kind == "http"


def test_server_errors_are_retried_client_errors_are_not(fake):
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json", Reply(503, b"busy"))
        assert LiveHttp(retries=1, sleep=lambda s: None).get(urls["af"], service="af") == fake.af_body
        with pytest.raises(LiveError) as err:
            LiveHttp(retries=3, sleep=lambda s: None).get(urls["af"] + ".nope", service="af")
    assert "404" in str(err.value)
    assert fake.count("GET", "/prognoser/yrkesbarometer.json.nope") == 1  # a 404 is not retried


def test_read_timeout_fails_with_message(fake):
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json", Reply(200, b"[]", delay_s=2), Reply(200, b"[]", delay_s=2))
        t0 = time.perf_counter()
        with pytest.raises(LiveError) as err:
            LiveHttp(read_timeout=0.3, retries=1, backoff_s=0).get(urls["af"], service="af")
        assert time.perf_counter() - t0 < 2
    assert err.value.kind == "timeout" and "svarade inte inom 0.3 s" in err.value.message_sv


def test_offline_fails_fast_without_retries():
    url = f"http://127.0.0.1:{_free_port()}/x"
    http = LiveHttp()  # the real defaults: 5 s connect timeout, 2 retries
    t0 = time.perf_counter()
    with pytest.raises(LiveError) as err:
        http.get(url, service="scb")
    assert time.perf_counter() - t0 < 2
    assert err.value.kind == "offline"
    assert err.value.message_sv.startswith("Kunde inte nå 127.0.0.1:")
    assert "anslutningen nekades" in err.value.message_sv
    assert "Could not reach" in err.value.message_en and http.calls["scb"] == 1


# --- limits: size, truncation, content type, one deadline per update (issue 12, item 5) ---------------

def test_a_body_past_the_byte_cap_is_abandoned_while_streaming(fake):
    """Without Content-Length (chunked transfer is not what the fake speaks, so the header lies low)
    and with an honest one: either way the read stops at the cap and names host and path."""
    body = b"[" + b"0," * 60_000 + b"0]"  # 120 kB
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json", Reply(200, body, {"Content-Type": "application/json"}))
        with pytest.raises(LiveError) as err:
            LiveHttp(max_bytes=50_000).get(urls["af"], service="af")
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, body, {"Content-Type": "application/json", "Content-Length": "1000"}, chunk=1000))
        # the header says 1000, the server sends 1000 and stops: exactly at a 1000-byte cap it is accepted
        assert LiveHttp(max_bytes=1000).get(urls["af"], service="af") == body[:1000]
    assert err.value.kind == "limit" and "/prognoser/yrkesbarometer.json" in err.value.message_sv
    assert "större än gränsen" in err.value.message_sv and "larger than the" in err.value.message_en


def test_a_stream_larger_than_declared_cannot_pass_the_cap(fake, monkeypatch):
    """The cap counts bytes read, not what the header claims: a decompressed body (gzip) or a lying
    header is stopped at the cap all the same."""
    import gzip
    bomb = gzip.compress(b"0" * 5_000_000)  # 5 MB of zeros in about 5 kB
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}))
        with pytest.raises(LiveError) as err:
            LiveHttp(max_bytes=1_000_000).get(urls["af"], service="af")
    assert len(bomb) < 20_000 and err.value.kind == "limit"


def test_a_truncated_body_is_reported_as_cut_off(fake):
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, b'[{"a": 1}', {"Content-Type": "application/json", "Content-Length": "5000"}))
        with pytest.raises(LiveError) as err:
            LiveHttp(retries=0).get(urls["af"], service="af")
    assert err.value.kind == "format"
    assert "bröts av innan det var komplett" in err.value.message_sv and "cut off" in err.value.message_en


def test_a_body_that_is_not_json_is_refused_before_parsing(fake):
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, b"<html>Logga in</html>", {"Content-Type": "text/html; charset=utf-8"}))
        with pytest.raises(LiveError) as err:
            LiveHttp().get(urls["af"], service="af")
        # problem+json and json-stat's own media type are JSON
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, b"[]", {"Content-Type": "application/vnd.json-stat2+json"}))
        assert LiveHttp().get(urls["af"], service="af") == b"[]"
    assert err.value.kind == "format" and "'text/html'" in err.value.message_sv and "not JSON" in err.value.message_en


def test_one_deadline_covers_every_request_wait_and_read(fake):
    """A server that drips its body keeps each read under the read timeout; only the update's
    deadline stops it. A Retry-After longer than the time left fails at once instead of sleeping."""
    body = b"[" + b"0," * 50 + b"0]"
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(200, body, {"Content-Type": "application/json"}, chunk=4, chunk_delay_s=0.1))
        http = LiveHttp(read_timeout=1.0)
        http.set_deadline(0.8)
        t0 = time.perf_counter()
        with pytest.raises(LiveError) as err:
            http.get(urls["af"], service="af")
        assert time.perf_counter() - t0 < 2
        assert err.value.kind == "timeout" and "tidsgräns på 0.8 s" in err.value.message_sv
        slept = []
        fake.queue("GET", "/prognoser/yrkesbarometer.json", Reply(429, b"", {"Retry-After": "30"}))
        paced = LiveHttp(sleep=slept.append)
        paced.set_deadline(5)
        with pytest.raises(LiveError) as err:
            paced.get(urls["af"], service="af")
    assert slept == [] and "reached its time limit of 5 s" in err.value.message_en


def test_problem_json_errors_are_quoted_and_cell_refusals_are_limits(fake):
    """PxWebApi 2's server answers too many cells with 400 + problem+json (its spec says 403)."""
    problem = b'{"type":"Parameter error","title":"Too many cells selected","status":400}'
    with serve(fake) as urls:
        fake.queue("GET", "/prognoser/yrkesbarometer.json",
                   Reply(400, problem, {"Content-Type": "application/problem+json"}))
        with pytest.raises(LiveError) as err:
            LiveHttp().get(urls["af"], service="af")
    assert err.value.kind == "limit" and "Too many cells selected" in err.value.message_sv
    assert "för många celler" in err.value.message_sv and "too many cells" in err.value.message_en
