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

Limits, so that no answer can exhaust memory or time (OWASP: input bounded in size and time before
it is parsed): every body is streamed and abandoned past ``max_bytes`` (after decompression, so a
compressed bomb is caught too); a body shorter than its Content-Length is reported as cut off; an
answer whose Content-Type is not JSON is refused before parsing; and ``set_deadline`` gives the
whole update one deadline that every request, retry wait and read counts against.
"""

from __future__ import annotations

import json
import time
from collections import deque
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
import urllib3

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
# The largest answer the live sources give is an SCB data call at its 150,000-cell limit (about
# 3 MB of json-stat2) or the full Yrkesbarometern file (a few MB); 64 MiB leaves ample room.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
ERROR_BODY_BYTES = 64 * 1024  # enough for a problem+json error; never more
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Inkluderingsatlas/1.0 (live update; open data)"


class LiveError(RuntimeError):
    """A live dataset could not be fetched or understood.

    kind: "offline" | "timeout" | "http" | "missing" (404) | "format" | "schema" | "limit" | "catalogue" |
    "build".
    ``message`` is Swedish and English in one line (for the CLI); the UI can pick ``message_sv`` or
    ``message_en``.
    """

    def __init__(self, message_sv: str, message_en: str, *, kind: str = "error", status: int | None = None):
        super().__init__(f"{message_sv} / {message_en}")
        self.message_sv = message_sv
        self.message_en = message_en
        self.kind = kind
        self.status = status  # the HTTP status when the server answered with an error

    @property
    def unreachable(self) -> bool:
        """True when the service could not be used at all (no connection, no answer in time, not
        there, or failing on its side), as opposed to answering something wrong."""
        return self.kind in ("offline", "timeout", "missing") or (self.status or 0) >= 500

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
                 max_429: int = 5, max_wait_s: float = 60.0, max_bytes: int = MAX_RESPONSE_BYTES,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.retries, self.backoff_s = retries, backoff_s
        self.max_429, self.max_wait_s = max_429, max_wait_s
        self.max_bytes = int(max_bytes)
        self._sleep, self._clock = sleep, clock
        self._limits: dict[str, RateLimiter] = {}
        self._answered: set[str] = set()  # hosts that answered at least once in this run
        self._deadline: float | None = None
        self._deadline_s: float | None = None
        self.calls: dict[str, int] = {}  # requests sent per service (for the plan/summary)

    def set_limit(self, service: str, max_calls: int, window_s: float) -> None:
        self._limits[service] = RateLimiter(max_calls, window_s, clock=self._clock, sleep=self._sleep)

    def set_deadline(self, seconds: float | None) -> None:
        """Every request from now on must finish within ``seconds`` in total (None: no deadline)."""
        self._deadline_s = seconds
        self._deadline = None if seconds is None else self._clock() + float(seconds)

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None when there is none)."""
        return None if self._deadline is None else self._deadline - self._clock()

    def _check_deadline(self, host: str, need: float = 0.0) -> None:
        left = self.remaining()
        if left is not None and left <= need:
            limit = f"{self._deadline_s:g}"
            raise LiveError(f"Uppdateringen nådde sin tidsgräns på {limit} s under anropet till {host}.",
                            f"The update reached its time limit of {limit} s during the request to {host}.",
                            kind="timeout")

    def _pause(self, seconds: float, host: str) -> None:
        # A wait that would end after the deadline fails now instead of sleeping in vain.
        self._check_deadline(host, need=seconds)
        self._sleep(seconds)

    def get(self, url: str, *, service: str, expect: str | None = "json") -> bytes:
        """The body of a GET; raises LiveError. expect: "json" refuses another Content-Type; None accepts any."""
        return self._request("GET", url, service, expect=expect)

    def post_json(self, url: str, body: Any, *, service: str, expect: str | None = "json") -> bytes:
        """The body of a POST with a JSON body; raises LiveError."""
        return self._request("POST", url, service, expect=expect, json=body)

    def _request(self, method: str, url: str, service: str, *, expect: str | None, **kwargs) -> bytes:
        host = urlsplit(url).netloc
        limiter = self._limits.get(service)
        attempt = n429 = 0
        while True:
            self._check_deadline(host)
            if limiter:
                limiter.wait()
                self._check_deadline(host)
            self.calls[service] = self.calls.get(service, 0) + 1
            left = self.remaining()
            timeout = self.timeout if left is None else (min(self.timeout[0], left), min(self.timeout[1], left))
            try:
                resp = self.session.request(method, url, timeout=timeout, stream=True,
                                            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                                            **kwargs)
            except requests.exceptions.ConnectionError as exc:  # includes ConnectTimeout
                if host not in self._answered or attempt >= self.retries:
                    sv, en = _connect_reason(exc)
                    raise LiveError(f"Kunde inte nå {host} ({sv}).", f"Could not reach {host} ({en}).",
                                    kind="offline") from exc
            except requests.exceptions.Timeout as exc:  # read timeout: the host is up but slow
                self._check_deadline(host)
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
                    resp.close()
                    n429 += 1
                    if n429 > self.max_429:
                        raise LiveError(
                            f"{host} svarar fortfarande 429 (för många anrop) efter {self.max_429} väntningar.",
                            f"{host} still answers 429 (too many requests) after {self.max_429} waits.", kind="http")
                    wait = retry_after_seconds(resp.headers.get("Retry-After"))
                    if wait is None:
                        wait = self.backoff_s * 2 ** (n429 - 1)
                    self._pause(min(wait, self.max_wait_s), host)
                    continue  # a 429 is the server pacing us, not a failed attempt
                if status < 400:
                    if expect == "json":
                        _check_json_type(resp, host, url)
                    try:
                        return self._read(resp, host, url, self.max_bytes)
                    except requests.exceptions.ConnectionError as exc:  # dropped mid-body: retry below
                        if attempt >= self.retries:
                            raise LiveError(f"Anslutningen till {host} bröts mitt i svaret för {urlsplit(url).path}.",
                                            f"The connection to {host} broke in the middle of the answer for "
                                            f"{urlsplit(url).path}.", kind="http") from exc
                else:
                    try:
                        snippet = self._read(resp, host, url, ERROR_BODY_BYTES, truncate=True)
                    except (LiveError, requests.exceptions.RequestException):
                        snippet = b""
                    if status < 500 or attempt >= self.retries:
                        raise _status_error(host, url, status, snippet, resp.headers.get("Content-Type", ""))
            self._pause(self.backoff_s * 2 ** attempt, host)
            attempt += 1

    def _read(self, resp: requests.Response, host: str, url: str, limit: int, *, truncate: bool = False) -> bytes:
        """The body, read in chunks: past ``limit`` bytes it is abandoned (or cut, with ``truncate``);
        a body shorter than its Content-Length, or read past the deadline, is an error."""
        path = urlsplit(url).path
        try:
            declared = int(resp.headers.get("Content-Length", ""))
        except ValueError:
            declared = None
        if declared is not None and declared > limit and not truncate:
            resp.close()
            raise _too_large(host, path, limit)
        chunks, total = [], 0
        try:
            # read1 returns after one read from the socket (iter_content would wait for a whole chunk),
            # so the size and the deadline are checked as the bytes arrive; decode_content means the
            # cap counts decompressed bytes.
            while chunk := resp.raw.read1(CHUNK_BYTES, decode_content=True):
                total += len(chunk)
                if total > limit:
                    if truncate:
                        chunks.append(chunk[: len(chunk) - (total - limit)])
                        break
                    raise _too_large(host, path, limit)
                chunks.append(chunk)
                self._check_deadline(host)  # a server dripping bytes must not outlast the update
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:  # IncompleteRead
            raise LiveError(f"Svaret från {host} för {path} bröts av innan det var komplett "
                            f"({total} byte mottagna).",
                            f"The answer from {host} for {path} was cut off before it was complete "
                            f"({total} bytes received).", kind="format") from exc
        except (urllib3.exceptions.ReadTimeoutError, OSError) as exc:  # stalled or dropped mid-body
            raise requests.exceptions.ConnectionError(exc) from exc
        finally:
            resp.close()
        return b"".join(chunks)


def _too_large(host: str, path: str, limit: int) -> LiveError:
    mib = f"{limit / 1024 / 1024:g}"
    return LiveError(f"Svaret från {host} för {path} är större än gränsen {mib} MiB; hämtningen avbröts.",
                     f"The answer from {host} for {path} is larger than the {mib} MiB limit; the download "
                     f"was stopped.", kind="limit")


def _check_json_type(resp: requests.Response, host: str, url: str) -> None:
    """Refuse an answer that says it is not JSON (a portal login page, an HTML error, a PX file)."""
    ctype = resp.headers.get("Content-Type", "")
    media = ctype.split(";", 1)[0].strip().lower()
    if not media or media in ("application/json", "text/json") or media.endswith("+json"):
        return  # no header: let the JSON parser decide
    resp.close()
    path = urlsplit(url).path
    raise LiveError(f"{host} svarade med innehållstypen {media!r} för {path}, inte JSON.",
                    f"{host} answered with content type {media!r} for {path}, not JSON.", kind="format")


def problem_text(body: bytes, content_type: str = "") -> str:
    """"title: detail" from an RFC 7807 problem+json body (PxWebApi 2's errors); "" when it is not one."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(doc, dict) or not any(isinstance(doc.get(k), str) for k in ("title", "detail")):
        return ""
    parts = [str(doc[k]).strip() for k in ("title", "detail") if isinstance(doc.get(k), str) and doc[k].strip()]
    return ": ".join(parts)[:300]


def _status_error(host: str, url: str, status: int, body: bytes, content_type: str = "") -> LiveError:
    path = urlsplit(url).path
    problem = problem_text(body, content_type)
    snippet = problem or " ".join(body[:200].decode("utf-8", "replace").split())
    # PxWebApi 2 answers "Too many cells selected" with 400 (its server code) or 403 (its spec).
    if status == 403 or (status == 400 and "cell" in problem.lower()):
        said = f" ({problem})" if problem else ""
        return LiveError(f"{host} nekade frågan ({status}), för många celler i ett anrop: {path}{said}.",
                         f"{host} refused the query ({status}), too many cells in one call: {path}{said}.",
                         kind="limit", status=status)
    if status == 404:
        said = f" ({problem})" if problem else ""
        return LiveError(f"{host} hittar inte {path} (404{said}); tabellen eller nyckeltalet kan ha flyttats.",
                         f"{host} cannot find {path} (404{said}); the table or key figure may have moved.",
                         kind="missing", status=status)
    return LiveError(f"{host} svarade {status} för {path}: {snippet}",
                     f"{host} answered {status} for {path}: {snippet}", kind="http", status=status)
