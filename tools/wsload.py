"""Protocol-level load driver: many Streamlit sessions over Streamlit's own websocket protocol (the
BackMsg / ForwardMsg protobufs of the installed streamlit package), no browser per session.

    python -m tools.wsload --url http://127.0.0.1:8600 [--sessions 50] [--seconds 120]
                           [--think 2-8] [--ramp 10] [--pid PID ...] [--browsers 3] [--out FILE]

Each simulated user does what the browser load test's tabs do (tools/loadtest.py: the same links,
PATHS), minus drawing: per link it fetches the page (which gives it nginx's route cookie, so its
session stays on one replica), opens /_stcore/stream, asks for a script run with the link's page
and query string, keeps the session open while it "reads" (the think time), then opens the next
link in a new session, as a page load does. So every user holds one live session at any moment.
tests/browser/test_wsload.py checks that a real browser opening the same links causes the same
script runs (page and query string of each, reruns included) and the same screens.

Per run it records the time from sending the request to the script's finished message (and to
the first chart); an error is an exception element, an error alert (st.error), "page not found",
a run that does not finish within the timeout, or a lost connection. Sessions start spread over
``--ramp`` seconds (people opening a shared link) and each gets its own loopback address
(127.0.x.y), so nginx's per-client limits see one client per session, as they would in reality.
With --pid, the server processes' resident memory is sampled (before, peak, after). With
--browsers N, N real Chromium tabs measure the time to first chart alone first and then under the
load. Only loopback targets are accepted. Think time: a person reads a chart for some seconds
before the next click (the default 2-8 s, 5 s on average); it is printed with every result.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tools.loadtest import ARGS as CHROMIUM_ARGS
from tools.loadtest import BENIGN, PATHS
from tools.stats import percentile

# Pages whose first screen has a chart: the browsers' "time to first chart".
CHART_PATHS = ["?lang=sv", "trender?ind=arbetsloshet&reg=20,2080,00", "kommunprofil?kommun=2085",
               "karta?ind=sysselsattningsgrad"]
CHART_ELEMENTS = ("plotly_chart", "deck_gl_json_chart", "vega_lite_chart")


@dataclass
class Run:
    """One script run as a session saw it."""

    path: str
    seconds: float  # request sent -> script finished
    first_chart_s: float | None
    title: str = ""  # the page's first h1 (st.title)
    headings: list[str] = field(default_factory=list)
    charts: int = 0
    error: str = ""


def _loopback(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise ValueError(f"load tests target loopback only, not {host!r}")
    return host, parts.port or 80


def client_address(i: int) -> str:
    """Session i's own loopback source address (127.0.1.2, 127.0.1.3, ...)."""
    return f"127.0.{1 + i // 250}.{2 + i % 250}"


def _route_cookie(host: str, port: int, path: str, source: str, timeout: float) -> str:
    """GET the page as a browser would first; the Cookie header to send with the websocket."""
    con = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0))
    try:
        con.request("GET", "/" + path)
        res = con.getresponse()
        res.read()
        cookies = [h.split(";", 1)[0] for k, h in res.getheaders() if k.lower() == "set-cookie"]
        return "; ".join(cookies)
    finally:
        con.close()


def _split(path: str) -> tuple[str, str]:
    page, _, query = path.partition("?")
    return page, query


class Session:
    """One Streamlit session over the websocket protocol."""

    def __init__(self, url: str, source: str, timeout: float) -> None:
        self.base = url.rstrip("/")
        self.host, self.port = _loopback(url)
        self.source = source
        self.timeout = timeout
        self.cached: set[str] = set()
        self.ws = None

    async def open(self, first_path: str) -> None:
        import websockets

        cookie = await asyncio.to_thread(_route_cookie, self.host, self.port, first_path, self.source, self.timeout)
        ws_url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                           additional_headers={"Cookie": cookie} if cookie else None,
                                           local_addr=(self.source, 0), open_timeout=self.timeout,
                                           ping_interval=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _request(self, path: str) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        page, query = _split(path)
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page  # what the browser sends for a link it opens; "" is the default page
        state.cached_message_hashes.extend(sorted(self.cached))
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Stockholm", -60, "sv-SE"
        info.url, info.color_scheme = f"{self.base}/{path}", "light"
        return msg.SerializeToString()

    async def run(self, path: str) -> Run:
        """Ask for a run of ``path`` and read until the script finished (a run the page restarts
        itself, st.rerun, is followed to its end)."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        t0 = time.perf_counter()
        run = Run(path, 0.0, None)
        await self.ws.send(self._request(path))
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                run.error = f"no finished message within {self.timeout:.0f} s"
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(), left)
            except asyncio.TimeoutError:
                run.error = f"no finished message within {self.timeout:.0f} s"
                break
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable:
                self.cached.add(msg.hash)
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                what = el.WhichOneof("type")
                if what in CHART_ELEMENTS:
                    run.charts += 1
                    if run.first_chart_s is None:
                        run.first_chart_s = time.perf_counter() - t0
                elif what == "heading":
                    run.headings.append(el.heading.body)
                    if el.heading.tag == "h1" and not run.title:
                        run.title = el.heading.body
                elif what == "exception":
                    run.error = run.error or f"exception: {el.exception.type}: {el.exception.message[:120]}"
                elif what == "alert" and el.alert.format == Alert.ERROR:
                    run.error = run.error or f"error alert: {el.alert.body[:120]}"
            elif kind == "page_not_found":
                run.error = run.error or "page not found"
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.title, run.headings, run.charts = "", [], 0  # the page reran itself: its final run counts
                    continue
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.error = run.error or "compile error"
                break
        run.seconds = time.perf_counter() - t0
        return run


async def _user(i: int, url: str, deadline: float, start_at: float, rng: random.Random, think: tuple[float, float],
                runs: list[Run], timeout: float) -> None:
    """One person: opens a link, reads for a while with the tab open, opens the next link."""
    await asyncio.sleep(max(start_at - time.monotonic(), 0))
    while time.monotonic() < deadline:
        path = rng.choice(PATHS)
        session = Session(url, client_address(i), timeout)
        try:
            await session.open(path)
            runs.append(await session.run(path))
            await asyncio.sleep(rng.uniform(*think))
        except Exception as exc:  # a refused or lost connection is an error for the report
            runs.append(Run(path, 0.0, None, error=f"{type(exc).__name__}: {str(exc)[:160]}"))
            await asyncio.sleep(rng.uniform(*think))
        finally:
            try:
                await session.close()
            except Exception:
                pass


def rss_mb(pids: list[int]) -> float:
    """The processes' resident memory together, MB."""
    total = 0.0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


async def _sample(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pids))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def visit(url: str, path: str, source: str | None = None, timeout: float = 120) -> Run:
    """Open one link as a browser tab does (page request, websocket, one run) and close it."""
    session = Session(url, source or client_address(999), timeout)
    await session.open(path)
    try:
        return await session.run(path)
    finally:
        await session.close()


async def warm(url: str, timeout: float = 120) -> list[Run]:
    """Every link once (fills the server's caches before anything is measured)."""
    return [await visit(url, p, timeout=timeout) for p in PATHS]


# --- Real browsers alongside ---------------------------------------------------------------------

async def _browser_tab(browser, base: str, until: float | None, rounds: int, times: list[float], errors: list[str],
                       rng: random.Random) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" and not any(
        b in str(m.location) or b in m.text for b in BENIGN) else None)
    n = 0
    while (until is None and n < rounds) or (until is not None and time.monotonic() < until):
        path = CHART_PATHS[n % len(CHART_PATHS)]
        n += 1
        t0 = time.perf_counter()
        try:
            await page.goto(f"{base}/{path}", timeout=120_000)
            await page.locator(".js-plotly-plot .main-svg, canvas").first.wait_for(timeout=120_000)
            times.append(time.perf_counter() - t0)
        except Exception as exc:
            errors.append(f"browser {path}: {type(exc).__name__}: {str(exc)[:120]}")
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    await context.close()


async def run(url: str, sessions: int = 50, seconds: float = 120, *, think: tuple[float, float] = (2.0, 8.0),
              ramp: float = 10.0, pids: list[int] | None = None, browsers: int = 0, baseline_rounds: int = 4,
              timeout: float = 60.0, seed: int = 7) -> dict:
    """Drive ``sessions`` protocol sessions for ``seconds`` (after a ramp of ``ramp`` seconds) and,
    with ``browsers``, real Chromium tabs alongside. Returns the figures as a dict (see report)."""
    _loopback(url)
    pids = pids or []
    base = url.rstrip("/")
    pw = browser = None
    ttfc_alone: list[float] = []
    ttfc_loaded: list[float] = []
    errors_browser: list[str] = []
    if browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        browser = await pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                           args=CHROMIUM_ARGS)
        await asyncio.gather(*[_browser_tab(browser, base, None, baseline_rounds, ttfc_alone, errors_browser,
                                            random.Random(seed + 100 + b)) for b in range(browsers)])
    rss_before = rss_mb(pids) if pids else float("nan")
    load_before = os.getloadavg()[0]  # other work on the machine shows in every figure: say how much
    peak = [rss_before]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample(pids, peak, stop)) if pids else None
    runs: list[Run] = []
    t_start = time.monotonic()
    deadline = t_start + ramp + seconds
    users = [asyncio.create_task(_user(i, url, deadline, t_start + ramp * i / max(sessions, 1),
                                       random.Random(seed + i), think, runs, timeout)) for i in range(sessions)]
    tabs = []
    if browsers:
        await asyncio.sleep(ramp)  # measure once every session is running
        tabs = [asyncio.create_task(_browser_tab(browser, base, deadline, 0, ttfc_loaded, errors_browser,
                                                 random.Random(seed + 200 + b))) for b in range(browsers)]
    await asyncio.gather(*users, *tabs)
    wall = time.monotonic() - t_start
    stop.set()
    if sampler:
        await sampler
    rss_after = rss_mb(pids) if pids else float("nan")
    if browser:
        await browser.close()
        await pw.stop()
    done = [r for r in runs if not r.error]
    per_page: dict[str, list[float]] = {}
    for r in done:
        per_page.setdefault(_split(r.path)[0] or "oversikt", []).append(r.seconds)
    alone50, loaded50 = percentile(ttfc_alone, 0.5), percentile(ttfc_loaded, 0.5)
    return {
        "url": url, "sessions": sessions, "seconds": round(wall, 1), "think_s": list(think), "ramp_s": ramp,
        "runs": len(runs), "errors": [f"{r.path}: {r.error}" for r in runs if r.error] + errors_browser,
        "p50_s": percentile([r.seconds for r in done], 0.5), "p95_s": percentile([r.seconds for r in done], 0.95),
        "first_chart_p95_s": percentile([r.first_chart_s for r in done if r.first_chart_s is not None], 0.95),
        "per_page": {k: {"n": len(v), "p50_s": percentile(v, 0.5), "p95_s": percentile(v, 0.95)}
                     for k, v in sorted(per_page.items())},
        "rss_before_mb": rss_before, "rss_peak_mb": peak[0], "rss_after_mb": rss_after,
        "rss_growth_mb": rss_after - rss_before,
        "rss_growth_per_50_mb": (rss_after - rss_before) * 50 / max(sessions, 1),
        "browsers": browsers, "ttfc_alone_s_p50": alone50, "ttfc_loaded_s_p50": loaded50,
        "ttfc_ratio": loaded50 / alone50 if browsers and alone50 == alone50 and alone50 > 0 else float("nan"),
        "ttfc_alone_n": len(ttfc_alone), "ttfc_loaded_n": len(ttfc_loaded),
        "loadavg_before": load_before, "loadavg_after": os.getloadavg()[0], "cpus": os.cpu_count(),
    }


TARGETS = {"errors": 0, "p95_s": 3.0, "ttfc_ratio": 2.0, "rss_growth_per_50_mb": 100.0}


def target_rows(res: dict, label: str) -> list[tuple[str, float, str, float | None]]:
    """(measure, value, unit, target) rows for the benchmark's table."""
    return [
        (f"{label}: errors ({res['runs']} runs)", float(len(res["errors"])), "", TARGETS["errors"]),
        (f"{label}: protocol run p95 (p50 {res['p50_s']:.2f} s)", res["p95_s"], "s", TARGETS["p95_s"]),
        (f"{label}: browser time to first chart, alone (p50)", res["ttfc_alone_s_p50"], "s", None),
        (f"{label}: browser time to first chart, under load (p50)", res["ttfc_loaded_s_p50"], "s", None),
        (f"{label}: under load / alone", res["ttfc_ratio"], "x", TARGETS["ttfc_ratio"]),
        (f"{label}: server memory growth per 50 sessions ({res['rss_before_mb']:.0f} -> "
         f"{res['rss_after_mb']:.0f} MB, peak {res['rss_peak_mb']:.0f})", res["rss_growth_per_50_mb"], "MB",
         TARGETS["rss_growth_per_50_mb"]),
    ]


def print_rows(rows) -> None:
    width = max(len(r[0]) for r in rows)
    for name, value, unit, target in rows:
        status = "" if target is None or value != value else ("met" if value <= target else "NOT MET")
        goal = f"<= {target:g} {unit}" if target is not None else ""
        print(f"{name:{width}}  {value:>10,.2f} {unit:2s}  {goal:>12}  {status}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.wsload")
    ap.add_argument("--url", required=True)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120, help="measured time after the ramp")
    ap.add_argument("--think", default="2-8", help="seconds between a session's clicks, LOW-HIGH (default 2-8)")
    ap.add_argument("--ramp", type=float, default=10, help="seconds over which the sessions start")
    ap.add_argument("--pid", type=int, action="append", default=[], help="a server process to sample (repeatable)")
    ap.add_argument("--browsers", type=int, default=0, help="real Chromium tabs measuring time to first chart")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--warm", action="store_true", help="run one session through every page first")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    lo, _, hi = args.think.partition("-")
    think = (float(lo), float(hi or lo))
    if args.warm:
        asyncio.run(warm(args.url))
    res = asyncio.run(run(args.url, args.sessions, args.seconds, think=think, ramp=args.ramp, pids=args.pid,
                          browsers=args.browsers, timeout=args.timeout))
    print(f"{res['sessions']} sessions, {res['seconds']} s, think {think[0]:g}-{think[1]:g} s, {res['runs']} runs, "
          f"{len(res['errors'])} errors; run p50 {res['p50_s']:.2f} s, p95 {res['p95_s']:.2f} s")
    for page, r in res["per_page"].items():
        print(f"  {page:18s} n={r['n']:4d}  p50 {r['p50_s']:.2f} s  p95 {r['p95_s']:.2f} s")
    print_rows(target_rows(res, "load"))
    for e in res["errors"][:20]:
        print("  ERROR", e)
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=2))
    return 0 if not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
