"""Trender och jämförelser: any indicator over time, the county comparison (one source for all län),
unemployment by birth region, and notices of redundancy (varsel).

One section is drawn at a time (a picker, ?vy=), so a rerun runs only that section's queries and
figures; the parameters of the other sections stay in the URL and are read when their section opens.

URL parameters (all validated against the options the data offers; anything else falls back to the
default with one notice; an empty parameter is the default). Bound to the widgets by atlas.ui.state.UrlState:
  vy           tid | lan | fodelse | varsel: the section shown. Without it, the first section (in page
               order) whose parameters the link carries, so older links open where they pointed
  ind          indicator id over time (default arbetsloshet)
  reg          comma-separated region codes (default the county and Riket), at most six
  kon          T | K | M, only for indicators with data by sex (default T; another value for an
               indicator without that breakdown gets the notice too)
  kat          category value, only for indicators with categories (default '' = all, else the first)
  jmf_ind      indicator id for the county comparison (default arbetsloshet)
  jmf_kon      T | K | M for the comparison (default T)
  jmf_kat      category for the comparison (default '' where it exists, else the first)
  jmf_period   period of the ranking, e.g. 2024M01 or 2020 (default the latest with the most län)
  jmf_tid      1 shows every län over time as well (default 0)
  fr_reg       region code for unemployment by birth region (default the county)
  varsel_fran, varsel_till  first and last year of the varsel charts (default all years)
  varsel_ma    1 | 0: 12-month moving average on the monthly chart (default 1)
  varsel_topp  3-6: industries shown separately (default 5)
  egen, egen_namn  an own comparison group over time: comma-separated kommun codes of any loaded
               county (at most 50; Riket or a county gets its own message) and its name (atlas.ui.groups)
"""

from dataclasses import replace

import pandas as pd
import streamlit as st

from atlas import groups, trends
from atlas.figures.labels import category_label
from atlas.figures.trends import (birth_region_spec, category_order, comparison_note, comparison_periods,
                                  county_lines_spec, county_ranking_spec, default_comparison_period, indicator_label,
                                  over_time_spec, sex_label, varsel_industry_spec, varsel_monthly_spec)
from atlas.i18n import fmt_period, t
from atlas.ui.data import cached_builder, query, region_names
from atlas.ui import groups as group_ui
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

# Figures are rebuilt only when their inputs change (the page has five of them).
(birth_region_spec, county_lines_spec, county_ranking_spec, over_time_spec, varsel_industry_spec,
 varsel_monthly_spec) = map(cached_builder, (birth_region_spec, county_lines_spec, county_ranking_spec,
                                              over_time_spec, varsel_industry_spec, varsel_monthly_spec))

lang, lan = lang(), county()
names = region_names(lang)
county_name = names.get(lan, lan)
catalogue = query("trend_catalogue").set_index("id", drop=False)
url = UrlState("trender", lang)


def choose_breakdown(options_df, indicator, key_prefix: str, params: tuple[str, str], cols) -> tuple[str, str]:
    """Category and sex pickers for one indicator, each drawn only when there is a choice (a hidden
    one's parameter leaves the URL). options_df: the ``trend_options`` rows that qualify.
    Returns (sex, category)."""
    kat_param, kon_param = params
    cats = category_order(options_df["category"].tolist(), indicator)
    if len(cats) > 1:
        category = url.one(f"{key_prefix}_kat", kat_param, cats, cats[0])
        cols[0].selectbox(t("trender.pick_category", lang), cats, key=f"{key_prefix}_kat",
                          format_func=lambda c: category_label(c, lang, indicator))
    else:
        category = cats[0] if cats else ""
        url.fixed(kat_param, category)
    sexes = trends.sexes(options_df, category)
    if len(sexes) > 1:
        sex = url.one(f"{key_prefix}_kon", kon_param, sexes, sexes[0])
        cols[1].segmented_control(t("trender.pick_sex", lang), sexes, key=f"{key_prefix}_kon",
                                  format_func=lambda s: sex_label(s, lang), selection_mode="single")
    else:
        sex = sexes[0] if sexes else "T"
        url.fixed(kon_param, sex)
    return sex, category


st.title(t("trender.title", lang))
url.slots()
st.markdown(t("trender.intro", lang, county=county_name))
view = url.section("tr_vy", "vy", trends.SECTIONS)
st.segmented_control(t("trender.pick_view", lang), list(trends.SECTIONS), key="tr_vy", selection_mode="single",
                     format_func=lambda v: t(f"trender.view.{v}", lang))


def section_time() -> None:
    """1. Any indicator over time for the chosen regions."""
    st.header(t("trender.sec_time", lang), anchor="over-tid", divider="gray")
    st.caption(t("trender.sec_time_intro", lang))
    ids = catalogue.index.tolist()
    ind = url.one("tr_ind", "ind", ids, trends.default_indicator(ids))
    c1, c2, c3 = st.columns([2, 1.6, 1.4])  # the sex control needs ~230 px for "Totalt Kvinnor Män"
    c1.selectbox(t("trender.pick_indicator", lang), ids, key="tr_ind",
                 format_func=lambda i: indicator_label(catalogue.loc[i], lang))
    indicator = catalogue.loc[ind]
    sex, category = choose_breakdown(query("trend_options", indicator=ind), indicator, "tr", ("kat", "kon"), (c2, c3))
    regions = query("trend_regions", indicator=ind, sex=sex, category=category, lan=lan)
    codes = regions["code"].tolist()
    chosen = url.many("tr_reg", "reg", codes, trends.default_regions(codes, lan), max_items=6)
    st.multiselect(t("trender.pick_regions", lang), codes, key="tr_reg", max_selections=6,
                   format_func=lambda c: names.get(c, c),
                   help=t("trender.pick_regions_help", lang, county=county_name))

    group = group_ui.picker(url, lang, prefix="tr", names=names)

    what = indicator_label(indicator, lang)
    if not codes or not chosen:
        st.info(t("trender.no_data", lang, what=what) if not codes else t("trender.no_regions", lang))
        return
    series = query("series", indicator=ind, regions=chosen, sex=sex, category=category)
    if series.empty or series["value"].isna().all():
        st.info(t("trender.no_data", lang, what=what))
        return
    levels = dict(zip(regions["code"], regions["level"]))
    drawn = group and group_ui.line(group, indicator=indicator, sex=sex, category=category, lang=lang, names=names)
    if drawn:
        rows, note, meta = drawn
        series = pd.concat([series, rows[series.columns]], ignore_index=True)
        levels[groups.GROUP_CODE] = "grupp"
    spec = over_time_spec(series, lang=lang, indicator=indicator, sex=sex, category=category, levels=levels)
    if drawn:
        spec = group_ui.with_group(spec, group, meta, note)
    figure_card(spec, lang)
    if drawn:
        st.caption(note)
    if spec.meta["mixed_sources"]:
        st.caption(t("trender.mixed_sources_short", lang, sources=", ".join(spec.source_ids)))


def section_compare() -> None:
    """2. All län for one period (and over time), from one source."""
    st.header(t("trender.sec_compare", lang), anchor="lansjamforelse", divider="gray")
    st.caption(t("trender.sec_compare_intro", lang, county=county_name))
    comparable = set(query("trend_compare_indicators")["indicator_id"])
    jmf_ids = [i for i in catalogue.index if i in comparable]
    if not jmf_ids:
        st.info(t("trender.compare_none", lang, what=t("trender.sec_compare", lang)))
        return
    jmf = url.one("tr_jmf_ind", "jmf_ind", jmf_ids, trends.default_indicator(jmf_ids))
    d1, d4, d2, d3 = st.columns([2, 1.1, 1.6, 1.5])  # indicator, period, group, sex (needs ~230 px)
    d1.selectbox(t("trender.pick_compare_indicator", lang), jmf_ids, key="tr_jmf_ind",
                 format_func=lambda i: indicator_label(catalogue.loc[i], lang))
    jmf_indicator = catalogue.loc[jmf]
    jmf_options = query("trend_options", indicator=jmf)
    sex, category = choose_breakdown(jmf_options[jmf_options["n_lan"] > 1], jmf_indicator, "tr_jmf",
                                     ("jmf_kat", "jmf_kon"), (d2, d3))
    compare = query("trend_compare", indicator=jmf, sex=sex, category=category)
    periods = comparison_periods(compare) if not compare.empty else []
    if not periods:
        st.info(t("trender.compare_none", lang, what=indicator_label(jmf_indicator, lang)))
        return
    period = url.one("tr_jmf_period", "jmf_period", periods, default_comparison_period(compare))
    d4.selectbox(t("trender.pick_period", lang), periods, key="tr_jmf_period",
                 format_func=lambda p: fmt_period(p, lang))
    title = trends.source_title(query("sources"), str(compare["source_id"].iloc[0]), lang)
    note = comparison_note(compare, lang=lang, source_title=title)
    st.caption(note)
    args = dict(lang=lang, indicator=jmf_indicator, sex=sex, category=category, county=lan, note=note)
    figure_card(county_ranking_spec(compare, period=period, **args), lang)
    url.flag("tr_jmf_tid", "jmf_tid", False)
    if st.toggle(t("trender.show_lines", lang), key="tr_jmf_tid"):
        figure_card(county_lines_spec(compare, **args), lang)


def section_birth() -> None:
    """3. Unemployment by region of birth."""
    st.header(t("trender.sec_birth", lang), anchor="fodelseregion", divider="gray")
    st.caption(t("trender.sec_birth_intro", lang))
    birth_regions = query("trend_regions", indicator="arbetsloshet", sex="T", category="utrikes född", lan=lan)
    codes = birth_regions["code"].tolist()
    if not codes:
        st.info(t("trender.birth_missing", lang, region=county_name))
        return
    fr = url.one("tr_fr_reg", "fr_reg", codes, trends.default_regions(codes, lan)[0])
    st.columns([2, 3])[0].selectbox(t("trender.pick_birth_region", lang), codes, key="tr_fr_reg",
                                    format_func=lambda c: names.get(c, c))
    st.caption(trends.birth_coverage(birth_regions, lan=lan, names=names, lang=lang))
    birth = query("trend_birth_region", region=fr)
    if birth.empty:
        st.info(t("trender.birth_missing", lang, region=names.get(fr, fr)))
    else:
        figure_card(birth_region_spec(birth, lang=lang, region_name=names.get(fr, fr),
                                      definition=trends.definition(catalogue, "arbetsloshet", lang)), lang)


def section_varsel() -> None:
    """4. Notices of redundancy per month and per industry and year."""
    st.header(t("trender.sec_varsel", lang), anchor="varsel", divider="gray")
    st.caption(t("trender.sec_varsel_intro", lang))
    monthly = query("trend_varsel_month", lan=lan)
    industry = query("trend_varsel_industry", lan=lan)
    if monthly.empty and industry.empty:
        st.info(t("trender.varsel_missing", lang, county=county_name))
        return
    years = trends.varsel_year_options(monthly, industry)
    first, last = url.span("tr_years", ("varsel_fran", "varsel_till"), years)
    e1, e2, e3 = st.columns([3, 2, 2])
    # value= marks it as a range slider: without it Streamlit reads the two ends sent back by the
    # browser as a malformed single value and resets the range on the next rerun.
    e1.select_slider(t("trender.pick_years", lang), years, value=(years[0], years[-1]), key="tr_years")
    show_average = url.flag("tr_ma", "varsel_ma", True)
    e2.toggle(t("trender.show_average", lang), key="tr_ma")
    top = url.one("tr_topp", "varsel_topp", [3, 4, 5, 6], 5)
    e3.selectbox(t("trender.pick_top", lang), [3, 4, 5, 6], key="tr_topp")
    note = t("trender.varsel_definition_note", lang)
    if not trends.months_in(monthly, first, last):
        st.info(t("trender.no_data", lang, what=t("trender.varsel_month_title", lang)))
    else:
        figure_card(varsel_monthly_spec(monthly, lang=lang, first_year=first, last_year=last, show_average=show_average,
                                        definition=trends.definition(catalogue, "varsel", lang) + "\n\n" + note), lang)
    span = trends.industry_span(industry, first, last)
    if span is None:
        st.info(trends.industry_outside(industry, lang))
    else:
        spec = varsel_industry_spec(industry, lang=lang, first_year=span[0], last_year=span[1], top=top,
                                    indicator=catalogue.loc["varsel_bransch"])
        figure_card(replace(spec, definition=spec.definition + "\n\n" + note), lang)  # the cached spec stays as built


{"tid": section_time, "lan": section_compare, "fodelse": section_birth, "varsel": section_varsel}[view]()
url.finish()
