"""Inkluderingsatlas: entry point. Page config, language, the data gate and the navigation."""

import streamlit as st

from atlas import ROOT

from atlas.i18n import t
from atlas.ui import embed
from atlas.ui.data import ensure_database
from atlas.ui.state import init_county, init_language, reset_share_link
from atlas.ui.style import apply_style

st.set_page_config(page_title="Inkluderingsatlas", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")

apply_style()
reset_share_link()
figure = embed.target()  # ?fig=: one figure, embedded elsewhere (atlas/ui/embed.py): no sidebar, no navigation
lang = init_language(sidebar=figure is None)
ensure_database(lang)
init_county(lang, sidebar=figure is None)

pages = {
    t("nav.section_explore", lang): [
        st.Page("pages/oversikt.py", title=t("nav.overview", lang), icon=":material/dashboard:",
                default=True),  # the default page lives at "/" (Streamlit ignores its url_path)
        st.Page("pages/karta.py", title=t("nav.map", lang), icon=":material/map:", url_path="karta"),
        st.Page("pages/kommunprofil.py", title=t("nav.profile", lang), icon=":material/location_city:",
                url_path="kommunprofil"),
        st.Page("pages/trender.py", title=t("nav.trends", lang), icon=":material/show_chart:",
                url_path="trender"),
        st.Page("pages/kompetensbrist.py", title=t("nav.shortage", lang), icon=":material/engineering:",
                url_path="kompetensbrist"),
        st.Page("pages/sociala_foretag.py", title=t("nav.asf", lang), icon=":material/handshake:",
                url_path="sociala-foretag"),
        st.Page("pages/matchning.py", title=t("nav.matching", lang), icon=":material/join_inner:",
                url_path="matchning"),
    ],
    t("nav.section_use", lang): [
        st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/download:", url_path="data"),
        st.Page("pages/seminarium.py", title=t("nav.seminar", lang), icon=":material/slideshow:",
                url_path="seminarium"),
        st.Page("pages/kopare.py", title=t("nav.buyers", lang), icon=":material/shopping_cart:", url_path="kopare"),
        st.Page("pages/vinst.py", title=t("nav.vinst", lang), icon=":material/savings:", url_path="vinst"),
    ],
    t("nav.section_about", lang): [
        st.Page("pages/om_datan.py", title=t("nav.about", lang), icon=":material/info:",
                url_path="om-datan"),
        st.Page("pages/admin.py", title=t("nav.admin", lang), icon=":material/admin_panel_settings:",
                url_path="admin"),
    ],
}
# expanded: all 13 pages listed (collapsed, Streamlit hides three behind an untranslated "View 3 more",
# among them Om datan, where the sources and the citation are).
page = st.navigation(pages, expanded=True, position="hidden" if figure else "sidebar")
if figure:
    embed.run(page, figure, lang)
else:
    page.run()
