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


def start_server(db: Path, log_name: str = "server.log") -> tuple[subprocess.Popen, str, object]:
    """Start the app (through the atlas.ui.serve launcher) on a free loopback port; wait until healthy."""
    port = _free_port()
    env = {**os.environ, "ATLAS_DB": str(db)}
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "atlas.ui.serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    log.close()
    pytest.fail(f"Streamlit did not start; see {ARTIFACTS / log_name}")


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
