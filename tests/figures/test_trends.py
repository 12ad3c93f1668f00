"""Builders of the Trender page, checked against the values in the built database."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from atlas import db
from atlas.figures import trends
from atlas.figures.palette import REGION_ROLE
from atlas.i18n import fmt_number, fmt_value, t


@pytest.fixture(scope="module")
def catalogue(con):
    return db.run("trend_catalogue", con=con).set_index("id", drop=False)


def _levels(con) -> dict[str, str]:
    regions = db.run("regions_all", con=con)
    return dict(zip(regions["code"], regions["level"]))


def _y(trace) -> np.ndarray:
    return np.asarray(trace.y, dtype=float)


# --- labels and ordering --------------------------------------------------------------------------

def test_categories_follow_the_catalogue_order(catalogue, con):
    ind = catalogue.loc["etablering_forvarvsarbetande"]
    in_data = db.run("trend_options", con=con, indicator=ind["id"])["category"].tolist()
    assert trends.category_order(in_data, ind) == list(json.loads(ind["categories_en"]))


def test_category_labels_per_language(catalogue):
    ind = catalogue.loc["varsel_bransch"]
    names = json.loads(ind["categories_en"])
    assert trends.category_label(trends.UNKNOWN_INDUSTRY, "en", ind) == names[trends.UNKNOWN_INDUSTRY]
    assert trends.category_label(trends.UNKNOWN_INDUSTRY, "sv", ind) == trends.UNKNOWN_INDUSTRY
    birth = catalogue.loc["arbetsloshet"]
    assert trends.category_label("utrikes född", "sv", birth) == "Utrikes född"
    assert trends.category_label("", "sv", birth) == t("common.all_groups", "sv")
    assert trends.categories_en({"categories_en": "not json"}) == {}


# --- 1. over time ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_over_time_draws_the_series(con, catalogue, lang):
    df = db.run("series", con=con, indicator="arbetsloshet", regions=["2085", "00"], sex="T", category="")
    spec = trends.over_time_spec(df, lang=lang, indicator=catalogue.loc["arbetsloshet"], sex="T", category="",
                                 levels=_levels(con))
    assert [tr.name for tr in spec.figure.data] == df.drop_duplicates("region_code")[
        "region_name_en" if lang == "en" else "region_name"].tolist()
    for tr, (_, part) in zip(spec.figure.data, df.groupby("region_code", sort=False)):
        assert np.array_equal(_y(tr), part["value"].to_numpy(dtype=float), equal_nan=True)
    assert spec.figure.data[1].line.color == REGION_ROLE["riket"]
    assert len(spec.data) == len(df)
    last = df[df["region_code"] == "2085"].iloc[-1]
    assert fmt_value(last["value"], "procent", lang, 1) in spec.alt_text
    assert spec.meta["mixed_sources"] is False


def test_over_time_flags_mixed_vintages(con, catalogue):
    # Dalarna comes from the revised municipal file, Stockholm only from the older county file.
    df = db.run("series", con=con, indicator="arbetsloshet", regions=["20", "01"], sex="T", category="")
    spec = trends.over_time_spec(df, lang="sv", indicator=catalogue.loc["arbetsloshet"], sex="T", category="",
                                 levels=_levels(con))
    assert spec.meta["mixed_sources"] is True
    assert set(spec.source_ids) == set(df["source_id"])
    assert "bas_lan_manad" in spec.definition


def test_single_year_gets_markers(con, catalogue):
    df = db.run("series", con=con, indicator="utpendling_andel", regions=["20"], sex="T", category="")
    spec = trends.over_time_spec(df, lang="sv", indicator=catalogue.loc["utpendling_andel"], sex="T", category="",
                                 levels=_levels(con))
    assert "markers" in spec.figure.data[0].mode
    assert _y(spec.figure.data[0]).tolist() == df["value"].tolist()


# --- 2. county comparison -------------------------------------------------------------------------

def test_comparison_reads_one_source(con):
    df = db.run("trend_compare", con=con, indicator="arbetsloshet", sex="T", category="")
    assert df["source_id"].nunique() == 1
    assert df.loc[df["level"] == "lan", "region_code"].nunique() == 21
    assert (df["level"] == "riket").any()
    # It is the file with every län, not the revised one that is preferred for Dalarna.
    per_source = con.execute(
        "SELECT source_id, count(DISTINCT region_code) FROM observation WHERE indicator_id = 'arbetsloshet' "
        "AND category = '' GROUP BY 1 ORDER BY 2 DESC").fetchall()
    assert df["source_id"].iloc[0] == per_source[0][0]


def test_default_period_has_widest_coverage(con):
    df = db.run("trend_compare", con=con, indicator="arbetsloshet", sex="T", category="")
    periods = trends.comparison_periods(df)
    assert periods == sorted(periods, key=lambda p: df.loc[df["period"] == p, "period_date"].iloc[0], reverse=True)
    default = trends.default_comparison_period(df)
    n = df[(df["level"] == "lan") & df["value"].notna()].groupby("period")["region_code"].nunique()
    assert n[default] == n.max()
    assert default == max(p for p in periods if n[p] == n.max())


def test_ranking_puts_missing_last(con, catalogue):
    df = db.run("trend_compare", con=con, indicator="matchningsgrad", sex="K", category="födda i Afrika")
    missing = df[(df["level"] == "lan") & df["value"].isna()]
    assert not missing.empty, "the source has suppressed values for this group"
    period = missing["period"].iloc[0]
    r = trends.ranking(df, period)
    values = r["value"].tolist()
    known = [v for v in values if not pd.isna(v)]
    assert known == sorted(known, reverse=True)
    assert all(pd.isna(v) for v in values[len(known):])
    assert r["rank"].iloc[0] == 1 and r["rank"].isna().sum() == len(values) - len(known)
    spec = trends.county_ranking_spec(df, lang="sv", indicator=catalogue.loc["matchningsgrad"], sex="K", category="födda i Afrika", period=period, county="20", note="")
    marked = [tr for tr in spec.figure.data if tr.name == t("trender.missing_legend", "sv")]
    assert len(marked) == 1 and list(marked[0].text) == [".."] * (len(values) - len(known))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_ranking_highlights_county_and_riket(con, catalogue, lang):
    df = db.run("trend_compare", con=con, indicator="arbetsloshet", sex="T", category="")
    period = trends.default_comparison_period(df)
    note = trends.comparison_note(df, lang=lang, source_title="x")
    spec = trends.county_ranking_spec(df, lang=lang, indicator=catalogue.loc["arbetsloshet"], sex="T", category="",
                                      period=period, county="20", note=note)
    county = [tr for tr in spec.figure.data if list(tr.y) == ["20"]]
    assert len(county) == 1 and county[0].marker.color == trends.COUNTY_COLOUR
    want = df[(df["period"] == period) & (df["region_code"] == "20")]["value"].iloc[0]
    assert _y(county[0]).size == 1 and county[0].x[0] == want
    ticks = dict(zip(spec.figure.layout.yaxis.tickvals, spec.figure.layout.yaxis.ticktext))
    assert ticks["20"].startswith("<b>") and not ticks["01"].startswith("<b>")  # bold, not colour alone
    riket = df[(df["period"] == period) & (df["region_code"] == "00")]["value"].iloc[0]
    assert spec.figure.layout.shapes[0].x0 == riket
    assert fmt_value(riket, "procent", lang, 1) in spec.figure.layout.annotations[0].text
    assert len(spec.data) == 22  # 21 län and Riket
    assert "bas_lan_manad" in note and t("trender.compare_older_vintage", lang, regions="")[:20] in note


def test_no_vintage_warning_when_source_is_preferred(con):
    df = db.run("trend_compare", con=con, indicator="utpendling_andel", sex="T", category="")
    note = trends.comparison_note(df, lang="sv", source_title="x")
    assert t("trender.compare_older_vintage", "sv", regions="")[:20] not in note
    assert t("trender.compare_riket", "sv") not in note  # this source has no Riket


def test_county_lines_legend(con, catalogue):
    df = db.run("trend_compare", con=con, indicator="arbetsloshet_ar", sex="T", category="")
    spec = trends.county_lines_spec(df, lang="sv", indicator=catalogue.loc["arbetsloshet_ar"], sex="T", category="",
                                    county="20", note="")
    shown = [tr.name for tr in spec.figure.data if tr.showlegend is not False]
    assert shown == [t("trender.other_lan", "sv"), "Riket", "Dalarnas län"]
    dalarna = spec.figure.data[-1]
    assert _y(dalarna).tolist() == df[df["region_code"] == "20"]["value"].tolist()
    assert dalarna.line.width > spec.figure.data[0].line.width


# --- 3. birth region ------------------------------------------------------------------------------

def test_birth_gap_and_lines(con, catalogue):
    df = db.run("trend_birth_region", con=con, region="2080")
    wide = trends.birth_gap(df)
    inr = df[df["category"] == "inrikes född"].set_index("period")["value"]
    utr = df[df["category"] == "utrikes född"].set_index("period")["value"]
    assert wide["inrikes"].tolist() == inr.loc[wide["period"]].tolist()
    assert np.allclose(wide["gap"], utr.loc[wide["period"]].to_numpy() - inr.loc[wide["period"]].to_numpy())
    spec = trends.birth_region_spec(df, lang="en", region_name="Falun", definition="d")
    assert _y(spec.figure.data[0]).tolist() == wide["inrikes"].tolist()
    assert _y(spec.figure.data[1]).tolist() == wide["utrikes"].tolist()
    assert spec.figure.data[0].line.dash != spec.figure.data[1].line.dash  # not colour alone
    end = wide.iloc[-1]
    assert fmt_number(end["gap"], "en", 1) in spec.alt_text


# --- 4. varsel ------------------------------------------------------------------------------------

def test_moving_average_needs_a_full_year(con):
    df = db.run("trend_varsel_month", con=con, lan="20")
    ma = trends.moving_average(df["value"])
    assert ma.iloc[:11].isna().all()
    assert ma.iloc[11] == pytest.approx(df["value"].iloc[:12].mean())
    assert ma.iloc[-1] == pytest.approx(df["value"].iloc[-12:].mean())


@pytest.mark.parametrize("show_average", [True, False])
def test_varsel_monthly_range(con, show_average):
    df = db.run("trend_varsel_month", con=con, lan="20")
    years = trends.varsel_years(df)
    first, last = years[len(years) // 2], years[-1]
    spec = trends.varsel_monthly_spec(df, lang="sv", first_year=first, last_year=last, show_average=show_average,
                                      definition="")
    shown = df[df["period"].str[:4].astype(int).between(first, last)]
    assert _y(spec.figure.data[0]).tolist() == shown["value"].tolist()
    assert len(spec.figure.data) == (2 if show_average else 1)
    if show_average:  # the average at the first month shown uses the months before the range
        assert not np.isnan(_y(spec.figure.data[1])[0])


def test_industry_groups_keep_unknown_apart_and_totals(con):
    df = db.run("trend_varsel_industry", con=con, lan="20")
    years = sorted(df["period"].astype(int).unique())
    rows, order = trends.industry_groups(df, first_year=years[0], last_year=years[-1], top=3)
    assert order[-1] == trends.UNKNOWN_INDUSTRY and order[-2] == "" and len(order) == 5
    totals = df.groupby("period")["value"].sum()
    assert rows.groupby("period")["value"].sum().to_dict() == totals.to_dict()
    unknown = df[df["category"] == trends.UNKNOWN_INDUSTRY].set_index("period")["value"]
    got = rows[rows["group"] == trends.UNKNOWN_INDUSTRY].set_index("period")["value"]
    assert got.to_dict() == unknown.to_dict()
    sums = df[df["category"] != trends.UNKNOWN_INDUSTRY].groupby("category")["value"].sum()
    assert order[:3] == sums.sort_values(ascending=False, kind="stable").index[:3].tolist()


def test_industry_spec(con, catalogue):
    df = db.run("trend_varsel_industry", con=con, lan="20")
    year = df["period"].max()
    spec = trends.varsel_industry_spec(df, lang="en", first_year=int(year), last_year=int(year), top=5,
                                       indicator=catalogue.loc["varsel_bransch"])
    total = df[df["period"] == year]["value"].sum()
    assert spec.figure.data[-1].text[0] == fmt_number(total, "en")
    names = [tr.name for tr in spec.figure.data[:-1]]
    assert names[-1] == json.loads(catalogue.loc["varsel_bransch", "categories_en"])[trends.UNKNOWN_INDUSTRY]
    assert spec.figure.data[-2].marker.pattern.shape == "/"


def test_axes_show_full_numbers_not_si_suffixes(con):
    """Riket's employed (about 4.8 million) on the trend axis reads '4 000 000' in Swedish and
    '4,000,000' in English, never Plotly's default '4M' (rendered by kaleido, tick texts read
    from the SVG)."""
    import re

    from atlas.figures.lines import build_trend

    series = db.run("series", con=con, indicator="sysselsatta", regions=["00"], sex="T", category="")
    assert series["value"].max() > 4_000_000
    for lang, thousands in (("sv", "\u00a0"), ("en", ",")):
        svg = build_trend(series, lang=lang, unit_label="antal", decimals=0).to_image(format="svg").decode()
        ticks = re.findall(r'class="ytick"[^>]*>.*?<text[^>]*>([^<]*)</text>', svg)
        assert ticks, "no y ticks found"
        assert not [x for x in ticks if x.rstrip().endswith(("M", "k", "G"))], ticks
        assert any(re.fullmatch(rf"\d{{1,3}}({re.escape(thousands)}|\s)000({re.escape(thousands)}|\s)000", x)
                   for x in ticks), ticks


def test_time_axes_name_months_in_the_ui_language():
    """Plotly would write 'Oct 2018' on a Swedish chart: every time axis gets its own ticks."""
    import pandas as pd

    from atlas.figures.dates import date_ticks
    from atlas.figures.trends import varsel_monthly_spec

    periods = [f"{y}M{m:02d}" for y in (2017, 2018, 2019) for m in range(1, 13)]
    df = pd.DataFrame({"period": periods, "period_date": pd.to_datetime([p.replace("M", "-") + "-01" for p in periods]),
                       "value": range(len(periods)), "source_id": "varsel"})
    for lang, october in (("sv", "okt"), ("en", "Oct")):
        spec = varsel_monthly_spec(df, lang=lang, first_year=2018, last_year=2019, show_average=True, definition="")
        axis = spec.figure.layout.xaxis
        assert axis.tickmode == "array"
        assert list(axis.ticktext) == [f"{'jan' if lang == 'sv' else 'Jan'} 2018", "apr" if lang == "sv" else "Apr",
                                       "jul" if lang == "sv" else "Jul", october,
                                       f"{'jan' if lang == 'sv' else 'Jan'} 2019", "apr" if lang == "sv" else "Apr",
                                       "jul" if lang == "sv" else "Jul", october]
        assert pd.Timestamp(axis.tickvals[3]) == pd.Timestamp("2018-10-01")
    # long spans: years, at most ten ticks; annual data: one tick per year
    assert date_ticks(pd.date_range("1992-01-01", "2024-12-01", freq="MS"), "sv")["ticktext"][:3] == ["1992", "1996", "2000"]
    assert date_ticks(pd.to_datetime(["2020-01-01", "2021-01-01"]), "sv", yearly=True)["ticktext"] == ["2020", "2021"]
    assert date_ticks([], "sv") == {}


def test_keys_carry_every_filter_so_the_deck_keeps_two_views(con, catalogue):
    """The seminar deck collects figures by key; the trend key left out the regions and the
    category, so adding two selections of the same chart kept only one."""
    ind = catalogue.loc["arbetsloshet"]
    views = [(["2085", "00"], "T", ""), (["2080", "00"], "T", ""), (["20", "00"], "T", "utrikes född"),
             (["20", "00"], "T", "inrikes född")]
    keys = []
    for regions, sex, category in views:
        df = db.run("series", con=con, indicator="arbetsloshet", regions=regions, sex=sex, category=category)
        keys.append(trends.over_time_spec(df, lang="sv", indicator=ind, sex=sex, category=category,
                                          levels=_levels(con)).key)
    assert len(set(keys)) == len(views)
    assert keys[0] == "trend-arbetsloshet-T-2085+00"
    deck = {}
    for k in keys:  # as atlas.ui.figure_card adds a figure to the deck
        deck[k] = k
    assert len(deck) == len(views)
    df = db.run("trend_compare", con=con, indicator="arbetsloshet", sex="T", category="")
    period = trends.default_comparison_period(df)
    ranked = {trends.county_ranking_spec(df, lang="sv", indicator=ind, sex="T", category="", period=p,
                                         county="20", note="").key for p in (period, "2020M01")}
    assert len(ranked) == 2
