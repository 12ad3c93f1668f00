"""A real download: click the CSV button on the data page and compare the file with the database."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from atlas import db
from atlas.i18n import t

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_csv_download_matches_database(page, server, built_db):
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{server}/data?lang=sv&ind=arbetsloshet&reg=20,2080&fran=2025&till=2026&kon=T")
    button = page.get_by_test_id("stDownloadButton").filter(has_text="CSV").first
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Swedish Excel
    got = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype={"region_code": str, "period": str})
    want = db.run("download_observations", con=db.connect(built_db), indicators=["arbetsloshet"],
                  regions=["20", "2080"], from_year=2025, to_year=2026, sexes=["T"], with_categories=False)
    assert len(got) == len(want) > 0
    assert got["region_code"].tolist() == want["region_code"].tolist()
    assert got["period"].tolist() == want["period"].tolist()
    assert got["value"].tolist() == pytest.approx(want["value"].tolist())
    assert info.value.suggested_filename.endswith(".csv") and "arbetsloshet" in info.value.suggested_filename


def test_figure_card_opens_its_table_and_downloads_on_demand(page, server, built_db, console_errors):
    """The overview chart's card draws its table and download buttons when opened (a rerun), and the
    CSV of what is shown holds the series drawn: Dalarna and Riket, every month."""
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{server}/?lang=sv")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    csv_shown = page.get_by_test_id("stDownloadButton").filter(has_text=t("export.csv_shown", "sv"))
    assert csv_shown.count() == 0  # (the page's own report buttons are there from the start)
    page.get_by_text(t("common.text_alternative", "sv")).click()
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    page.get_by_text(t("export.downloads", "sv"), exact=True).click()
    button = page.get_by_test_id("stDownloadButton").filter(has_text=t("export.csv_shown", "sv"))
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    got = pd.read_csv(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig")), dtype=str)
    want = db.run("series", con=db.connect(built_db), indicator="arbetsloshet", regions=["20", "00"], sex="T",
                  category="")
    assert len(got) == len(want) > 0
    page.screenshot(path=str(ARTIFACTS / "oversikt-card-open-sv.png"), full_page=True)
    assert console_errors() == []


def test_zip_download_metadata_names_the_data_version(page, server, built_db):
    """The research ZIP, downloaded in a real browser: its metadata.json and README name the version
    of the database the server reads, and so does the citation under the buttons."""
    import json
    import zipfile

    from atlas.versions import data_versions

    current = data_versions(db.connect(built_db)).current
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{server}/data?lang=sv&ind=arbetsloshet&reg=20,2080&fran=2025&till=2026&kon=T")
    button = page.get_by_test_id("stDownloadButton").filter(has_text=t("download.zip", "sv")).first
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    with zipfile.ZipFile(info.value.path()) as zf:
        meta = json.loads(zf.read("metadata.json"))
        readme = zf.read("README.md").decode("utf-8")
    assert current and meta["data_version"] == current and current in meta["citation"] and current in readme
    assert page.get_by_text(f"dataversion {current}").count() >= 1
