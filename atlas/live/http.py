"""HTTP for live updates: one session, short connect timeout, per-service rate limits, retries.

Every failure becomes a ``LiveError`` whose message names the host and the cause in Swedish and
English, so the CLI and the app can show it as is. Policy:

* connection failures before a host has answered once in this run (no network, DNS failure,
  connection refused, connect timeout) fail at once: being offline should take seconds, not minutes;
* read timeouts, 5xx answers and dropped connections to a host that did answer are retried
  ``retries`` times with exponential backoff;
* 429 Too Many Requests waits as long as Retry-After says (seconds or an HTTP date; else the
  backoff), capped at ``max_wait_s``, at most ``max_429`` times per request;
* other 4xx answers fail at once (the query itself is wrong; trying again will not help).
"""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable
from urllib.parse import urlsplit

import requests

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
USER_AGENT = "Inkluderingsatlas/1.0 (live update; open data)"


class LiveError(RuntimeError):
    """A live dataset could not be fetched or understood.

    kind: "offline" | "timeout" | "http" | "format" | "schema" | "limit" | "catalogue" | "build".
    ``message`` is Swedish and English in one line (for the CLI); the UI can pick ``message_sv`` or
    ``message_en``.
    """

    def __init__(self, message_sv: str, message_en: str, *, kind: str = "error"):
        super().__init__(f"{message_sv} / {message_en}")
        self.message_sv = message_sv
        self.message_en = message_en
        self.kind = kind

    @property
    def message(self) -> str:
        return f"{self.message_sv} / {self.message_en}"

    def __str__(self) -> str:
        return self.message


class RateLimiter:
    """At most ``max_calls`` calls in any ``window_s`` seconds (a sliding window)."""

    def __init__(self, max_calls: int, window_s: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.max_calls, self.window_s = max(1, int(max_calls)), float(window_s)
        self._clock, self._sleep = clock, sleep
        self._calls: deque[float] = deque()

    def wait(self) -> float:
        """Block until one more call is allowed; return the seconds waited."""
        waited = 0.0
        while True:
            now = self._clock()
            while self._calls and self._calls[0] <= now - self.window_s:
                self._calls.popleft()
            if len(self._calls) < self.max_calls:
                self._calls.append(now)
                return waited
            pause = self._calls[0] + self.window_s - now
            self._sleep(pause)
            waited += pause


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header ("5" or an HTTP date); None when absent/unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _connect_reason(exc: Exception) -> tuple[str, str]:
    text = str(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "ingen anslutning inom tidsgränsen", "no connection within the timeout"
    if "refused" in text.lower():
        return "anslutningen nekades", "connection refused"
    if any(s in text for s in ("Name or service not known", "Temporary failure in name resolution",
                               "nodename nor servname", "getaddrinfo failed", "No address associated")):
        return "namnet kunde inte slås upp; inget nät?", "the name could not be resolved; no network?"
    if "Network is unreachable" in text:
        return "nätverket kan inte nås", "the network is unreachable"
    return f"{type(exc).__name__}", f"{type(exc).__name__}"


class LiveHttp:
    """Requests for the live clients. ``service`` names a rate-limit bucket ("scb", "kolada", "af")."""

    def __init__(self, session: requests.Session | None = None, *, connect_timeout: float = CONNECT_TIMEOUT_S,
                 read_timeout: float = READ_TIMEOUT_S, retries: int = 2, backoff_s: float = 1.0,
                 max_429: int = 5, max_wait_s: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.retries, self.backoff_s = retries, backoff_s
        self.max_429, self.max_wait_s = max_429, max_wait_s
        self._sleep, self._clock = sleep, clock
        self._limits: dict[str, RateLimiter] = {}
        self._answered: set[str] = set()  # hosts that answered at least once in this run
        self.calls: dict[str, int] = {}  # requests sent per service (for the plan/summary)

    def set_limit(self, service: str, max_calls: int, window_s: float) -> None:
        self._limits[service] = RateLimiter(max_calls, window_s, clock=self._clock, sleep=self._sleep)

    def get(self, url: str, *, service: str) -> bytes:
        """The body of a GET; raises LiveError."""
        return self._request("GET", url, service)

    def post_json(self, url: str, body: Any, *, service: str) -> bytes:
        """The body of a POST with a JSON body; raises LiveError."""
        return self._request("POST", url, service, json=body)

    def _request(self, method: str, url: str, service: str, **kwargs) -> bytes:
        host = urlsplit(url).netloc
        limiter = self._limits.get(service)
        attempt = n429 = 0
        while True:
            if limiter:
                limiter.wait()
            self.calls[service] = self.calls.get(service, 0) + 1
            try:
                resp = self.session.request(method, url, timeout=self.timeout,
                                            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                                            **kwargs)
            except requests.exceptions.ConnectionError as exc:  # includes ConnectTimeout
                if host not in self._answered or attempt >= self.retries:
                    sv, en = _connect_reason(exc)
                    raise LiveError(f"Kunde inte nå {host} ({sv}).", f"Could not reach {host} ({en}).",
                                    kind="offline") from exc
            except requests.exceptions.Timeout as exc:  # read timeout: the host is up but slow
                if attempt >= self.retries:
                    raise LiveError(
                        f"{host} svarade inte inom {self.timeout[1]:g} s ({attempt + 1} försök).",
                        f"{host} did not answer within {self.timeout[1]:g} s ({attempt + 1} attempts).",
                        kind="timeout") from exc
            except requests.exceptions.RequestException as exc:
                raise LiveError(f"Anropet till {host} misslyckades ({type(exc).__name__}: {exc}).",
                                f"The request to {host} failed ({type(exc).__name__}: {exc}).",
                                kind="http") from exc
            else:
                self._answered.add(host)
                status = resp.status_code
                if status == 429:
                    n429 += 1
                    if n429 > self.max_429:
                        raise LiveError(
                            f"{host} svarar fortfarande 429 (för många anrop) efter {self.max_429} väntningar.",
                            f"{host} still answers 429 (too many requests) after {self.max_429} waits.", kind="http")
                    wait = retry_after_seconds(resp.headers.get("Retry-After"))
                    if wait is None:
                        wait = self.backoff_s * 2 ** (n429 - 1)
                    self._sleep(min(wait, self.max_wait_s))
                    continue  # a 429 is the server pacing us, not a failed attempt
                if status < 400:
                    return resp.content
                if status < 500 or attempt >= self.retries:
                    raise _status_error(host, url, status, resp.text[:200])
            self._sleep(self.backoff_s * 2 ** attempt)
            attempt += 1


def _status_error(host: str, url: str, status: int, snippet: str) -> LiveError:
    path = urlsplit(url).path
    snippet = " ".join(snippet.split())
    if status == 403:
        return LiveError(f"{host} nekade frågan (403), troligen för många celler i ett anrop: {path}.",
                         f"{host} refused the query (403), probably too many cells in one call: {path}.",
                         kind="limit")
    if status == 404:
        return LiveError(f"{host} hittar inte {path} (404); tabellen eller nyckeltalet kan ha flyttats.",
                         f"{host} cannot find {path} (404); the table or key figure may have moved.",
                         kind="http")
    return LiveError(f"{host} svarade {status} för {path}: {snippet}",
                     f"{host} answered {status} for {path}: {snippet}", kind="http")
