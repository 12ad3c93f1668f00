"""Inkluderingsatlas: entry point. Page config, language, the data gate and the navigation."""

import streamlit as st

from atlas import ROOT

from atlas.i18n import t
from atlas.ui.data import ensure_database
from atlas.ui.state import init_language

st.set_page_config(page_title="Inkluderingsatlas", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")

lang = init_language()
ensure_database(lang)

pages = {
    t("nav.section_explore", lang): [
        st.Page("pages/oversikt.py", title=t("nav.overview", lang), icon=":material/dashboard:",
                url_path="oversikt", default=True),
    ],
    t("nav.section_about", lang): [
        st.Page("pages/om_datan.py", title=t("nav.about", lang), icon=":material/info:",
                url_path="om-datan"),
    ],
}
st.navigation(pages).run()
