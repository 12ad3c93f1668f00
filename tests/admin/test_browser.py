"""The admin page in a real headless Chromium: without configuration it only says how to configure
it; with a password configured, a wrong password shows no controls and the right one does.
Screenshots go to test-artifacts/admin-*.png."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from atlas import ROOT
from atlas.admin.auth import hash_password
from atlas.i18n import t
# pytest-playwright's session browser, launched as in tests/browser (Debian chromium): a second
# sync_playwright of its own here failed whenever the browser suite had started first.
from tests.browser.conftest import browser_type_launch_args  # noqa: F401
from tests.browser.conftest import stop_server

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "rätt lösenord 42"


def _serve(cwd: Path, db: Path, admin_db: Path):
    """Streamlit serving pages/admin.py from ``cwd`` (where .streamlit/secrets.toml is looked up)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_ADMIN_DB": str(admin_db), "PYTHONPATH": str(ROOT),
           "HOME": str(cwd)}  # no ~/.streamlit/secrets.toml of the machine's user leaks in
    log = open(cwd / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "pages" / "admin.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail((cwd / "server.log").read_text())


def test_unconfigured_page_says_how_to_configure(built_db, tmp_path, admin_db, browser):
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(url)
        page.get_by_text(t("admin.auth.not_configured", "sv")).wait_for(timeout=30000)
        page.get_by_text("password_sha256").first.wait_for(timeout=30000)  # code blocks render last
        body = page.locator("body").inner_text()
        assert "password_sha256" in body and "[auth]" in body
        assert page.locator("input[type=file]").count() == 0
        assert page.locator("input[type=password]").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-not-configured.png"))
    finally:
        stop_server(proc, log)
    assert not admin_db.exists()


def test_password_login_in_browser(built_db, tmp_path, admin_db, browser):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'[admin]\npassword_sha256 = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(url)
        page.get_by_label(t("admin.auth.name", "sv")).fill("Testare")
        page.get_by_label(t("admin.auth.password", "sv")).fill("fel")
        page.get_by_role("button", name=t("admin.auth.login", "sv")).click()
        page.get_by_text(t("admin.auth.wrong", "sv", left=4)).wait_for(timeout=30000)
        assert page.locator("input[type=file]").count() == 0
        page.get_by_label(t("admin.auth.password", "sv")).fill(PASSWORD)
        page.get_by_role("button", name=t("admin.auth.login", "sv")).click()
        page.get_by_text(t("admin.auth.signed_in", "sv", who="Testare")).wait_for(timeout=30000)
        page.get_by_role("tab", name=t("admin.tab_upload", "sv")).wait_for(timeout=30000)
        page.locator("[data-testid=stFileUploader]").wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        assert PASSWORD not in page.content()
        page.screenshot(path=str(ARTIFACTS / "admin-signed-in.png"))
    finally:
        stop_server(proc, log)
