"""Real-browser fixtures: Debian's chromium driven by pytest-playwright, and a live app server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from atlas import ROOT

CHROMIUM = os.environ.get("ATLAS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# Streamlit's frontend asks for these under deep page URLs; they 404 harmlessly (STACK.md).
BENIGN = ("_stcore/host-config", "_stcore/health")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail loudly, not skip
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(args: list[str], *, env: dict, cwd: Path = ROOT, log_path: Path, port: int | None = None,
           timeout: float = 60) -> tuple[subprocess.Popen, str, object]:
    """Start ``python <args> --server.port <port> ...`` (a free loopback port unless given) and wait
    until Streamlit answers its health check; returns (process, base URL, open log file)."""
    port = port or _free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, *args, "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    log.close()
    pytest.fail(f"Streamlit did not start; see {log_path}")


def start_server(db: Path, log_name: str = "server.log") -> tuple[subprocess.Popen, str, object]:
    """Start the app (through the atlas.ui.serve launcher) on a free loopback port; wait until healthy."""
    ARTIFACTS.mkdir(exist_ok=True)
    return launch(["-m", "atlas.ui.serve"], env={**os.environ, "ATLAS_DB": str(db)}, log_path=ARTIFACTS / log_name)


def settle(page, url: str, *, height: int = 2000) -> None:
    """Open ``url`` at 1400 px wide and wait until the page's title, network and charts have settled."""
    page.set_viewport_size({"width": 1400, "height": height})
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # let charts finish drawing
    # A rerun still running shows the previous elements faded (data-stale) with a status widget: an
    # accessibility check then measures faded text (seen on a loaded CI machine). Wait it out.
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')"
                           " && !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def stop_server(proc: subprocess.Popen, log) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def server(built_db) -> str:
    """A Streamlit server on loopback serving the app against the test database; yields its URL."""
    proc, url, log = start_server(built_db)
    yield url
    stop_server(proc, log)


@pytest.fixture()
def console_errors(page):
    """Console errors and failed requests seen by the page, minus Streamlit's benign 404s."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    yield lambda: [e for e in errors if not any(b in e for b in BENIGN)]
