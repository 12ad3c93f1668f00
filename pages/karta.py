"""Karta: one indicator as a map and a ranked bar chart, at one of three levels: the county's
kommuner, Sweden's 21 län, or all of Sweden's kommuner (offered once kommun data for more than one
county are loaded). A kommun opens its profile (click on the map, or the select box below it).

URL: ?niva=<kommun|lan|sverige>&ind=<indicator id>&period=<2026M04|2024>&grupp=<category, absent =
whole population>.
"""

import streamlit as st

from atlas.figures.bars import build_ranking
from atlas.figures.labels import category_label
from atlas.figures.maps import LEVELS, MapView, build_map, sort_key
from atlas.geo import Shapes
from atlas.i18n import fmt_period, t
from atlas.ui.data import cached_builder, query, region_names
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

PROFILE_PAGE = "pages/kommunprofil.py"
shapes_of = cached_builder(Shapes.from_rows)  # parsed once per geometry, not on every rerun (290 kommuner: ~40 ms)

lang, lan = lang(), county()
names = region_names(lang)
county_name = names.get(lan, lan)
url = UrlState("karta", lang)

st.title(t("karta.title", lang))
url.slots()

levels = query("karta_levels", lan=lan)
available = [lv for lv, n in zip(levels["level"], levels["n_indicators"]) if lv in LEVELS and n > 0]
if not available:
    url.finish()
    st.info(t("karta.no_indicators", lang, county=county_name))
    st.stop()
level = url.one("karta_niva", "niva", available, available[0])
if len(available) > 1:
    st.segmented_control(t("karta.level", lang), available, key="karta_niva", help=t("karta.level_help", lang),
                         format_func=lambda lv: t(f"karta.levels.{lv}.label", lang, county=county_name))
else:
    url.fixed("niva", level)
st.markdown(t(f"karta.levels.{level}.intro", lang, county=county_name))

catalogue = query("karta_indicators", lan=lan, level=level)
by_id = catalogue.set_index("id", drop=False)
ids = catalogue["id"].tolist()
label_col = "label_en" if lang == "en" else "label_sv"

col_ind, col_group, col_period = st.columns([3, 2, 2])
ind = url.one("karta_ind", "ind", ids, ids[0])
col_ind.selectbox(t("karta.indicator", lang), ids, key="karta_ind", format_func=lambda i: by_id.loc[i, label_col])
indicator = by_id.loc[ind]

options = query("karta_options", indicator=ind, lan=lan, level=level)
categories = list(dict.fromkeys(options["category"]))
categories.sort(key=lambda c: c != "")  # the whole population first; '' leaves the URL (links stay short)
if categories == [""]:
    grupp, col_period = "", col_group  # no group picker: the period moves up beside the indicator
    url.fixed("grupp", "")
else:
    grupp = url.one("karta_grupp", "grupp", categories, categories[0])
    col_group.selectbox(t("karta.group", lang), categories, key="karta_grupp", help=t("karta.group_help", lang),
                        format_func=lambda c: category_label(c, lang, indicator))

periods = options.loc[options["category"] == grupp, "period"].tolist()  # newest first
period = url.one("karta_period", "period", periods, periods[0])
col_period.selectbox(t("karta.period", lang), periods, key="karta_period", help=t("karta.period_help", lang),
                     format_func=lambda p: fmt_period(p, lang))
url.finish()

values = query("karta_values", indicator=ind, lan=lan, period=period, category=grupp, level=level)
view = MapView(values, indicator, period, grupp, lang, level=level, county=lan, county_name=county_name)
shapes = shapes_of(query("karta_geometry", lan=lan, level=level))
regions = view.regions()

st.markdown(f"**{view.summary()}**")

col_map, col_bar = st.columns([3, 2], gap="medium")
selected = None
with col_map:
    if shapes.geometries:
        clickable = level != "lan"  # a kommun opens its profile; a län has none
        event = figure_card(build_map(view, shapes, county_name=county_name), lang,
                            **({"on_select": "rerun", "selection_mode": "points"} if clickable else {}))
        points = (event or {}).get("selection", {}).get("points", []) if clickable else []
        codes = [str(p.get("location")) for p in points if isinstance(p, dict)]
        selected = next((c for c in codes if c in set(regions["code"])), None)
    else:
        st.info(t("karta.no_polygons", lang, county=county_name))
with col_bar:
    figure_card(build_ranking(view), lang)

parents = dict(zip(values["region_code"], values["parent_code"]))


def open_profile(code: str) -> None:
    # A kommun of another county (the map of Sweden) opens in its own county: the profile
    # compares a kommun with its county.
    if parents.get(code) and parents[code] != lan:
        st.session_state.county = parents[code]
    st.switch_page(PROFILE_PAGE, query_params={"kommun": code, "lang": lang})


if selected:
    open_profile(selected)

if level != "lan":
    # The same navigation without a pointer: a select box and a button (keyboard and screen readers).
    by_name = regions.sort_values("name", key=lambda s: s.map(sort_key))
    col_pick, col_go = st.columns([3, 1], vertical_alignment="bottom")
    with col_pick:
        chosen = st.selectbox(t("karta.open_profile", lang), by_name["code"].tolist(), index=None,
                              key="karta_profile", placeholder=t("karta.open_profile", lang),
                              format_func=dict(zip(by_name["code"], by_name["name"])).get)
    with col_go:
        if st.button(t("karta.open_button", lang), icon=":material/location_city:", disabled=chosen is None):
            open_profile(chosen)
    st.caption(t("karta.click_hint", lang))
