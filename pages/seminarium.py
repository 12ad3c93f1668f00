"""Seminarium: collect figures from any page (with their filters) and build a 16:9 PPTX deck."""

import streamlit as st

from atlas.deck_presets import standard_specs
from atlas.export.tables import file_name
from atlas.i18n import t
from atlas.seminar import build_seminar_deck
from atlas.ui.data import query
from atlas.ui.figure_card import DECK_KEY, add_to_deck
from atlas.ui.state import county, lang
from atlas.ui.versions import version_id

lang, lan = lang(), county()
st.title(t("seminar.title", lang))
st.markdown(t("seminar.intro", lang))

deck = st.session_state.setdefault(DECK_KEY, {})
regions = query("regions", lan=lan)
county_name = dict(zip(regions["code"], regions["name_en" if lang == "en" else "name"])).get(lan, lan)

if st.button(t("seminar.add_standard", lang), icon=":material/auto_awesome:"):
    for spec in standard_specs(query, lang, lan):
        add_to_deck(spec)
    st.session_state.pop("deck_bytes", None)

if not deck:
    st.info(t("seminar.empty", lang))
    st.stop()

titles = {k: s.title for k, s in deck.items()}
chosen = st.multiselect(t("seminar.figures", lang), list(deck), default=list(deck), format_func=titles.get,
                        help=t("seminar.figures_help", lang), key="seminar_chosen")
c1, c2 = st.columns(2)
title = c1.text_input(t("seminar.deck_title", lang), value=t("seminar.default_title", lang, county=county_name),
                      max_chars=120)
subtitle = c2.text_input(t("seminar.deck_subtitle", lang), value="", max_chars=160)

with st.expander(t("seminar.preview", lang, n=len(chosen)), expanded=False):
    for i, key in enumerate(chosen, start=2):
        spec = deck[key]
        st.markdown(f"**{i}. {spec.finding or spec.title}**  \n{spec.title}. {spec.subtitle}")

if st.button(t("seminar.build", lang, n=len(chosen)), type="primary", icon=":material/slideshow:",
             disabled=not chosen):
    bar = st.progress(0.0, text=t("seminar.building", lang))
    specs = [deck[k] for k in chosen]

    def show(frac: float, step: str) -> None:
        bar.progress(min(max(frac, 0.0), 1.0), text=t("seminar.building_step", lang, step=step))

    try:
        st.session_state.deck_bytes = build_seminar_deck(specs, query("sources"), lang, title=title.strip()
                                                         or t("seminar.default_title", lang, county=county_name),
                                                         subtitle=subtitle.strip(), progress=show,
                                                         version=version_id())
    except Exception as exc:  # never a traceback in front of an audience: say what failed
        st.error(t("seminar.failed", lang, error=f"{type(exc).__name__}: {exc}"))
    bar.empty()

if st.session_state.get("deck_bytes"):
    st.success(t("seminar.ready", lang))
    st.download_button(t("seminar.download", lang), st.session_state.deck_bytes,
                       file_name=file_name("seminarium", county_name, ext="pptx"), on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/download:", type="primary")
