"""Session and URL state: language and county, kept in st.query_params so links can be shared."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import DEFAULT_LANG, LANGS, normalise_lang, t

DEFAULT_COUNTY = "20"  # Dalarnas län; the county picker (live data issue) will set this


def init_language() -> str:
    """Read ?lang= once per session, show the switch in the sidebar, and mirror it in the URL."""
    if "lang" not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state.lang = normalise_lang(raw)
        if raw is not None and raw not in LANGS:
            st.session_state.lang_notice = str(raw)[:40]
    st.sidebar.segmented_control(
        "Språk / Language", options=list(LANGS), key="lang",
        format_func={"sv": "Svenska", "en": "English"}.get, selection_mode="single",
    )
    if st.session_state.get("lang") not in LANGS:  # deselecting the segmented control gives None
        st.session_state.lang = DEFAULT_LANG
    lang = st.session_state.lang
    notice = st.session_state.pop("lang_notice", None)
    if notice:
        st.toast(t("app.lang_notice", lang, value=notice))
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def lang() -> str:
    """The current UI language ('sv' or 'en')."""
    return normalise_lang(st.session_state.get("lang"))


def county() -> str:
    """The current county code (2 digits)."""
    return st.session_state.get("county", DEFAULT_COUNTY)
