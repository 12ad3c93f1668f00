"""The ASF page, run headless with AppTest: every value on screen is compared with what the
database holds (queried here with atlas.db / pandas), in Swedish and English, and odd links never
raise."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import page_runner, shown, url_notice_shown

from atlas import ROOT, asf, db
from atlas.i18n import t

PAGE = ROOT / "pages" / "sociala_foretag.py"
REGISTER_COLS = {"name", "kommun", "town", "line_of_business", "source_url", "year", "year_note", "note"}


_run = page_runner(PAGE)


def _frame(at: AppTest, *cols: str) -> pd.DataFrame:
    for df in at.dataframe:
        if set(cols) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {cols}: {[list(d.value.columns) for d in at.dataframe]}")


def _register_table(at: AppTest) -> pd.DataFrame:
    return _frame(at, *REGISTER_COLS)


def _has_frame(at: AppTest, *cols: str) -> bool:
    return any(set(cols) <= set(d.value.columns) for d in at.dataframe)




def _figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def register(built_db) -> pd.DataFrame:
    return db.run("asf_register", con=db.connect(built_db))


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.fillna("").astype(str).str.strip() == "")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_view_lists_every_register_row(built_db, register, lang):
    at = _run(lang=lang)
    con = duckdb.connect(str(built_db), read_only=True)
    n = con.execute("SELECT count(*) FROM asf_register").fetchone()[0]
    con.close()
    table = _register_table(at)
    assert len(table) == n == len(register)
    assert sorted(table["name"]) == sorted(register["name"])
    by_name = register.set_index("name")
    unknown = t("sociala_foretag.unknown_short", lang)
    name_col = "kommun_name_en" if lang == "en" else "kommun_name"
    lob_col = "line_of_business_en" if lang == "en" else "line_of_business_sv"
    for _, row in table.iterrows():
        src = by_name.loc[row["name"]]
        want = unknown if not str(src["kommun_code"] or "").strip() else src[name_col]
        assert row["kommun"] == want
        assert (row["line_of_business"] or "") == (src[lob_col] or "")
        assert row["source_url"] == src["source_url"]
        want_year = str(int(src["year_of_statement"])) if pd.notna(src["year_of_statement"]) \
            else t("sociala_foretag.no_single_year", lang)
        assert row["year"] == want_year
        assert (row["year_note"] or "") == (src["year_note"] or "")
        assert (row["note"] or "") == (src["asf_status_note"] or "")
    assert at.title[0].value == t("sociala_foretag.title", lang)
    assert not url_notice_shown(at, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_coverage_note_is_visible_with_counts_from_the_database(register, lang):
    at = _run(lang=lang)
    note = [i.value for i in at.info if t("sociala_foretag.coverage_title", lang) in i.value]
    assert note, "the coverage note must be visible, not in an expander"
    n_unknown = int(_blank(register["kommun_code"]).sum())
    assert t("sociala_foretag.coverage_unknown", lang, n_unknown=n_unknown, n_with_facts="X",
             n_total=len(register)).split("X")[0] in note[0]
    for name in register.loc[~_blank(register["asf_status_note"]), "name"]:
        assert name in shown(note[0])
    for name in asf.excluded_organisations():
        assert name in shown(note[0])
    assert "sofisam.se" in note[0] and "2020" in note[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_search_returns_the_rows_pandas_finds(register, lang):
    # A substring taken from a real name, in another case, to check case-insensitivity.
    q = register["name"].iloc[0][:4].upper()
    at = _run({"q": q}, lang=lang)
    cols = asf.search_columns(lang)
    hit = pd.Series(False, index=register.index)
    for col in cols:
        hit |= register[col].fillna("").str.casefold().str.contains(q.casefold(), regex=False)
    want = sorted(register.loc[hit, "name"])
    assert 0 < len(want) < len(register)
    assert sorted(_register_table(at)["name"]) == want
    assert at.text_input[0].value == q


def test_search_by_kommun_name_and_typing_updates_the_url(register):
    at = _run()
    kommun = register["kommun_name"].dropna().value_counts().index[0]
    at.text_input[0].input(kommun.lower()).run()
    assert not at.exception
    got = set(_register_table(at)["name"])
    assert set(register.loc[register["kommun_name"] == kommun, "name"]) <= got
    assert at.query_params["q"] in (kommun.lower(), [kommun.lower()])


def test_kommun_okand_returns_exactly_the_rows_without_kommun(register):
    at = _run({"kommun": asf.UNKNOWN})
    want = sorted(register.loc[_blank(register["kommun_code"]), "name"])
    assert want
    assert sorted(_register_table(at)["name"]) == want
    assert set(_register_table(at)["kommun"]) == {t("sociala_foretag.unknown_short", "sv")}
    assert not url_notice_shown(at)


def test_kommun_filter_with_codes_and_search_combined(register):
    code = register.loc[~_blank(register["kommun_code"]), "kommun_code"].value_counts().index[0]
    at = _run({"kommun": f"{code},{asf.UNKNOWN}"})
    want = register[(register["kommun_code"] == code) | _blank(register["kommun_code"])]
    assert sorted(_register_table(at)["name"]) == sorted(want["name"])
    assert at.multiselect[0].value == [code, asf.UNKNOWN] or sorted(at.multiselect[0].value) == sorted([code, asf.UNKNOWN])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_map_z_values_equal_register_counts(built_db, register, lang):
    at = _run(lang=lang)
    maps = [f for f in _figures(at) if f["data"] and f["data"][0]["type"] == "choroplethmap"]
    assert len(maps) == 1
    trace = maps[0]["data"][0]
    drawn = dict(zip(trace["locations"], trace["z"]))
    known = register[~_blank(register["kommun_code"])].groupby("kommun_code").size()
    kommuner = db.run("regions", con=db.connect(built_db), lan="20")
    kommuner = kommuner[kommuner["level"] == "kommun"]["code"]
    assert set(drawn) == set(kommuner)
    for code in kommuner:
        assert drawn[code] == int(known.get(code, 0))
    assert maps[0]["layout"]["map"]["style"] == "white-bg"
    # Hover names every enterprise of the kommun.
    for code, text in zip(trace["locations"], trace["text"]):
        for name in register.loc[register["kommun_code"] == code, "name"]:
            assert name in text
    # The enterprises without a known kommun are counted beside the map.
    n_unknown = int(_blank(register["kommun_code"]).sum())
    assert any(m.value == f"**{t('sociala_foretag.unknown_count', lang, n=n_unknown)}**" for m in at.markdown)
    ranked = _frame(at, "kommun", "n_asf", "names")
    assert ranked["n_asf"].sum() == len(register) - n_unknown


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_detail_view_shows_the_facts_and_their_quotes(built_db, register, lang):
    counts = db.run("asf_fact_counts", con=db.connect(built_db))
    asf_id = counts.sort_values("n_facts", ascending=False)["asf_id"].iloc[0]
    facts = db.run("asf_facts", con=db.connect(built_db), asf_id=asf_id)
    at = _run({"asf": asf_id}, lang=lang)
    shown = _frame(at, "measure", "value", "quote")
    assert len(shown) == len(facts)
    assert sorted(q for q in shown["quote"] if q) == sorted(q for q in facts["quote"] if q)
    assert list(shown["value"]) == [asf.fact_value(r, lang) for _, r in facts.iterrows()]
    assert list(shown["measure"]) == [asf.measure_label(m, lang) for m in facts["measure"]]
    assert list(shown["source_url"]) == list(facts["source_url"])
    name = register.loc[register["asf_id"] == asf_id, "name"].iloc[0]
    assert any(m.value == f"#### {asf.md_escape(name)}" for m in at.markdown)
    others = asf.split_urls(register.loc[register["asf_id"] == asf_id, "other_source_urls"].iloc[0])
    body = "\n".join(m.value for m in at.markdown)
    for url in others:
        assert asf.md_url(url) in body
    assert at.selectbox[0].value == asf_id
    assert at.query_params["asf"] in (asf_id, [asf_id])


def test_detail_view_without_numbers_says_unknown_not_zero(built_db, register):
    counts = db.run("asf_fact_counts", con=db.connect(built_db))
    asf_id = sorted(set(register["asf_id"]) - set(counts["asf_id"]))[0]
    at = _run({"asf": asf_id})
    assert not _has_frame(at, "measure", "quote")
    assert t("sociala_foretag.no_facts", "sv") in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_undated_county_statements_are_not_plotted(built_db, lang):
    totals = db.run("asf_county_statements", con=db.connect(built_db))
    dated = totals[totals["year"].notna()]
    at = _run(lang=lang)
    fig = [f for f in _figures(at) if f["data"] and f["data"][0]["type"] == "scatter"]
    assert len(fig) == 1
    traces = [tr for tr in fig[0]["data"] if any(x is not None for x in tr.get("x", []))]
    xs = [round(x) for tr in traces for x in tr["x"] if x is not None]
    assert set(xs) <= set(int(y) for y in dated["year"])
    for tr in fig[0]["data"]:
        assert "lines" not in tr.get("mode", ""), "statements must not be drawn as a connected series"
    # Every dated statement's number of ASF is a dot (y value) in the first panel.
    n_asf = [(x, y) for tr in traces if tr.get("yaxis", "y") == "y" for x, y in zip(tr["x"], tr["y"])]
    assert sorted(y for _, y in n_asf) == sorted(dated["n_asf"].dropna().astype(float))
    # The table lists every statement, the undated ones as "year unknown", approximate ones with "ca".
    table = _frame(at, "year", "n_asf", "employees", "quote", "publisher")
    assert len(table) == len(totals)
    assert (table["year"] == t("common.year_unknown", lang)).sum() == totals["year"].isna().sum()
    assert list(table["quote"]) == list(totals["quote"])
    for shown, n, approx in zip(table["n_asf"], totals["n_asf"], totals["n_asf_approx"]):
        assert shown == asf.approx_number(n, asf.is_true(approx), lang)
    approx_prefix = t("sociala_foretag.approx_value", lang, value="")
    assert any(v.startswith(approx_prefix) for v in table["n_asf"])


def test_support_organisations_are_listed(built_db):
    support = db.run("asf_support_organisations", con=db.connect(built_db))
    at = _run(lang="en")
    table = _frame(at, "name", "role", "source_url")
    assert list(table["name"]) == list(support["name"])
    assert list(table["role"]) == list(support["role_en"])


@pytest.mark.parametrize("params", [
    {"asf": "no_such_enterprise"},
    {"asf": "x' OR 1=1 --"},
    {"kommun": "9999"},
    {"kommun": "2085' OR '1'='1"},
    {"kommun": "2085,9999"},
    {"q": "x" * 5000},
    {"q": "tab\there"},
    {"asf": "k" * 5000, "kommun": "0" * 5000},
    {"kommun": ["2085", "9999"], "asf": ["koopus", "nope"]},
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_malformed_params_fall_back_with_a_notice(built_db, register, params, lang):
    at = _run(params, lang=lang)
    assert url_notice_shown(at, lang)
    table = _register_table(at)
    if params.get("kommun") == "2085,9999":  # the valid part of a list is kept
        assert sorted(table["name"]) == sorted(register.loc[register["kommun_code"] == "2085", "name"])
    else:
        assert len(table) == len(register)
    assert not _has_frame(at, "measure", "quote")  # no detail view for an invalid id
    assert len(at.get("plotly_chart")) == 2


def test_sql_in_the_search_is_plain_text(built_db, register):
    at = _run({"q": "x' OR 1=1 --"})
    assert _register_table(at).empty
    assert any(i.value == t("sociala_foretag.no_match", "sv") for i in at.info)
    con = duckdb.connect(str(built_db), read_only=True)
    assert con.execute("SELECT count(*) FROM asf_register").fetchone()[0] == len(register)
    con.close()


def test_clearing_the_filters_removes_them_from_the_url():
    at = _run({"kommun": asf.UNKNOWN, "q": "a"})
    at.text_input[0].input("").run()
    at.multiselect[0].set_value([]).run()
    assert not at.exception
    assert "q" not in at.query_params and "kommun" not in at.query_params
