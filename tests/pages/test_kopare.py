"""The buyers' page, run headless with AppTest: the list equals the curated services file joined with
the database's register, every filter returns exactly the matching rows, the export holds exactly
what is shown, the procurement routes show their sourced facts, and odd links never raise."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import page_runner, shown, url_notice_shown

from atlas import ROOT, buyers, db
from atlas.asf import UNKNOWN
from atlas.export.tables import to_csv_bytes, to_xlsx_bytes
from atlas.i18n import fmt_number, t

PAGE = ROOT / "pages" / "kopare.py"
TABLE_COLS = ["name", "kommun", "category", "service", "contact", "contact_url", "source_url", "year"]


_run = page_runner(PAGE)


def _table(at: AppTest) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if list(d.value.columns) == TABLE_COLS]
    assert len(frames) == 1, [list(d.value.columns) for d in at.dataframe]
    return frames[0]




def _markdown(at: AppTest) -> str:
    return shown("\n".join(m.value for m in at.markdown))


@pytest.fixture(scope="module")
def register(built_db) -> pd.DataFrame:
    return db.run("kopare_enterprises", con=db.connect(built_db))


@pytest.fixture(scope="module")
def services() -> pd.DataFrame:
    """The curated file read directly with pandas (not through the page's loader)."""
    return pd.read_csv(ROOT / "data" / "curated" / "asf_services.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def expected(register, services) -> pd.DataFrame:
    """Every service row with its register name and municipality, computed here with pandas."""
    reg = register[["asf_id", "name", "kommun_code", "kommun_name", "kommun_name_en", "town"]]
    out = services.merge(reg, on="asf_id", how="left", validate="many_to_one")
    out["kommun_key"] = out["kommun_code"].fillna("").map(lambda c: c or UNKNOWN)
    return out


def _pairs(df: pd.DataFrame, name_col: str, service_col: str) -> list[tuple[str, str]]:
    return sorted(zip(df[name_col], df[service_col]))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_list_has_every_row_of_the_services_file(expected, lang):
    at = _run(lang=lang)
    table = _table(at)
    assert len(table) == len(expected)
    service_col = "service_en" if lang == "en" else "service_sv"
    assert _pairs(table, "name", "service") == _pairs(expected, "name", service_col)
    name_col = "kommun_name_en" if lang == "en" else "kommun_name"
    by_pair = expected.set_index(["name", service_col])
    for _, row in table.iterrows():
        src = by_pair.loc[(row["name"], row["service"])]
        want_kommun = t("kopare.unknown_kommun", lang) if src["kommun_key"] == UNKNOWN else src[name_col]
        assert row["kommun"] == want_kommun
        assert row["category"] == t(f"kopare.category.{src['category_id']}", lang)
        assert row["source_url"] == buyers.readable_url(src["source_url"])
        assert row["year"] == src["year_en" if lang == "en" else "year_sv"]
        if src["contact_url"]:
            assert row["contact_url"] == buyers.readable_url(src["contact_url"])
            assert row["contact"] == t("kopare.contact_site", lang)
        else:
            assert row["contact_url"] == ""
            assert row["contact"] == t("kopare.contact_missing", lang)
    assert at.title[0].value == t("kopare.title", lang)
    assert not url_notice_shown(at, lang)
    assert not at.error


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_coverage_note_and_unknown_business_list(register, services, lang):
    at = _run(lang=lang)
    note = [i.value for i in at.info if t("kopare.coverage_title", lang) in i.value]
    assert note, "the coverage note must be visible"
    with_services = register["asf_id"].isin(services["asf_id"])
    assert t("kopare.coverage_counts", lang, n_with=int(with_services.sum()), n_total=len(register),
             n_without=int((~with_services).sum())) in note[0]
    assert t("kopare.coverage", lang) in note[0]
    text = _markdown(at)
    assert f"**{t('kopare.unknown_title', lang, n=int((~with_services).sum()))}**" in text
    for name in register.loc[~with_services, "name"]:
        assert f"- {name} (" in text
    for name in register.loc[with_services, "name"]:  # each enterprise with services has its card
        assert f"**{name}**" in text


def test_cards_show_contact_link_or_say_it_is_missing(services, register):
    text = _markdown(_run())
    for url in services.loc[services["contact_url"] != "", "contact_url"].unique():
        assert f"[{t('kopare.contact_site', 'sv')}]({url.replace('(', '%28').replace(')', '%29')})" in text
    n_missing = services.loc[services["contact_url"] == "", "asf_id"].nunique()
    assert text.count(t("kopare.contact_missing", "sv")) == n_missing


def _category_ids() -> list[str]:
    return list(dict.fromkeys(pd.read_csv(ROOT / "data" / "curated" / "asf_services.csv", dtype=str)["category_id"]))


@pytest.mark.parametrize("category", _category_ids())
def test_each_category_returns_exactly_its_rows(expected, category):
    at = _run({"kat": category})
    want = expected[expected["category_id"] == category]
    table = _table(at)
    assert _pairs(table, "name", "service") == _pairs(want, "name", "service_sv")
    assert set(table["category"]) == {t(f"kopare.category.{category}", "sv")}
    assert at.multiselect[0].value == [category]
    assert at.query_params["kat"] == category
    assert not url_notice_shown(at)


def test_two_categories_and_a_kommun_combined(expected):
    cats = _category_ids()[:2]
    code = expected["kommun_code"].dropna().loc[lambda s: s != ""].iloc[0]
    at = _run({"kat": ",".join(cats), "kommun": code})
    want = expected[expected["category_id"].isin(cats) & (expected["kommun_key"] == code)]
    assert _pairs(_table(at), "name", "service") == _pairs(want, "name", "service_sv")


def test_kommun_okand_returns_the_rows_without_a_kommun(expected):
    at = _run({"kommun": UNKNOWN})
    want = expected[expected["kommun_key"] == UNKNOWN]
    assert len(want) > 0
    table = _table(at)
    assert _pairs(table, "name", "service") == _pairs(want, "name", "service_sv")
    assert set(table["kommun"]) == {t("kopare.unknown_kommun", "sv")}


def test_every_kommun_option_filters_exactly(built_db, expected):
    kommuner = db.run("kopare_kommuner", con=db.connect(built_db), lan="20")
    for code in kommuner["code"]:
        at = _run({"kommun": code})
        want = expected[expected["kommun_key"] == code]
        table = _table(at)
        assert _pairs(table, "name", "service") == _pairs(want, "name", "service_sv"), code
        if want.empty:  # none known there: say so, never a zero-row table without explanation
            assert any(i.value == t("kopare.no_match", "sv") for i in at.info)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_search_returns_the_rows_pandas_finds(expected, lang):
    service_col = "service_en" if lang == "en" else "service_sv"
    q = expected[service_col].iloc[0].split()[0][:5].upper()  # part of a real service, other case
    at = _run({"q": q}, lang=lang)
    kommun_col = "kommun_name_en" if lang == "en" else "kommun_name"
    hay = (expected["name"] + " " + expected["town"].fillna("") + " "
           + expected[kommun_col].fillna(t("kopare.unknown_kommun", lang)) + " "
           + expected["category_id"].map(lambda c: t(f"kopare.category.{c}", lang)) + " " + expected[service_col])
    want = expected[hay.str.casefold().str.contains(q.casefold(), regex=False)]
    assert 0 < len(want) < len(expected)
    assert _pairs(_table(at), "name", "service") == _pairs(want, "name", service_col)
    assert at.text_input[0].value == q


def test_sql_in_the_search_is_plain_text():
    at = _run({"q": "x' OR 1=1 --"})
    assert _table(at).empty
    assert any(i.value == t("kopare.no_match", "sv") for i in at.info)
    assert not url_notice_shown(at)


@pytest.mark.parametrize("params", [
    {},
    {"kat": "lokalvard"},
    {"kommun": UNKNOWN, "q": "a"},
    {"kat": "gronytor_skog,atervinning_secondhand", "kommun": "2062"},
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_export_holds_exactly_the_filtered_rows(register, params, lang):
    at = _run(params, lang=lang)
    table = _table(at)
    rows = buyers.service_list(buyers.load_services(), register)
    shown = buyers.filter_services(
        rows, categories=[c for c in params.get("kat", "").split(",") if c],
        kommuner=[c for c in params.get("kommun", "").split(",") if c], q=params.get("q", ""), lang=lang)
    export = buyers.export_frame(shown, lang)
    name_col, service_col = t("kopare.export.name", lang), t("kopare.export.service", lang)
    assert _pairs(export, name_col, service_col) == _pairs(table, "name", "service")
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(export)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert _pairs(csv, name_col, service_col) == _pairs(table, "name", "service")
    assert to_csv_bytes(export).startswith(b"\xef\xbb\xbf")
    semi = pd.read_csv(io.BytesIO(to_csv_bytes(export, variant="semicolon")), sep=";", encoding="utf-8-sig",
                       dtype=str, keep_default_na=False)
    assert len(semi) == len(table)
    about = buyers.about_sheet(shown, lang, filters="x")
    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(export, about=about)), sheet_name=None, dtype=str)
    assert len(sheets["Data"]) == len(table)
    assert set(shown["source_url"]) <= set(sheets["Om datan"]["Värde"])
    captions = " ".join(c.value for c in at.caption)
    assert t("kopare.export_caption", lang, n=len(table)) in captions


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_procurement_routes_are_cards_with_facts_sources_and_guidance(lang):
    at = _run(lang=lang)
    routes = buyers.load_routes()
    blocks = [*routes["routes"], routes["dalarna"]]
    assert [e.label for e in at.expander] == [buyers.pick(b, "title", lang) for b in blocks]
    for exp, block in zip(at.expander, blocks):
        text = shown("\n".join(m.value for m in exp.markdown))
        assert buyers.pick(block, "summary", lang) in text
        for fact in block["facts"]:
            assert buyers.pick(fact, "text", lang) in text
            assert f"]({fact['source_url']})" in text
            if fact.get("quote"):
                assert " ".join(fact["quote"].split()) in text
        for link in block.get("guidance") or []:
            assert f"[{buyers.pick(link, 'title', lang)}]({link['url']})" in text
        figures = block.get("key_figures") or []
        metrics = [m.value for m in exp.get("metric")]
        assert metrics == [f"{fmt_number(f['value'], lang)} {buyers.pick(f, 'unit', lang)}" for f in figures]
        captions = shown(" ".join(c.value for c in exp.caption))
        for f in figures:
            assert buyers.pick(f, "valid", lang) in captions
        if block.get("caveat_sv"):
            assert any(buyers.pick(block, "caveat", lang) in shown(w.value) for w in exp.warning)
    intro = routes["intro"]
    assert " ".join(intro["quote"].split()) in _markdown(at)


@pytest.mark.parametrize("params", [
    {"kat": "no_such_category"},
    {"kat": "lokalvard' OR 1=1 --"},
    {"kommun": "9999"},
    {"kommun": "2085' OR '1'='1"},
    {"q": "x" * 5000},
    {"q": "tab\there"},
    {"kat": "k" * 5000, "kommun": "0" * 5000},
    {"kat": ["lokalvard", "nope"], "kommun": ["2085", "9999"]},  # repeated keys: the last one counts
    {"kat": "lokalvard,nope"},
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_malformed_params_fall_back_with_a_notice(expected, params, lang):
    at = _run(params, lang=lang)
    assert url_notice_shown(at, lang)
    table = _table(at)
    if params.get("kat") == "lokalvard,nope":  # the valid part of a list is kept
        want = expected[expected["category_id"] == "lokalvard"]
        assert _pairs(table, "name", "service") == _pairs(want, "name", "service_en" if lang == "en" else "service_sv")
    else:
        assert len(table) == len(expected)
    assert len(at.expander) == len(buyers.load_routes()["routes"]) + 1


def test_clearing_the_filters_removes_them_from_the_url():
    at = _run({"kommun": UNKNOWN, "q": "a", "kat": "lokalvard"})
    at.text_input[0].input("").run()
    at.multiselect[0].set_value([]).run()
    at.multiselect[1].set_value([]).run()
    assert not at.exception
    assert not {"q", "kat", "kommun"} & set(at.query_params)


def test_choosing_in_the_widgets_updates_the_url(expected):
    at = _run()
    at.multiselect[0].set_value(["lokalvard"]).run()
    at.multiselect[1].set_value([UNKNOWN]).run()
    assert at.query_params["kat"] == "lokalvard" and at.query_params["kommun"] == UNKNOWN
    want = expected[(expected["category_id"] == "lokalvard") & (expected["kommun_key"] == UNKNOWN)]
    assert _pairs(_table(at), "name", "service") == _pairs(want, "name", "service_sv")


def test_other_county_shows_no_list_but_the_routes():
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["county"] = "03"
    at.run()
    assert not at.exception
    assert not [d for d in at.dataframe if list(d.value.columns) == TABLE_COLS]
    assert any(i.value == t("kopare.other_county", "sv") for i in at.info)
    assert len(at.expander) == len(buyers.load_routes()["routes"]) + 1


def test_a_broken_curated_file_shows_its_error_and_the_rest_of_the_page(monkeypatch):
    def broken(*_args, **_kwargs):
        raise buyers.CuratedDataError("data/curated/asf_services.csv line 3: empty ['quote']")

    monkeypatch.setattr(buyers, "load_services", broken)
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["data/curated/asf_services.csv line 3: empty ['quote']"]
    assert not [d for d in at.dataframe if list(d.value.columns) == TABLE_COLS]
    assert len(at.expander) == len(buyers.load_routes()["routes"]) + 1
