"""The first start with the network down and no mirror: the first screen says, in the reader's
language, why the database could not be built and what to do, offers a retry that tries again, and
keeps the technical detail folded away. Screenshots: test-artifacts/first-build-failed-<lang>.png."""

from __future__ import annotations

import os

import pytest

from atlas.i18n import t
from atlas.sources.manifest import load_manifest
from tests.browser.conftest import ARTIFACTS, launch, stop_server

pytestmark = pytest.mark.browser


@pytest.fixture()
def offline_server(tmp_path):
    """The app with no database, no mirror and every https request sent to a closed port (the
    network is down), so the first build fails at the first source."""
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_MIRROR", "NO_PROXY", "no_proxy")}
    env.update({"ATLAS_DB": str(tmp_path / "atlas.duckdb"), "ATLAS_RAW_DIR": str(tmp_path / "raw"),
                "ATLAS_LIVE_DIR": str(tmp_path / "live"), "HTTPS_PROXY": "http://127.0.0.1:9",
                "HTTP_PROXY": "http://127.0.0.1:9"})
    proc, url, log = launch(["-m", "atlas.ui.serve"], env=env, log_path=tmp_path / "server.log")
    yield url, tmp_path
    stop_server(proc, log)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_first_build_with_the_network_down_explains_and_retries(offline_server, page, lang):
    url, tmp = offline_server
    first = load_manifest()[0]
    title = f"{first.publisher}: {first.title_en if lang == 'en' else first.title_sv}"
    page.set_viewport_size({"width": 1300, "height": 1400})
    page.goto(f"{url}/?lang={lang}")
    page.get_by_text(t("build.failed_title", lang)).wait_for(timeout=90000)
    page.get_by_role("button", name=t("build.retry", lang)).wait_for(timeout=30000)  # drawn after the reason
    body = page.locator("body").inner_text()
    assert title in body  # the reason names the source, in the reader's language
    assert t("build.reason.download", lang, source=title).replace("**", "").split(".")[0] in body
    assert "ATLAS_MIRROR" in body and "../shared" not in body
    details = page.get_by_text(t("build.details", lang))
    assert first.url not in body  # folded away until asked for
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first-build-failed-{lang}.png"), full_page=True)
    page.get_by_role("button", name=t("build.retry", lang)).click()
    page.get_by_text(t("build.steps.fetch", lang, source=first.id)).wait_for(timeout=30000)  # it tries again
    page.get_by_text(t("build.failed_title", lang)).wait_for(timeout=90000)
    details.click()
    page.get_by_text(first.url).first.wait_for(timeout=10000)  # the detail for whoever runs the server
    assert not (tmp / "atlas.duckdb").exists()
