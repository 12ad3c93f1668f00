"""atlas.occupations: search, filters and summaries of Yrkesbarometern rows, checked against the
database built from the mirror (counts) and on a few rows taken from it (search semantics)."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import db
from atlas import occupations as occ
from atlas.i18n import MISSING, t

LAN = "20"


@pytest.fixture(scope="module")
def df(outlook_20) -> pd.DataFrame:
    return outlook_20


def _sql(built_db, sql: str, *params) -> pd.DataFrame:
    return db.connect(built_db).cursor().execute(sql, list(params)).df()


def test_situation_codes_round_trip():
    for code, value in occ.SITUATION_CODES.items():
        assert occ.situation_code(value) == code
    assert occ.situation_code(float("nan")) == "ingen"
    assert occ.situation_code(pd.NA) == "ingen"
    assert all(code.isascii() for code in occ.SITUATION_CODES)
    assert occ.situation_label("brist", "sv") == "▲ brist"
    assert occ.situation_label("ingen", "en", symbol=False) == "not assessed"
    assert occ.situation_label("paradox", "en") == "◆ paradox (hard to recruit despite job seekers)"
    assert occ.situation_label("paradox", "en", short=True) == "◆ paradox"
    assert len(set(occ.SITUATION_SYMBOLS.values())) == len(occ.SITUATION_CODES)


def test_area_slugs_are_ascii_unique_and_cover_the_data(df):
    slugs = occ.area_slugs(df["yrkesomrade"])
    assert sorted(slugs.values()) == sorted(df["yrkesomrade"].unique())
    for slug in slugs:
        assert slug.isascii() and "," not in slug and slug == slug.lower()
    assert occ.area_slug("Hälso- och sjukvård") == "halso-och-sjukvard"
    assert occ.area_slug("Data/IT") == "data-it"
    clash = occ.area_slugs(["Data/IT", "Data IT"])
    assert len(clash) == 2 and set(clash.values()) == {"Data/IT", "Data IT"}


def test_ssyk_codes_split_lists():
    assert occ.ssyk_codes("2413, 2414, 3311") == ["2413", "2414", "3311"]
    assert occ.ssyk_codes("5223") == ["5223"]
    assert occ.ssyk_codes(None) == [] and occ.ssyk_codes(float("nan")) == []


def test_search_by_ssyk_prefix_and_name(df):
    for code in ["8332", "83", "2"]:
        want = df["ssyk"].map(lambda s: any(c.startswith(code) for c in occ.ssyk_codes(s)))
        assert occ.search_mask(df, code).tolist() == want.tolist()
    multi = df[df["ssyk"].str.contains(",")].iloc[0]
    last = occ.ssyk_codes(multi["ssyk"])[-1]
    assert multi["yb_concept_id"] in set(df[occ.search_mask(df, last)]["yb_concept_id"])
    name = df["yb_yrke"].iloc[0]
    part = name[1:5].upper()
    hits = df[occ.search_mask(df, part)]["yb_yrke"]
    assert name in set(hits)
    assert all(part.casefold() in h.casefold() for h in hits)


@pytest.mark.parametrize("text", [".*", "[(", ".*[(", "x' OR 1=1 --", "%", "\\d+", "(med"])
def test_search_is_plain_text(df, text):
    got = occ.search_mask(df, text)
    want = df["yb_yrke"].map(lambda s: text.casefold() in s.casefold())
    assert got.tolist() == want.tolist()


def test_empty_search_keeps_everything_and_long_text_is_cut(df):
    assert occ.search_mask(df, "").all() and occ.search_mask(df, None).all() and occ.search_mask(df, "  ").all()
    assert len(occ.clean_search("x" * 5000)) == occ.MAX_SEARCH


def test_filters_match_sql(built_db, df):
    want = _sql(built_db, "SELECT yb_concept_id FROM occupation_outlook WHERE region_code = ? AND "
                          "(rekryteringssituation = 'brist' OR rekryteringssituation IS NULL) AND "
                          "yrkesomrade IN ('Hälso- och sjukvård', 'Transport')", LAN)
    got = occ.filter_occupations(df, areas=["Hälso- och sjukvård", "Transport"], situations=["brist", "ingen"])
    assert sorted(got["yb_concept_id"]) == sorted(want["yb_concept_id"])
    assert len(occ.filter_occupations(df)) == len(df)
    riket = occ.filter_occupations(df, situations=["overskott"], riket_only=True)
    assert (riket["situation_riket"] == "överskott").all()


def test_sort_puts_shortage_first(df):
    ordered = occ.sort_occupations(df)
    ranks = ordered["situation"].map(occ.situation_code).map(list(occ.SITUATION_CODES).index)
    assert ranks.is_monotonic_increasing
    assert len(ordered) == len(df)


def test_counts_by_area_equal_sql(built_db, df):
    want = _sql(built_db, "SELECT yrkesomrade, coalesce(rekryteringssituation, 'ingen') s, count(*) n "
                          "FROM occupation_outlook WHERE region_code = ? GROUP BY ALL", LAN)
    got = occ.counts_by_area(df)
    assert list(got.columns) == ["yrkesomrade", *occ.SITUATION_CODES, "total"]
    for _, r in want.iterrows():
        code = occ.situation_code(None if r["s"] == "ingen" else r["s"])
        assert got.set_index("yrkesomrade").loc[r["yrkesomrade"], code] == r["n"]
    assert got["total"].sum() == len(df)
    assert got["brist"].is_monotonic_decreasing


def test_counts_county_vs_riket_equal_the_situation_query(built_db, df):
    con = db.connect(built_db)
    got = occ.counts_county_vs_riket(df).set_index("code")
    for col, region in [("county", LAN), ("riket", "00")]:
        counts = db.run("occupation_situation_counts", con=con, region=region)
        for situation, n in zip(counts["situation"], counts["n"]):
            assert got.loc[occ.situation_code(situation), col] == n


def test_paradox_reasons_and_labels(df):
    paradox = df[df["situation"] == "paradox"]
    assert len(paradox) and all(occ.paradox_reasons(v) for v in paradox["paradox"])
    for value in df["paradox"].dropna():
        assert set(occ.paradox_reasons(value)) <= set(occ.PARADOX_REASONS)
    assert occ.paradox_reasons("") == [] and occ.paradox_reasons(None) == []
    assert occ.reasons_label("arbetslöshet, lämnare", "en") == "unemployed job seekers, recent leavers"
    assert occ.reasons_label("deltidsarbete", "sv") == "deltidsarbete"


def test_assessment_levels_are_all_labelled(df):
    for level, part in set(zip(df["hogsta_bedomningsniva"].dropna(), df["delvis_helt"].dropna())):
        for lang in ("sv", "en"):
            assert not occ.level_label(level, part, lang).startswith("kompetensbrist.")
    assert occ.level_label("län", "helt", "sv") == "länet"
    assert occ.level_label("nationellt", "helt", "en") == "national level"
    assert occ.level_label("nationellt", "delvis", "sv") == "delvis nationell nivå"
    assert occ.level_label(None, None, "sv") == MISSING


def test_values_never_blank(df):
    for lang in ("sv", "en"):
        none = t("kompetensbrist.sit.ingen", lang)
        assert occ.value_label("jobb", None, lang) == none
        assert occ.value_label("prognos", float("nan"), lang) == none
    assert occ.value_label("prognos", "öka", "sv") == "↗ ökar"
    assert occ.value_label("prognos", "vara oförändrad", "en") == "→ remain unchanged"
    assert occ.value_label("jobb", "små", "en") == "small"


def test_display_table(df):
    table = occ.display_table(df, "sv")
    assert list(table.columns) == ["yrke", "ssyk", "omrade", "sit", "sit_riket", "jobb", "jobb_riket",
                                   "prognos", "prognos_riket", "paradox", "niva"]
    assert len(table) == len(df)
    for col in ["sit", "sit_riket", "jobb", "jobb_riket", "prognos", "prognos_riket", "niva"]:
        assert table[col].str.len().min() > 0, col
    assert (table["sit"] == "○ ingen bedömning").sum() == df["situation"].isna().sum()
    riket = occ.display_table(df, "en", riket_only=True)
    assert "sit" not in riket.columns and "niva" not in riket.columns
    outside = df.assign(in_region=False)
    assert set(occ.display_table(outside, "sv")["sit"]) == {MISSING}


def test_assessment_lines_for_the_detail_view(df):
    row = df[df["situation"] == "paradox"].iloc[0]
    county = dict(occ.assessment_lines(row, "sv"))
    assert county["Rekryteringssituation"] == "◆ paradox"
    assert county["Paradox-skäl"] == occ.reasons_label(row["paradox"], "sv") != ""
    assert county["Bedömningsnivå"] == occ.level_label(row["hogsta_bedomningsniva"], row["delvis_helt"], "sv")
    riket = dict(occ.assessment_lines(row, "en", riket=True))
    assert riket["Recruitment situation"] == occ.situation_label(occ.situation_code(row["situation_riket"]), "en")
    none = df[df["situation"].isna()].iloc[0]
    lines = dict(occ.assessment_lines(none, "en"))
    assert lines["Recruitment situation"] == "○ not assessed" and lines["Job prospects"] == "not assessed"
