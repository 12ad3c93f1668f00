"""The protocol load driver (tools/wsload.py) checked against a real browser: the same links cause
the same script runs on the server (page and query string of every run, reruns included, recorded
by an instrumented launcher) and the same screens (the page title and the number of charts)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from atlas import ROOT
from tests.browser.conftest import ARTIFACTS, _free_port
from tools import wsload
from tools.loadtest import PATHS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def logged_server(built_db, tmp_path_factory):
    log = tmp_path_factory.mktemp("runlog") / "runs.jsonl"
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    out = open(ARTIFACTS / "wsload-server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "tests.load.runlog_serve", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, "ATLAS_DB": str(built_db), "ATLAS_RUN_LOG": str(log)})
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    _run(lambda: wsload.warm(url))  # caches filled, so both clients meet the same warm server
    yield url, log
    proc.terminate()
    proc.wait(10)
    out.close()


def _run(coro_fn):
    """Run an async function to its end in its own thread (Playwright's sync API holds this one's loop)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coro_fn())).result()


def _settled_count(page, selector: str) -> int:
    """How many elements match once the count has not changed for 1.5 s (charts mount lazily)."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < 1.5:
        n = page.locator(selector).count()
        if n != last:
            last, since = n, time.monotonic()
        page.wait_for_timeout(250)
    return last


def _runs_since(log, offset: int) -> tuple[list[tuple[str, str]], int]:
    """The (page, query) of every run logged after ``offset`` bytes, and the new offset."""
    time.sleep(0.5)  # the last run's line is written as the run ends
    text = log.read_text(encoding="utf-8")
    runs = [json.loads(line) for line in text[offset:].splitlines()]
    return [(r["page"], r["query"]) for r in runs], len(text)


def test_driver_causes_the_runs_a_browser_causes(logged_server, page):
    url, log = logged_server
    offset = len(log.read_text(encoding="utf-8"))
    by_browser, by_driver = {}, {}
    for path in PATHS:  # one tab opening every link, as the browser load test does
        page.goto(f"{url}/{path}")
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        title = page.locator("h1").first.inner_text().strip()
        charts = _settled_count(page, '[data-testid="stPlotlyChart"]')
        runs, offset = _runs_since(log, offset)
        by_browser[path] = (runs, title, charts)

    async def drive():  # the driver opening the same links, one after the other
        return {path: await wsload.visit(url, path, wsload.client_address(0), 60) for path in PATHS}

    results = _run(drive)
    runs_all, _ = _runs_since(log, offset)
    # split the driver's runs per link: each link's runs end with a run of its own page
    for path, run in results.items():
        assert not run.error, (path, run.error)
    queue = list(runs_all)
    table = []
    for path, run in results.items():
        browser_runs, title, charts = by_browser[path]
        mine, queue = queue[:len(browser_runs)], queue[len(browser_runs):]
        table.append({"link": path, "browser_runs": browser_runs, "driver_runs": mine, "browser_title": title,
                      "driver_title": run.title.strip(), "browser_charts": charts, "driver_charts": run.charts})
        (ARTIFACTS / "wsload-vs-browser.json").write_text(json.dumps(table, indent=1, ensure_ascii=False))
        assert mine == browser_runs, (path, mine, browser_runs)
        assert (run.title.strip(), run.charts) == (title, charts), path
    assert queue == []
