"""AppTest of the Kompetensbrist page: every count on screen equals what the database holds for
Yrkesbarometern, filters and search work from the URL and the widgets, odd links never break it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas import occupations as occ
from atlas.asf import md_escape
from atlas.i18n import fmt_number, t

from .helpers import page_runner, url_notice_shown

PAGE = str(ROOT / "pages" / "kompetensbrist.py")
K = "kompetensbrist."
LAN = "20"


_run = page_runner(PAGE, no_error=True)


def _sql(built_db, sql: str, *params) -> pd.DataFrame:
    return db.connect(built_db).cursor().execute(sql, list(params)).df()


@pytest.fixture(scope="module")
def outlook(built_db) -> pd.DataFrame:
    """Dalarna's rows of the newest release, straight from the table."""
    return _sql(built_db, "SELECT * FROM occupation_outlook WHERE region_code = ? AND omgang = "
                          "(SELECT max(omgang) FROM occupation_outlook WHERE region_code = ?)", LAN, LAN)


def _main_table(at: AppTest, lang: str = "sv") -> pd.DataFrame:
    first_col = t(K + "col.yrke", lang)
    paradox_cols = {t(K + "col.paradox", lang, region=r) for r in ("Dalarna", t(K + "riket_inline", lang))}
    found = [d.value for d in at.dataframe if first_col in d.value.columns and paradox_cols & set(d.value.columns)]
    return found[0] if found else pd.DataFrame()


def _param(at: AppTest, key: str) -> str | None:
    """A URL parameter as the page left it (AppTest gives a string or a one-item list)."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]




def test_default_view_shows_every_occupation_of_the_county(built_db, outlook):
    at = _run()
    table = _main_table(at)
    assert len(table) == len(outlook) == outlook["yb_concept_id"].nunique()
    name = _sql(built_db, "SELECT name FROM region WHERE code = ?", LAN)["name"].iloc[0]
    assert at.title[0].value == t(K + "title", "sv", county=name)
    omgang, taxonomi = outlook["omgang"].iloc[0], outlook["taxonomi_version"].iloc[0]
    release = t(K + "release", "sv", omgang=omgang, taxonomi=taxonomi)
    assert release in [c.value for c in at.caption]  # next to the title
    assert any(f"omgång {omgang}" in c.value and str(taxonomi) in c.value and "Arbetsförmedlingen" in c.value
               for c in at.caption)  # source caption
    # Null situation is shown as "ingen bedömning", never blank.
    col = t(K + "col.sit", "sv", region="Dalarna")
    assert (table[col] == occ.situation_label("ingen", "sv")).sum() == outlook["rekryteringssituation"].isna().sum()
    assert table[col].str.len().min() > 0
    assert not url_notice_shown(at)
    assert len(_charts(at)) == 2


@pytest.mark.parametrize("code", list(occ.SITUATION_CODES))
def test_situation_filter_gives_the_database_count(built_db, outlook, code):
    at = _run({"sit": code})
    value = occ.SITUATION_CODES[code]
    want = outlook["rekryteringssituation"].isna() if value is None else outlook["rekryteringssituation"] == value
    table = _main_table(at)
    assert len(table) == int(want.sum())
    assert set(table[t(K + "col.sit", "sv", region="Dalarna")]) == {occ.situation_label(code, "sv")}
    assert _param(at, "sit") == code


def test_brist_count_matches_the_overview_query(built_db):
    counts = db.run("occupation_situation_counts", con=db.connect(built_db), region=LAN)
    n = int(counts.loc[counts["situation"] == "brist", "n"].iloc[0])
    assert len(_main_table(_run({"sit": "brist"}))) == n
    at = _run({"sit": "brist,paradox"})
    both = int(counts.loc[counts["situation"].isin(["brist", "paradox"]), "n"].sum())
    assert len(_main_table(at)) == both


def test_area_filter_uses_slugs_and_matches_the_database(built_db, outlook):
    slugs = occ.area_slugs(outlook["yrkesomrade"])
    assert len(slugs) == outlook["yrkesomrade"].nunique()
    for slug, area in slugs.items():
        at = _run({"omr": slug})
        assert len(_main_table(at)) == int((outlook["yrkesomrade"] == area).sum()), area
        assert set(_main_table(at)[t(K + "col.omrade", "sv")]) == {area}


def test_search_by_ssyk_code_returns_exactly_that_code(built_db, outlook):
    shared = _sql(built_db, "SELECT ssyk, count(*) n FROM occupation_outlook WHERE region_code = ? "
                            "AND ssyk NOT LIKE '%,%' GROUP BY ssyk ORDER BY n DESC, ssyk LIMIT 1", LAN)
    code = shared["ssyk"].iloc[0]
    want = outlook[outlook["ssyk"].map(lambda s: code in occ.ssyk_codes(s))]
    table = _main_table(_run({"q": code}))
    assert len(table) == len(want) > 1  # a code shared by several occupations
    assert sorted(table[t(K + "col.yrke", "sv")]) == sorted(want["yb_yrke"])
    # A code listed second in a multi-code occupation is found too.
    multi = outlook[outlook["ssyk"].str.contains(",")].iloc[0]
    second = occ.ssyk_codes(multi["ssyk"])[1]
    names = _main_table(_run({"q": second}))[t(K + "col.yrke", "sv")].tolist()
    assert multi["yb_yrke"] in names


def test_search_by_name_substring_is_case_insensitive(built_db):
    want = _sql(built_db, "SELECT yb_yrke FROM occupation_outlook WHERE region_code = ? AND "
                          "strpos(lower(yb_yrke), 'sjuksköt') > 0", LAN)
    assert len(want) > 1
    for q in ["sjuksköt", "SJUKSKÖT"]:
        table = _main_table(_run({"q": q}))
        assert sorted(table[t(K + "col.yrke", "sv")]) == sorted(want["yb_yrke"])


def test_widgets_filter_and_write_the_url(built_db, outlook):
    at = _run()
    at.text_input[0].set_value("sköt").run()
    assert _param(at, "q") == "sköt"
    want = outlook["yb_yrke"].str.casefold().str.contains("sköt", regex=False)
    assert len(_main_table(at)) == int(want.sum())
    at.multiselect[1].set_value(["brist"]).run()
    assert _param(at, "sit") == "brist"
    assert len(_main_table(at)) == int((want & (outlook["rekryteringssituation"] == "brist")).sum())


def test_summary_chart_totals_equal_database_counts_per_area(built_db):
    want = _sql(built_db, "SELECT yrkesomrade, count(*) n, count(*) FILTER (WHERE rekryteringssituation = 'brist') b, "
                          "count(*) FILTER (WHERE rekryteringssituation IS NULL) ingen "
                          "FROM occupation_outlook WHERE region_code = ? GROUP BY yrkesomrade", LAN)
    fig = _charts(_run())[0]
    assert [tr["name"] for tr in fig["data"]] == [occ.situation_label(c, "sv") for c in occ.SITUATION_CODES]
    totals: dict[str, int] = {}
    for tr in fig["data"]:
        for area, x in zip(tr["y"], tr["x"]):
            totals[area] = totals.get(area, 0) + x
    assert totals == dict(zip(want["yrkesomrade"], want["n"].astype(int)))
    brist = dict(zip(fig["data"][0]["y"], fig["data"][0]["x"]))
    assert brist == dict(zip(want["yrkesomrade"], want["b"].astype(int)))
    ingen = dict(zip(fig["data"][4]["y"], fig["data"][4]["x"]))
    assert ingen == dict(zip(want["yrkesomrade"], want["ingen"].astype(int)))


def test_comparison_chart_equals_county_and_riket_counts(built_db):
    con = db.connect(built_db)
    fig = _charts(_run())[1]
    for trace, region in zip(fig["data"], [LAN, "00"]):
        counts = db.run("occupation_situation_counts", con=con, region=region)
        want = {occ.situation_code(s): int(n) for s, n in zip(counts["situation"], counts["n"])}
        got = {code: x for code, x in zip(occ.SITUATION_CODES, trace["x"])}
        assert got == {c: want.get(c, 0) for c in occ.SITUATION_CODES}


def test_detail_view_shows_arbetsformedlingens_text(built_db, outlook):
    row = outlook[outlook["rekryteringssituation"] == "paradox"].iloc[0]
    riket = _sql(built_db, "SELECT text_rekryteringssituation FROM occupation_outlook WHERE region_code = '00' "
                           "AND yb_concept_id = ?", row["yb_concept_id"])["text_rekryteringssituation"].iloc[0]
    at = _run({"yrke": row["yb_concept_id"]})
    texts = [m.value for m in at.markdown]
    assert "> " + md_escape(row["text_rekryteringssituation"]) in texts  # data, shown literally
    assert "> " + md_escape(riket) in texts
    assert at.selectbox[0].value == row["yb_concept_id"]
    assert any(occ.reasons_label(row["paradox"], "sv") in m for m in texts)
    assert _param(at, "yrke") == row["yb_concept_id"]


def test_unassessed_occupations_are_listed(built_db, outlook):
    at = _run({"sit": "brist"})  # the list ignores the filters
    none = outlook[outlook["rekryteringssituation"].isna()]
    listing = [d.value for d in at.dataframe if list(d.value.columns) == [
        t(K + f"col.{c}", "sv", region="Dalarna") for c in ("yrke", "ssyk", "omrade", "sit_riket")]]
    assert listing and sorted(listing[0][t(K + "col.yrke", "sv")]) == sorted(none["yb_yrke"])
    title = t(K + "unassessed_title", "sv", region="Dalarna", n=fmt_number(len(none), "sv"),
              total=fmt_number(len(outlook), "sv"))
    assert title in [h.value for h in at.subheader]


@pytest.mark.parametrize("params", [
    {"omr": "nope"},
    {"sit": "xyz"},
    {"sit": "brist,xyz"},
    {"omr": "x' OR 1=1 --", "sit": "'; DROP TABLE occupation_outlook; --"},
    {"q": "q" * 5000},
    {"yrke": "no-such-id"},
    {"yrke": "x' OR 1=1 --"},
    {"omr": "a" * 5000, "sit": "b" * 5000, "yrke": "c" * 5000},
])
def test_malformed_links_fall_back_with_a_notice(built_db, outlook, params):
    at = _run(params)
    assert url_notice_shown(at)
    assert not at.exception
    if "sit" not in params or params["sit"] != "brist,xyz":
        assert len(_main_table(at)) == len(outlook)  # defaults: nothing filtered
    else:
        assert len(_main_table(at)) == int((outlook["rekryteringssituation"] == "brist").sum())


@pytest.mark.parametrize("q", [".*[(", "x' OR 1=1 --", "%", "_", "\\", "(med"])
def test_search_text_is_plain_text(built_db, outlook, q):
    at = _run({"q": q})
    want = outlook["yb_yrke"].str.casefold().map(lambda s: q.casefold() in s)
    table = _main_table(at)
    assert len(table) == int(want.sum())
    if table.empty:
        assert t(K + "none_match", "sv") in [i.value for i in at.info]


def test_repeated_keys_use_one_value(built_db, outlook):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["sit"] = ["xyz", "brist"]
    at.run()
    assert not at.exception
    assert len(_main_table(at)) in (len(outlook), int((outlook["rekryteringssituation"] == "brist").sum()))


def test_english_translates_categories_but_not_names(built_db, outlook):
    at = _run({"sit": "paradox"}, lang="en")
    table = _main_table(at, "en")
    col = t(K + "col.sit", "en", region="Dalarna")
    assert set(table[col]) == {"◆ paradox (hard to recruit despite job seekers)"}
    assert sorted(table[t(K + "col.yrke", "en")]) == sorted(
        outlook.loc[outlook["rekryteringssituation"] == "paradox", "yb_yrke"])
    jobs = set(_main_table(_run(lang="en"), "en")[t(K + "col.jobb", "en", region="Dalarna")])
    assert jobs <= {"small", "medium", "large", "not assessed"} and "large" in jobs
    assert t(K + "names_note", "en") in [c.value for c in at.caption]
    fig = _charts(at)[0]
    assert [tr["name"] for tr in fig["data"]] == ["◆ paradox (hard to recruit despite job seekers)"]
    assert fig["layout"]["separators"] == ".,"


def test_county_without_data_shows_riket_only(built_db):
    riket = _sql(built_db, "SELECT count(*) n FROM occupation_outlook WHERE region_code = '00'")["n"].iloc[0]
    missing = _sql(built_db, "SELECT code, name FROM region WHERE level = 'lan' AND code NOT IN "
                             "(SELECT region_code FROM occupation_outlook) ORDER BY code LIMIT 1")
    if missing.empty:
        pytest.skip("every county has Yrkesbarometern rows in this database")
    at = _run(county=missing["code"].iloc[0])
    assert t(K + "no_county", "sv", county=missing["name"].iloc[0]) in [i.value for i in at.info]
    table = _main_table(at)
    assert len(table) == riket
    assert t(K + "col.sit_riket", "sv") in table.columns
    assert not any("Dalarna" in c for c in table.columns)
    assert len(_charts(at)) == 1  # no county-vs-Riket comparison without county data


def test_share_link_carries_the_current_filters(built_db):
    at = _run({"sit": "brist"})
    assert any("sit=brist" in c.value for c in at.code)
    at.text_input[0].set_value("förare").run()  # a widget change is in the link of the same run
    link = [c.value for c in at.code][0]
    assert "sit=brist" in link and "q=f%C3%B6rare" in link
