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
