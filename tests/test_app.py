"""Streamlit AppTest: the app and every page in the navigation render in sv and en, with the
numbers the database holds."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.i18n import fmt_value, t

PAGES = ["pages/oversikt.py", "pages/karta.py", "pages/kommunprofil.py", "pages/trender.py",
         "pages/kompetensbrist.py", "pages/sociala_foretag.py", "pages/matchning.py", "pages/data.py", "pages/seminarium.py", "pages/kopare.py",
         "pages/vinst.py",
         "pages/om_datan.py", "pages/admin.py"]


def _app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang is not None:
        at.query_params["lang"] = lang
    return at


def _nav_pages() -> list[str]:
    """The page files app.py registers with st.navigation."""
    import re

    return re.findall(r'st\.Page\("([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def test_navigation_lists_only_built_pages():
    assert sorted(_nav_pages()) == sorted(PAGES)
    for page in PAGES:
        assert (ROOT / page).is_file()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exceptions(built_db, lang, page):
    at = _app(lang).run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value  # every page has a heading
    assert not at.error


def _metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_overview_numbers_match_database(built_db, lang):
    at = _app(lang).run()
    con = db.connect(built_db)
    for indicator, key in [("arbetsloshet", "overview.unemployment"), ("sysselsattningsgrad", "overview.employment")]:
        row = db.run("latest_values", con=con, indicator=indicator, regions=["20"]).iloc[0]
        assert _metric(at, t(key, lang)).value == fmt_value(row["value"], "procent", lang)
    brist = db.run("occupation_situation_counts", con=con, region="20")
    n = int(brist.loc[brist["situation"] == "brist", "n"].iloc[0])
    assert _metric(at, t("overview.shortage_title", lang)).value == t("overview.shortage_value", lang, n=n)
    # ... with the level each assessment rests on beside it (3 of 61 on the county's own data)
    level = t("kompetensbrist.level.lan", lang) + ": 3"
    assert any(t("overview.shortage_levels", lang, n=61, parts="").split(":")[0] in m.value and level in m.value
               for m in at.markdown)
    # The ASF key figure: the range of the three dated statements; the undated ones apart, "ett
    # 20-tal" marked as approximate
    assert _metric(at, t("overview.asf_title", lang)).value == t("overview.asf_range", lang, range="16\u201319")
    undated = t("overview.asf_undated", lang, n=3, values="16, 16, " + t("sociala_foretag.approx_value", lang, value="20"))
    assert any(undated in m.value for m in at.markdown)
    # The trend chart carries Dalarna's and Riket's series.
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    # Parsed, not matched as text: Plotly escapes non-ASCII as \\u00e4 without orjson, not with it.
    names = {trace.get("name") for trace in json.loads(charts[0].proto.spec)["data"]}
    assert {"Dalarnas län", "Riket"} <= names if lang == "sv" else {"Dalarna County", "Sweden"} <= names


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_overview_asf_statements_open_on_demand(built_db, lang):
    """The statements behind the ASF key figure are drawn when their expander is opened, every one
    with its quote and source link, as the same table Sociala företag shows (it was a drifted copy
    with "ca" in English and the approximate flag on one column only); the chart card's table and
    downloads likewise."""
    from pandas.testing import assert_frame_equal

    from atlas.asf import statements_frame

    at = _app(lang).run()
    totals = db.run("asf_county_statements", con=db.connect(built_db))
    label = t("overview.asf_table_title", lang, n=len(totals))
    assert label in [e.label for e in at.expander] and not at.dataframe
    at.session_state["oversikt-asf-table"] = True
    at.run()
    tables = [d.value for d in at.dataframe]
    assert len(tables) == 1 and len(tables[0]) == len(totals) > 0
    assert tables[0]["quote"].tolist() == totals["quote"].tolist()
    assert all(u.startswith("http") for u in tables[0]["source_url"])
    assert_frame_equal(tables[0], statements_frame(totals, lang))
    approx = totals["approx"].astype(str).str.lower() == "true"
    marker = t("sociala_foretag.approx_value", lang, value="").strip()
    assert approx.any() and all(marker in v for v in tables[0].loc[approx.values, "employees"] if v != "..")
    assert ("ca " in " ".join(tables[0]["n_asf"])) == (lang == "sv")
    other = AppTest.from_file(str(ROOT / "pages" / "sociala_foretag.py"), default_timeout=60)
    other.session_state["lang"] = lang
    other.run()
    assert_frame_equal(next(d.value for d in other.dataframe if list(d.value.columns) == list(tables[0].columns)),
                       tables[0])
    from tests.pages.helpers import open_cards

    open_cards(at)
    assert len(at.dataframe) == 2 and at.get("download_button")


def test_unknown_language_falls_back_to_swedish(built_db):
    at = _app("klingon").run()
    assert not at.exception
    assert at.title[0].value.startswith(t("app.title", "sv"))
    assert at.query_params["lang"] == ["sv"] or at.query_params["lang"] == "sv"


def test_missing_database_is_built_with_progress(tmp_path, monkeypatch, mirror):
    target = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("ATLAS_DB", str(target))
    at = _app("sv").run(timeout=120)
    assert not at.exception
    assert target.exists()
    assert at.get("status")  # the build ran inside a visible st.status with a progress bar


def test_overview_warns_when_data_is_older_than_its_cycle(built_db):
    from datetime import date

    from atlas.freshness import check_period

    at = _app("sv").run()
    last = db.run("indicator_coverage", con=db.connect(built_db)).set_index("id").loc["arbetsloshet", "last_period"]
    stale = check_period(last, "month", date.today()).stale
    warned = any("Nyare uppgifter finns troligen" in w.value for w in at.warning)
    assert warned == stale


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_without_chromium_offers_html_and_says_why(built_db, lang, monkeypatch):
    """A server without Chromium cannot print the PDF: the page says so beside the HTML report."""
    from atlas.i18n import t
    from atlas.ui import report

    monkeypatch.setattr(report, "chromium", lambda: None)
    at = _app(lang).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert t("report.button_html", lang) in labels and t("report.button", lang) not in labels
    assert any(c.value == t("report.pdf_unavailable", lang) for c in at.caption)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_for_a_county_without_municipal_data(built_db, page):
    at = _app("sv")
    at.query_params["lan"] = "01"  # Stockholms län: county-level series only in the mirror
    at.run()
    assert any("python -m atlas update --county 01" in i.value for i in at.sidebar.info)
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["county"] == "01"
    assert at.title and not at.error


def test_unknown_county_falls_back_to_dalarna(built_db):
    at = _app("en")
    at.query_params["lan"] = "99"
    at.run()
    assert not at.exception
    assert at.session_state["county"] == "20"
    assert at.title[0].value.endswith("Dalarna County")
