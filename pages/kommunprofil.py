"""Kommunprofil: one kommun against its county and Riket: key findings, a Nomis-style table, the
trend of a chosen rate (with an own comparison group), and the kommuner most like it on the user's
own indicators and weights. Widgets and layout only.

URL: ?kommun=<code>&ind=<rate id>&lik=<rate ids>&vikter=<a weight 0-5 per id in lik, absent = all 1>
&egen=<kommun codes>&egen_namn=<group name> (atlas.ui.groups)."""

import pandas as pd
import streamlit as st

from atlas import groups
from atlas.figures.profile import build_profile_trend
from atlas.i18n import fmt_period, t
from atlas.profile import (comparison_table, default_kommun, key_findings, similar_kommuner, similarity_captions,
                           similarity_table, source_ids)
from atlas.ui.components import source_line
from atlas.ui import groups as group_ui
from atlas.ui.data import query, region_names
from atlas.ui.figure_card import figure_card
from atlas.ui.report import report_buttons
from atlas.ui.state import UrlState, county, lang

P = "kommunprofil."
WEIGHTS = list(range(6))
SIMILAR_DEFAULT = ["arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"]
TREND_DEFAULT = "arbetsloshet"

lang, lan = lang(), county()
names = region_names(lang)
county_name = names.get(lan, lan)
kommuner = query("regions", lan=lan).query("level == 'kommun'")["code"].tolist()
url = UrlState("kommunprofil", lang)

if not kommuner:
    st.title(t(P + "title", lang))
    url.finish()
    st.info(t(P + "no_kommuner", lang, county=county_name))
    st.stop()

# --- Filters from the URL, validated against what the data holds --------------------------------
population = query("profil_county_kommuner", lan=lan, indicator="befolkning_20_64")
kommun = url.one("kp_kommun", "kommun", kommuner, default_kommun(population, kommuner))
kommun_name = names.get(kommun, kommun)

table = query("profil_table", kommun=kommun, lan=lan)
rates = table[table["unit"] == "procent"]
rate_ids = rates["indicator_id"].tolist()
labels = dict(zip(table["indicator_id"], table["label_en" if lang == "en" else "label_sv"]))
if rate_ids:  # drawn further down, in the trend and similarity sections
    url.one("kp_ind", "ind", rate_ids, TREND_DEFAULT if TREND_DEFAULT in rate_ids else rate_ids[0])
    lik = url.many("kp_lik", "lik", rate_ids, [i for i in SIMILAR_DEFAULT if i in rate_ids], max_items=len(rate_ids))
    weights = url.numbers("kp_w_", "vikter", lik, WEIGHTS, 1)

st.title(f"{t(P + 'title', lang)}: {kommun_name}")
url.slots()
st.markdown(t(P + "intro", lang, county=county_name))
st.selectbox(t(P + "pick_kommun", lang), kommuner, key="kp_kommun", format_func=lambda c: names.get(c, c),
             help=t(P + "pick_kommun_help", lang, county=county_name))

if table.empty:
    url.finish()
    st.info(t(P + "no_data", lang, kommun=kommun_name))
    st.stop()
report_buttons(lang, lan, kommun=kommun, name=kommun_name)

# --- Key findings -------------------------------------------------------------------------------
series_args = dict(regions=[kommun, lan, "00"], sex="T", category="")
unemployment = query("series", indicator="arbetsloshet", **series_args)
employment = query("series", indicator="sysselsattningsgrad", **series_args)
findings = key_findings(unemployment=unemployment, employment=employment,
                        county_unemployment=query("profil_county_kommuner", lan=lan, indicator="arbetsloshet"),
                        kommun=kommun, lan=lan, names=names, lang=lang)
with st.container(border=True):
    st.subheader(t(P + "findings_title", lang))
    if findings:
        st.markdown("\n".join(f"- {s}" for s in findings))
        st.caption(t(P + "findings_caption", lang) + " "
                   + source_line(sorted(set(unemployment["source_id"]) | set(employment["source_id"])), lang))
    else:
        st.info(t(P + "findings_none", lang, kommun=kommun_name))

# --- Nomis-style table --------------------------------------------------------------------------
st.subheader(t(P + "table_title", lang, kommun=kommun_name, county=county_name))
riket_name = names.get("00", "00")
right = st.column_config.TextColumn(alignment="right")
for group, frame in comparison_table(table, lang=lang, kommun=kommun_name, county=county_name, riket=riket_name):
    st.markdown(f"**{t(P + 'group_' + group, lang)}**")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={kommun_name: right, county_name: right, riket_name: right})
periods = sorted(set(table["period"]))
st.caption(t(P + "table_caption", lang, kommun=kommun_name, county=county_name) + " "
           + source_line(source_ids(table), lang, as_of=", ".join(fmt_period(p, lang) for p in periods)))

# --- Trend of one rate --------------------------------------------------------------------------
if rate_ids:
    st.subheader(t(P + "trend_title_section", lang))
    ind = st.selectbox(t(P + "pick_indicator", lang), rate_ids, key="kp_ind", format_func=labels.get,
                       help=t(P + "pick_indicator_help", lang))
    row = rates[rates["indicator_id"] == ind].iloc[0].to_dict() | {"id": ind}
    group = group_ui.picker(url, lang, prefix="kp", names=names)
    series = query("series", indicator=ind, **series_args)
    catalogue_row = query("indicator_coverage").set_index("id").loc[ind].to_dict() | {"id": ind}
    drawn = group and group_ui.line(group, indicator=catalogue_row, sex="T", category="", lang=lang, names=names)
    if drawn:
        rows, note, meta = drawn
        series = pd.concat([series, rows[series.columns]], ignore_index=True)
    spec = build_profile_trend(series, lang=lang, indicator=row, kommun=kommun, lan=lan,
                               names={**names, groups.GROUP_CODE: group.name} if drawn else names,
                               group=groups.GROUP_CODE if drawn else None)
    if spec is None:
        st.info(t(P + "no_data", lang, kommun=kommun_name))
    else:
        figure_card(group_ui.with_group(spec, group, meta, note) if drawn else spec, lang)
        if drawn:
            st.caption(note)

# --- Similar kommuner ---------------------------------------------------------------------------
if rate_ids:
    st.subheader(t(P + "similar_title", lang))
    chosen = st.multiselect(t(P + "pick_similar", lang), rate_ids, key="kp_lik", format_func=labels.get,
                            help=t(P + "pick_similar_help", lang))
    if chosen:
        st.markdown(f"**{t(P + 'pick_weights', lang)}**", help=t(P + "pick_weights_help", lang))
        for col, i in zip(st.columns(min(len(chosen), 4)) * len(chosen), chosen):
            col.number_input(labels.get(i, i), min_value=WEIGHTS[0], max_value=WEIGHTS[-1], step=1, key=f"kp_w_{i}")
    values = query("profil_similarity", kommun=kommun, indicators=chosen) if chosen else None
    sim = similar_kommuner(values, kommun, chosen, weights=weights) if chosen else None
    if not chosen:
        st.info(t(P + "similar_pick_one", lang))
    elif not any(weights.get(i, 1) for i in chosen):
        st.info(t(P + "similar_all_zero", lang))
    elif sim.ranking.empty:
        st.info(t(P + "similar_none", lang, kommun=kommun_name))
    else:
        parents = dict(zip(values["region_code"], values["parent_code"]))
        show = similarity_table(sim, table, parents, names=names, county=county_name, lang=lang)
        right = st.column_config.TextColumn(alignment="right")
        st.dataframe(show, hide_index=True, width="stretch",
                     column_config={c: right for c in show.columns[2:]
                                    if c not in (t(P + "col_county", lang), t(P + "col_made_of", lang))})
        reference, method = similarity_captions(sim, table, kommun=kommun_name, lang=lang)
        st.caption(reference)
        st.caption(method + " " + source_line(source_ids(rates), lang))

url.finish()
