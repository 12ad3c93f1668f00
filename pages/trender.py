"""Trender och jämförelser: any indicator over time, the county comparison (one source for all län),
unemployment by birth region, and notices of redundancy (varsel).

One section is drawn at a time (a picker, ?vy=), so a rerun runs only that section's queries and
figures; the parameters of the other sections stay in the URL and are read when their section opens.

URL parameters (all validated against the options the data offers; anything else falls back to the
default with one notice):
  vy           tid | lan | fodelse | varsel: the section shown. Without it, the first section (in page
               order) whose parameters the link carries, so older links open where they pointed
  ind          indicator id over time (default arbetsloshet)
  reg          comma-separated region codes (default the county and Riket), at most six
  kon          T | K | M, only for indicators with data by sex (default T)
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
"""

from dataclasses import replace

import streamlit as st

from atlas.figures.trends import (birth_region_spec, category_label, category_order, comparison_note,
                                  comparison_periods, county_lines_spec, county_ranking_spec,
                                  default_comparison_period, indicator_label, over_time_spec, sex_label,
                                  varsel_industry_spec, varsel_monthly_spec, varsel_years)
from atlas.i18n import fmt_period, t
from atlas.ui.data import cached_builder, query, region_names
from atlas.ui.figure_card import figure_card
from atlas.ui.state import county, lang, set_url, share_link, url_notice, url_value, url_values

# Figures are rebuilt only when their inputs change (the page has five of them).
(birth_region_spec, county_lines_spec, county_ranking_spec, over_time_spec, varsel_industry_spec,
 varsel_monthly_spec) = map(cached_builder, (birth_region_spec, county_lines_spec, county_ranking_spec,
                                              over_time_spec, varsel_industry_spec, varsel_monthly_spec))

lang, lan = lang(), county()
names = region_names(lang)
county_name = names.get(lan, lan)
catalogue = query("trend_catalogue").set_index("id", drop=False)

# The URL is read when it changed outside this page's own widgets (first visit, a shared link, the
# language switch) and, for a section's widgets, when that section has just been opened (Streamlit
# forgets the state of widgets it did not draw, the URL still holds their values); otherwise the
# widgets keep their state and only invalid values are reset.
_SNAPSHOT, _SHOWN = "_trender_url", "_trender_view"
url_changed = st.session_state.get(_SNAPSHOT) != st.query_params.to_dict()
from_url = url_changed  # reassigned once the section is known

# Section -> the parameters that belong to it (page order: a link without ?vy= opens the first
# section whose parameters it carries).
VIEWS = {
    "tid": ("ind", "reg", "kon", "kat"),
    "lan": ("jmf_ind", "jmf_kon", "jmf_kat", "jmf_period", "jmf_tid"),
    "fodelse": ("fr_reg",),
    "varsel": ("varsel_fran", "varsel_till", "varsel_ma", "varsel_topp"),
}


def pick(key: str, param: str, options: list, default):
    """Prime widget ``key`` with a valid value (from the URL or the widget's state) and return it."""
    if from_url:
        value = default if st.query_params.get(param) in (None, "") else url_value(param, options, default)
    else:
        value = st.session_state.get(key, default)
        value = value if value in options else default
    st.session_state[key] = value
    return value


def pick_list(key: str, param: str, options: list, default: list, max_items: int) -> list:
    """As ``pick`` for a multiselect: invalid items are dropped; an emptied list from changed
    options falls back to ``default``, an empty list the user chose stays empty."""
    if from_url:
        value = list(default) if st.query_params.get(param) in (None, "") else \
            url_values(param, options, default, max_items=max_items)
    else:
        current = st.session_state.get(key)
        value = list(default) if current is None else [v for v in current if v in options]
        if current and not value:
            value = list(default)
    st.session_state[key] = value
    return value


def pick_flag(key: str, param: str, default: bool) -> bool:
    """As ``pick`` for a toggle bound to ?param=1|0."""
    if from_url:
        raw = st.query_params.get(param)
        value = default if raw in (None, "") else url_value(param, ["1", "0"], "1" if default else "0") == "1"
    else:
        value = bool(st.session_state.get(key, default))
    st.session_state[key] = value
    return value


def pick_range(key: str, params: tuple[str, str], years: list[int]) -> tuple[int, int]:
    """As ``pick`` for a year-range slider bound to two parameters (swapped if given backwards)."""
    if from_url:
        ends = [d if st.query_params.get(p) in (None, "") else url_value(p, years, d)
                for p, d in zip(params, (years[0], years[-1]))]
        value = (min(ends), max(ends))
    else:
        current = st.session_state.get(key)
        ok = isinstance(current, (tuple, list)) and len(current) == 2 and all(y in years for y in current)
        value = tuple(current) if ok else (years[0], years[-1])
    st.session_state[key] = value
    return value


def choose_breakdown(options_df, indicator, key_prefix: str, params: tuple[str, str], cols) -> tuple[str, str, dict]:
    """Category and sex pickers for one indicator, each shown only when there is a choice.
    options_df: the ``trend_options`` rows that qualify. Returns (sex, category, URL values):
    a hidden picker's parameter is emptied so a link carries only what applies."""
    kat_param, kon_param = params
    cats = category_order(options_df["category"].tolist(), indicator)
    category, url = (cats[0] if cats else ""), {kat_param: "", kon_param: ""}
    if len(cats) > 1:
        category = pick(f"{key_prefix}_kat", kat_param, cats, cats[0])
        cols[0].selectbox(t("trender.pick_category", lang), cats, key=f"{key_prefix}_kat",
                          format_func=lambda c: category_label(c, lang, indicator))
        url[kat_param] = category
    sexes = [s for s in ("T", "K", "M") if s in set(options_df.loc[options_df["category"] == category, "sex"])]
    sex = sexes[0] if sexes else "T"
    if len(sexes) > 1:
        pick(f"{key_prefix}_kon", kon_param, sexes, sexes[0])
        cols[1].segmented_control(t("trender.pick_sex", lang), sexes, key=f"{key_prefix}_kon",
                                  format_func=lambda s: sex_label(s, lang), selection_mode="single")
        sex = st.session_state.get(f"{key_prefix}_kon") or sexes[0]  # deselecting gives None
        url[kon_param] = sex
    return sex, category, url


st.title(t("trender.title", lang))
share_slot, notice_slot = st.container(), st.container()  # filled at the end, once the URL is final
st.markdown(t("trender.intro", lang, county=county_name))

# --- Section picker ------------------------------------------------------------------------------
linked = next((v for v, params in VIEWS.items() if any(st.query_params.get(p) for p in params)), "tid")
if url_changed:
    view = linked if st.query_params.get("vy") in (None, "") else url_value("vy", list(VIEWS), linked)
else:
    view = st.session_state.get("tr_vy")
    view = view if view in VIEWS else st.session_state.get(_SHOWN, linked)
st.session_state["tr_vy"] = view


def _keep_view() -> None:
    """Clicking the chosen option again deselects it; keep the section shown instead."""
    if st.session_state.get("tr_vy") not in VIEWS:
        st.session_state["tr_vy"] = st.session_state.get(_SHOWN, "tid")


st.segmented_control(t("trender.pick_view", lang), list(VIEWS), key="tr_vy", selection_mode="single",
                     format_func=lambda v: t(f"trender.view.{v}", lang), on_change=_keep_view)
from_url = url_changed or st.session_state.get(_SHOWN) != view
url_state: dict = {"vy": view}


def section_time() -> None:
    """1. Any indicator over time for the chosen regions."""
    st.header(t("trender.sec_time", lang), anchor="over-tid", divider="gray")
    st.caption(t("trender.sec_time_intro", lang))
    ids = catalogue.index.tolist()
    ind = pick("tr_ind", "ind", ids, "arbetsloshet" if "arbetsloshet" in ids else ids[0])
    c1, c2, c3 = st.columns([2, 1.6, 1.4])  # the sex control needs ~230 px for "Totalt Kvinnor Män"
    c1.selectbox(t("trender.pick_indicator", lang), ids, key="tr_ind",
                 format_func=lambda i: indicator_label(catalogue.loc[i], lang))
    indicator = catalogue.loc[ind]
    options = query("trend_options", indicator=ind)
    sex, category, breakdown_url = choose_breakdown(options, indicator, "tr", ("kat", "kon"), (c2, c3))
    regions = query("trend_regions", indicator=ind, sex=sex, category=category, lan=lan)
    codes = regions["code"].tolist()
    default_regions = [c for c in (lan, "00") if c in codes] or codes[:1]
    pick_list("tr_reg", "reg", codes, default_regions, max_items=6)
    st.multiselect(t("trender.pick_regions", lang), codes, key="tr_reg", max_selections=6,
                   format_func=lambda c: names.get(c, c),
                   help=t("trender.pick_regions_help", lang, county=county_name))
    chosen = [c for c in st.session_state.get("tr_reg", []) if c in codes]
    url_state.update(ind=ind, reg=chosen, **breakdown_url)

    what = indicator_label(indicator, lang)
    if not codes:
        st.info(t("trender.no_data", lang, what=what))
    elif not chosen:
        st.info(t("trender.no_regions", lang))
    else:
        series = query("series", indicator=ind, regions=chosen, sex=sex, category=category)
        if series.empty or series["value"].isna().all():
            st.info(t("trender.no_data", lang, what=what))
        else:
            spec = over_time_spec(series, lang=lang, indicator=indicator, sex=sex, category=category,
                                  levels=dict(zip(regions["code"], regions["level"])))
            figure_card(spec, lang)
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
    jmf = pick("tr_jmf_ind", "jmf_ind", jmf_ids, "arbetsloshet" if "arbetsloshet" in jmf_ids else jmf_ids[0])
    d1, d4, d2, d3 = st.columns([2, 1.1, 1.6, 1.5])  # indicator, period, group, sex (needs ~230 px)
    d1.selectbox(t("trender.pick_compare_indicator", lang), jmf_ids, key="tr_jmf_ind",
                 format_func=lambda i: indicator_label(catalogue.loc[i], lang))
    jmf_indicator = catalogue.loc[jmf]
    jmf_options = query("trend_options", indicator=jmf)
    jmf_sex, jmf_cat, breakdown_url = choose_breakdown(jmf_options[jmf_options["n_lan"] > 1], jmf_indicator,
                                                       "tr_jmf", ("jmf_kat", "jmf_kon"), (d2, d3))
    compare = query("trend_compare", indicator=jmf, sex=jmf_sex, category=jmf_cat)
    periods = comparison_periods(compare) if not compare.empty else []
    url_state.update(jmf_ind=jmf, **breakdown_url)
    if not periods:
        st.info(t("trender.compare_none", lang, what=indicator_label(jmf_indicator, lang)))
        return
    period = pick("tr_jmf_period", "jmf_period", periods, default_comparison_period(compare))
    d4.selectbox(t("trender.pick_period", lang), periods, key="tr_jmf_period",
                 format_func=lambda p: fmt_period(p, lang))
    sources = query("sources").set_index("id")
    source_id = str(compare["source_id"].iloc[0])
    title = sources.loc[source_id, "title_en" if lang == "en" else "title_sv"] if source_id in sources.index else source_id
    note = comparison_note(compare, lang=lang, source_title=title)
    st.caption(note)
    figure_card(county_ranking_spec(compare, lang=lang, indicator=jmf_indicator, sex=jmf_sex, category=jmf_cat,
                                    period=period, county=lan, note=note), lang)
    pick_flag("tr_jmf_tid", "jmf_tid", False)
    show_lines = st.toggle(t("trender.show_lines", lang), key="tr_jmf_tid")
    if show_lines:
        figure_card(county_lines_spec(compare, lang=lang, indicator=jmf_indicator, sex=jmf_sex,
                                      category=jmf_cat, county=lan, note=note), lang)
    url_state.update(jmf_period=period, jmf_tid="1" if show_lines else "0")


def section_birth() -> None:
    """3. Unemployment by region of birth."""
    st.header(t("trender.sec_birth", lang), anchor="fodelseregion", divider="gray")
    st.caption(t("trender.sec_birth_intro", lang))
    birth_regions = query("trend_regions", indicator="arbetsloshet", sex="T", category="utrikes född", lan=lan)
    birth_codes = birth_regions["code"].tolist()
    if not birth_codes:
        st.info(t("trender.birth_missing", lang, region=county_name))
        return
    fr = pick("tr_fr_reg", "fr_reg", birth_codes, next((c for c in (lan, "00") if c in birth_codes), birth_codes[0]))
    st.columns([2, 3])[0].selectbox(t("trender.pick_birth_region", lang), birth_codes, key="tr_fr_reg",
                                    format_func=lambda c: names.get(c, c))
    span = (f"{fmt_period(birth_regions['first_period'].min(), lang)}–"
            f"{fmt_period(birth_regions['last_period'].max(), lang)}")
    if lan in birth_codes:
        st.caption(t("trender.birth_coverage", lang, span=span, county=county_name))
    else:  # say which regions the table does cover
        covered = birth_regions.loc[birth_regions["level"] != "kommun", "code"].map(lambda c: names.get(c, c))
        st.caption(t("trender.birth_coverage_other", lang, span=span, county=county_name,
                     available=", ".join(covered)))
    birth = query("trend_birth_region", region=fr)
    if birth.empty:
        st.info(t("trender.birth_missing", lang, region=names.get(fr, fr)))
    else:
        definition = str(catalogue.loc["arbetsloshet", "definition_en" if lang == "en" else "definition_sv"])
        figure_card(birth_region_spec(birth, lang=lang, region_name=names.get(fr, fr), definition=definition), lang)
    url_state.update(fr_reg=fr)


def section_varsel() -> None:
    """4. Notices of redundancy per month and per industry and year."""
    st.header(t("trender.sec_varsel", lang), anchor="varsel", divider="gray")
    st.caption(t("trender.sec_varsel_intro", lang))
    monthly = query("trend_varsel_month", lan=lan)
    industry = query("trend_varsel_industry", lan=lan)
    if monthly.empty and industry.empty:
        st.info(t("trender.varsel_missing", lang, county=county_name))
        return
    years = sorted(set(varsel_years(monthly)) | {int(p) for p in industry["period"]})
    pick_range("tr_years", ("varsel_fran", "varsel_till"), years)
    e1, e2, e3 = st.columns([3, 2, 2])
    # value= marks it as a range slider: without it Streamlit reads the two ends sent back by the
    # browser as a malformed single value and resets the range on the next rerun.
    first, last = e1.select_slider(t("trender.pick_years", lang), years, value=(years[0], years[-1]),
                                   key="tr_years")
    pick_flag("tr_ma", "varsel_ma", True)
    show_average = e2.toggle(t("trender.show_average", lang), key="tr_ma")
    top = pick("tr_topp", "varsel_topp", [3, 4, 5, 6], 5)
    e3.selectbox(t("trender.pick_top", lang), [3, 4, 5, 6], key="tr_topp")
    note = t("trender.varsel_definition_note", lang)
    defs = {i: str(catalogue.loc[i, "definition_en" if lang == "en" else "definition_sv"])
            for i in ("varsel", "varsel_bransch") if i in catalogue.index}
    in_range = monthly[monthly["period"].str[:4].astype(int).between(first, last)] if not monthly.empty else monthly
    if in_range.empty:
        st.info(t("trender.no_data", lang, what=t("trender.varsel_month_title", lang)))
    else:
        figure_card(varsel_monthly_spec(monthly, lang=lang, first_year=first, last_year=last,
                                        show_average=show_average,
                                        definition=defs.get("varsel", "") + "\n\n" + note), lang)
    ind_years = sorted({int(p) for p in industry["period"]})
    lo, hi = max(first, ind_years[0]) if ind_years else first, min(last, ind_years[-1]) if ind_years else last
    if not ind_years or lo > hi:
        st.info(t("trender.industry_outside_range", lang, first=ind_years[0] if ind_years else "..",
                  last=ind_years[-1] if ind_years else ".."))
    else:
        spec = varsel_industry_spec(industry, lang=lang, first_year=lo, last_year=hi, top=top,
                                    indicator=catalogue.loc["varsel_bransch"])
        figure_card(replace(spec, definition=spec.definition + "\n\n" + note), lang)  # the cached spec stays as built
    url_state.update(varsel_fran=first, varsel_till=last, varsel_ma="1" if show_average else "0", varsel_topp=top)


{"tid": section_time, "lan": section_compare, "fodelse": section_birth, "varsel": section_varsel}[view]()

# --- URL, share link and notices -----------------------------------------------------------------
# Only the shown section's parameters are rewritten; the others stay as they were, so switching back
# restores that section and a shared link carries every section's choices.
set_url(**{k: v for k, v in url_state.items() if v not in ("", [])})
for k in [k for k, v in url_state.items() if v in ("", [])]:
    st.query_params.pop(k, None)  # a picker that does not apply leaves no empty parameter behind
st.session_state[_SNAPSHOT] = st.query_params.to_dict()
st.session_state[_SHOWN] = view
with share_slot:
    share_link(lang)
with notice_slot:
    url_notice(lang)
