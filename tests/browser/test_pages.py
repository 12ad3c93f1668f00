"""Every page opened by URL in a real Chromium, in sv and en: it renders its heading, shows no
exception or error box, logs no console errors, and a full screenshot is saved as an artefact."""

from __future__ import annotations

import re

import pytest

from atlas import ROOT
from .conftest import ARTIFACTS, settle


pytestmark = pytest.mark.browser

_APP = (ROOT / "app.py").read_text(encoding="utf-8")
# The default page is served at "/"; every other page at its url_path.
URL_PATHS = [""] + re.findall(r'st\.Page\(\s*"pages/[^"]+",.*?url_path="([^"]+)"', _APP, re.S)


def test_every_navigation_page_has_a_url_path():
    assert len(URL_PATHS) == len(re.findall(r'st\.Page\(', _APP))
    assert _APP.count("default=True") == 1


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", URL_PATHS)
def test_page_by_url(page, server, console_errors, path, lang):
    settle(page, f"{server}/{path}?lang={lang}", height=3200)
    page.screenshot(path=str(ARTIFACTS / f"page-{path or 'oversikt'}-{lang}.png"))
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
    assert console_errors() == []
