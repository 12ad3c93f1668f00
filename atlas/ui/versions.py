"""The data version on screen: the current id (for citations and downloads) and Om datan's
version list and change log (with its CSV download)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.export.metadata import citation
from atlas.export.tables import file_name, to_csv_bytes
from atlas.i18n import fmt_number, fmt_period, t
from atlas.ui.data import query
from atlas.versions import change_log_download, revision_text, version_summary


def version_id() -> str:
    """The version id of the database in use ("" when it has none)."""
    versions = query("data_versions")
    current = versions.loc[versions["is_current"].fillna(False).astype(bool), "version_id"]
    return str(current.iloc[0]) if len(current) else ""


def _when(built_at: str) -> str:
    return str(built_at or "").replace("T", " ").replace("+00:00", " UTC")


def _decimals(value: float) -> int:
    """As many decimals as the value has, at most three (3.1 -> 1, 1250.0 -> 0)."""
    fraction = f"{float(value):.3f}".rstrip("0").split(".")[1]
    return len(fraction)


def _periods(text: str, lang: str) -> str:
    periods = [p for p in str(text or "").split(",") if p]
    if len(periods) > 3:
        return f"{fmt_period(periods[0], lang)} – {fmt_period(periods[-1], lang)} ({len(periods)})"
    return ", ".join(fmt_period(p, lang) for p in periods)


def show_versions(lang: str) -> None:
    """Om datan's "Dataversion", "Tidigare versioner" and "Ändringslogg" sections."""
    versions = query("data_versions")
    current = versions[versions["is_current"].fillna(False).astype(bool)]
    st.subheader(t("versions.title", lang))
    if current.empty:
        st.warning(t("versions.none", lang))
        return
    vid = str(current["version_id"].iloc[0])
    st.markdown(t("versions.current", lang, version=vid, built_at=_when(current["built_at"].iloc[0])))
    from atlas.ui.state import view_url

    # the same citation as Om datan's "How to cite" (atlas.export.cite): title, link, version
    st.caption(t("versions.cite", lang, citation=citation(lang, version=vid, url=view_url(),
                                                          title=t("about.citation_cited", lang))))

    st.markdown(f"**{t('versions.history_title', lang)}**")
    st.caption(t("versions.history_intro", lang))
    table = pd.DataFrame({
        t("versions.col_version", lang): versions["version_id"],
        t("versions.col_date", lang): versions["built_at"].map(_when),
        t("versions.col_trigger", lang): versions["trigger"].map(lambda v: t(f"versions.trigger_{v}", lang)),
        t("versions.col_changed", lang): [version_summary(r, lang) for r in versions.to_dict("records")],
        t("versions.col_current", lang): versions["is_current"].map(lambda c: "✓" if c else ""),
    })
    st.dataframe(table, hide_index=True, width="stretch")

    st.subheader(t("versions.changelog_title", lang))
    st.caption(t("versions.changelog_intro", lang))
    log = query("change_log")
    changes = log[log["indicator_id"].notna()]
    if changes.empty:
        st.info(t("versions.changelog_empty", lang))
        return
    label_col = "label_en" if lang == "en" else "label_sv"
    shown = pd.DataFrame({
        t("versions.col_date", lang): changes["changed_at"].map(_when),
        t("versions.col_indicator", lang): changes[label_col],
        t("versions.col_periods_added", lang): changes["periods_added"].map(lambda p: _periods(p, lang)),
        t("versions.col_n_added", lang): changes["n_added"].map(lambda n: fmt_number(n, lang)),
        t("versions.col_n_revised", lang): changes["n_revised"].map(lambda n: fmt_number(n, lang)),
        t("versions.col_max_revision", lang): [revision_text(r, lambda v: fmt_number(v, lang, _decimals(v)))
                                              for r in changes.to_dict("records")],
        t("versions.col_n_removed", lang): changes["n_removed"].map(lambda n: fmt_number(n, lang)),
        t("versions.col_series_gone", lang): changes["n_series_gone"].map(lambda n: fmt_number(n, lang)),
        t("versions.col_version", lang): changes["version_id"],
    })
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        t("versions.col_indicator", lang): st.column_config.TextColumn(width="medium"),
        t("versions.col_max_revision", lang): st.column_config.TextColumn(width="medium")})
    st.download_button(t("versions.changelog_csv", lang), lambda: to_csv_bytes(change_log_download(log, lang)),
                       file_name=file_name("andringslogg" if lang == "sv" else "change-log", ext="csv"),
                       mime="text/csv", on_click="ignore", key="changelog-csv", icon=":material/download:")
