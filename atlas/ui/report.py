"""The report buttons on Översikt and Kommunprofil: the printable situation report (atlas.report)
of the county, or of the kommun shown, as PDF and HTML, made when clicked."""

from __future__ import annotations

import streamlit as st

from atlas.export.tables import file_name
from atlas.i18n import t
from atlas.report.pdf import chromium
from atlas.ui.data import _stamp, query
from atlas.ui.state import view_url


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _report(lan: str, kommun: str | None, lang: str, fmt: str, url: str, stamp: tuple) -> bytes:
    del stamp  # part of the cache key: a rebuilt database makes a new report
    from atlas.report import make_report

    return make_report(lan, kommun=kommun, lang=lang, fmt=fmt, url=url)


def report_buttons(lang: str, lan: str, *, kommun: str | None = None, name: str = "") -> None:
    """PDF and HTML download buttons for the report of ``lan`` (or ``kommun``); where the county's
    data are not loaded, the reason instead of the buttons. ``name``: the region's name, for the
    file name."""
    if int(query("county_coverage", lan=lan).iloc[0]["kommun_values"]) == 0:
        return  # the sidebar already says the county is not loaded, and how to load it
    url, stamp = view_url(), _stamp()
    stem = file_name("lagesrapport" if lang == "sv" else "situation-report", name or kommun or lan, ext="x")[:-2]
    key = f"report-{kommun or lan}-{lang}"
    cols = st.columns([1, 1, 3])
    if not chromium():  # the PDF is printed by the server's Chromium; the HTML prints from the browser
        cols[2].caption(t("report.pdf_unavailable", lang))
    else:
        cols[0].download_button(t("report.button", lang), lambda: _report(lan, kommun, lang, "pdf", url, stamp),
                                file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore",
                                key=f"{key}-pdf", icon=":material/picture_as_pdf:", help=t("report.button_help", lang))
    cols[1].download_button(t("report.button_html", lang), lambda: _report(lan, kommun, lang, "html", url, stamp),
                            file_name=f"{stem}.html", mime="text/html", on_click="ignore", key=f"{key}-html",
                            icon=":material/print:", help=t("report.button_help", lang))
