"""Översikt: the county's labour market at a glance, every number with its period and source."""

import streamlit as st

from atlas.figures.lines import trend_spec
from atlas.i18n import fmt_number, fmt_period, fmt_value, t
from atlas.asf import approx_number, approx_range
from atlas.overview import asf_summary, headline, shortage_levels, situation_counts
from atlas.ui.components import asf_statements_table, freshness_notice, key_figure
from atlas.ui.data import indicators, query
from atlas.ui.figure_card import figure_card
from atlas.ui.report import report_buttons
from atlas.ui.state import county, lang

lang, lan = lang(), county()
regions = query("regions", lan=lan)
lan_row = regions[regions["code"] == lan]
county_name = (lan_row["name_en" if lang == "en" else "name"].iloc[0]) if not lan_row.empty else lan

st.title(f"{t('app.title', lang)}: {county_name}")
st.markdown(t("overview.intro", lang, county=county_name))
report_buttons(lang, lan, name=county_name)
freshness_notice(lang, indicator="arbetsloshet")

row1, row2 = st.columns(2), st.columns(2)
col_u, col_e, col_s, col_a = *row1, *row2


def rate_card(col, indicator: str, label_key: str, lower_is_better: bool) -> None:
    latest = query("latest_values", indicator=indicator, regions=[lan, "00"])
    series = query("series", indicator=indicator, regions=[lan], sex="T", category="")
    h = headline(latest, series, lan)
    with col:
        if h.value is None:
            st.info(t("overview.no_data", lang, what=t(label_key, lang)))
            return
        delta = None
        if h.change_12m is not None:
            # Streamlit reads the sign from the first character: keep an ASCII +/- there.
            sign = "-" if h.change_12m < 0 else "+"
            delta = sign + t("overview.change_12m", lang, delta=fmt_number(abs(h.change_12m), lang, 1),
                             period=fmt_period(h.previous_period, lang))
        caption = t("overview.in_region", lang, region=county_name, period=fmt_period(h.period, lang))
        if h.riket_value is not None:
            caption += "  \n" + t("overview.riket_compare", lang, value=fmt_value(h.riket_value, "procent", lang),
                                  period=fmt_period(h.riket_period, lang))
        key_figure(t(label_key, lang), fmt_value(h.value, "procent", lang), lang=lang,
                   source_ids=h.source_ids, caption=caption, delta=delta,
                   delta_color="inverse" if lower_is_better else "normal")


rate_card(col_u, "arbetsloshet", "overview.unemployment", lower_is_better=True)
rate_card(col_e, "sysselsattningsgrad", "overview.employment", lower_is_better=False)

with col_s:
    sc = situation_counts(query("occupation_situation_counts", region=lan))
    if not sc:
        st.info(t("overview.no_data", lang, what=t("overview.shortage_title", lang)))
    else:
        assessed = sc["total"] - sc["none"]
        # The assessment is for the county but mostly rests partly on a larger area: say so beside the count.
        lv = shortage_levels(query("occupation_shortage_levels", region=lan))
        levels = "; ".join(f"{t(f'kompetensbrist.level.{k}', lang) if k else '..'}: {fmt_number(n, lang)}"
                           for k, n in lv.get("counts", {}).items())
        key_figure(t("overview.shortage_title", lang), t("overview.shortage_value", lang, n=sc["brist"]),
                   lang=lang, source_ids="yrkesbarometer",
                   caption=t("overview.shortage_caption", lang, total=assessed, county=county_name,
                             brist=sc["brist"], paradox=sc["paradox"], none=sc["none"], omgang=sc["omgang"])
                   + "  \n" + t("overview.shortage_levels", lang, n=sc["brist"] + sc["paradox"], parts=levels or ".."))
        if lan == "20":  # Matchning filters on the level (its register covers Dalarna only); a relative
            # link, not st.page_link, so the page also runs on its own (tests, the seminar's renders)
            st.markdown(f"[:material/filter_alt: {t('overview.shortage_level_link', lang)}]"
                        f"(matchning?niva=lan&lang={lang}&lan={lan})")

with col_a:
    totals = query("asf_county_statements")
    if lan != "20" or totals.empty:  # the curated ASF data covers Dalarna only
        st.info(t("overview.no_data", lang, what=t("overview.asf_title", lang)))
    else:
        dated, undated = (asf := asf_summary(totals))["dated"], asf["undated"]
        with st.container(border=True):
            st.metric(t("overview.asf_title", lang), t("overview.asf_range", lang, range=approx_range(
                dated["low"], dated["low_approx"], dated["high"], dated["high_approx"], lang)))
            lines = [t("overview.asf_range_caption", lang, n=dated["n"], first=dated["year_min"], last=dated["year_max"])]
            if undated:
                lines.append(t("overview.asf_undated", lang, n=len(undated),
                               values=", ".join(approx_number(v, a, lang) for v, a in undated)))
            st.markdown("  \n".join(lines))
            st.caption(t("overview.asf_caption", lang) + " " + t("overview.asf_approx_note", lang))

if lan == "20" and not totals.empty:
    # Drawn only when opened (a rerun): the table is the evidence behind the key figure above, and
    # drawn closed it slowed the first chart on this, the landing page (see figure_card).
    with st.expander(t("overview.asf_table_title", lang, n=len(totals)), key="oversikt-asf-table",
                     icon=":material/format_quote:", on_change="rerun") as box:
        if box.open:
            asf_statements_table(totals, lang, key="oversikt-asf-statements")

series = query("series", indicator="arbetsloshet", regions=[lan, "00"], sex="T", category="")
if not series.empty:
    series["level"] = series["region_code"].map(dict(zip(regions["code"], regions["level"])))
    spec = trend_spec(series, indicators().loc["arbetsloshet"].to_dict(), lang=lang,
                      key=f"oversikt-arbetsloshet-{lan}", regions_label=county_name)
    spec.title = t("overview.trend_title", lang, region=county_name)
    figure_card(spec, lang)
