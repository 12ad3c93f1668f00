"""Admin action "Uppdatera data": run the live update (SCB, Kolada, Arbetsförmedlingen) for the
current county with progress, and report per dataset what happened. A failed update changes
nothing: the previous database keeps serving."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui.state import county


def update_panel(lang: str) -> None:
    lan = county()
    st.markdown(t("update.intro", lang, county=lan))
    if not st.button(t("update.run", lang), icon=":material/cloud_download:", type="primary", key="run_update"):
        return
    from atlas.live.update import run_update

    bar = st.progress(0.0, text=t("update.running", lang))

    def show(frac: float, step: str) -> None:
        bar.progress(min(max(frac, 0.0), 1.0), text=f"{t('update.running', lang)} {step}")

    try:
        result = run_update(lan, progress=show)
    except Exception as exc:  # never a traceback: say what failed; nothing was changed
        bar.empty()
        st.error(t("update.failed", lang, error=f"{type(exc).__name__}: {exc}"))
        return
    bar.empty()
    message = result.message_en if lang == "en" else result.message_sv
    (st.success if result.ok else st.error)(message or t("update.done", lang))
    st.dataframe([{t("update.col_dataset", lang): d.key, t("update.col_status", lang): d.status,
                   t("update.col_rows", lang): d.rows,
                   t("update.col_message", lang): d.message_en if lang == "en" else d.message_sv}
                  for d in result.datasets], hide_index=True, width="stretch")
    if result.rebuilt:
        st.cache_data.clear()
