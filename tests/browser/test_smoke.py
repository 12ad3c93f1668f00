"""A real headless Chromium opens the running app and sees the overview's numbers."""

from __future__ import annotations

import re

import pytest

from atlas import db
from atlas.i18n import fmt_value, t

from .conftest import ARTIFACTS, start_server, stop_server

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_overview_shows_numbers_without_console_errors(page, server, built_db, console_errors, lang):
    page.goto(f"{server}/?lang={lang}")
    con = db.connect(built_db)
    value = db.run("latest_values", con=con, indicator="arbetsloshet", regions=["20"])["value"].iloc[0]
    metric = page.get_by_test_id("stMetric").filter(has_text=t("overview.unemployment", lang))
    metric.wait_for(timeout=30_000)
    assert fmt_value(value, "procent", lang) in metric.inner_text()
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    # every page is listed in the sidebar, none behind Streamlit's untranslated "View 3 more"
    links = page.get_by_test_id("stSidebarNavLink")
    assert links.count() == 13 and links.filter(has_text=t("nav.about", lang)).is_visible()
    assert "View" not in page.get_by_test_id("stSidebarNav").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"oversikt-{lang}.png"), full_page=True)
    assert console_errors() == []


def test_about_page_by_url_lists_sources(page, server, console_errors):
    page.goto(f"{server}/om-datan?lang=en")
    page.get_by_role("heading", name=t("about.title", "en")).wait_for(timeout=30_000)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "om-datan-en.png"), full_page=True)
    assert console_errors() == []


def test_language_switch(page, server):
    page.goto(f"{server}/?lang=sv")
    page.get_by_text(t("overview.unemployment", "sv")).first.wait_for(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_text(t("overview.unemployment", "en")).first.wait_for(timeout=30_000)
    assert re.search(r"lang=en", page.url)


def test_deep_link_as_first_request_runs_the_app(page, built_db):
    """On a fresh server, a shared link to a subpage must get the app's navigation and language."""
    proc, url, log = start_server(built_db, "server-deeplink.log")
    try:
        page.goto(f"{url}/kommunprofil?kommun=2085&lang=en")
        page.get_by_role("heading", name=re.compile("Ludvika")).first.wait_for(timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert t("nav.profile", "en") in sidebar and t("nav.overview", "en") in sidebar
        assert "kommunprofil\n" not in sidebar.lower() + "\n"  # no file-name links of a legacy page list
    finally:
        stop_server(proc, log)
