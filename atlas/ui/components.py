"""Small shared pieces: source captions and key-figure cards."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui.data import query


def source_line(source_ids: list[str] | str, lang: str, *, as_of: str | None = None) -> str:
    """'Källa: <publisher>, <title>. Bearbetning: Inkluderingsatlas.' for one or more source ids."""
    ids = [source_ids] if isinstance(source_ids, str) else list(dict.fromkeys(source_ids))
    sources = query("sources").set_index("id")
    parts = []
    for sid in ids:
        if sid in sources.index:
            row = sources.loc[sid]
            title = row["title_en"] if lang == "en" else row["title_sv"]
            parts.append(f"[{row['publisher']}]({row['url']}), {title}" if str(row["url"]).startswith("http")
                         else f"{row['publisher']}, {title}")
        else:
            parts.append(sid)
    text = f"{t('common.source', lang)}: " + "; ".join(parts) + ". " + t("common.processing", lang)
    if as_of:
        text += f" ({t('common.period', lang)}: {as_of})"
    return text


def key_figure(label: str, value: str, *, lang: str, source_ids: list[str] | str, caption: str = "",
               delta: str | None = None, delta_color: str = "normal", help: str | None = None) -> None:
    """A bordered metric with its comparison line and its source right under it."""
    with st.container(border=True):
        st.metric(label, value, delta=delta, delta_color=delta_color, help=help)
        if caption:
            st.markdown(caption)
        st.caption(source_line(source_ids, lang))


def display_table(df, lang: str):
    """A Styler for st.dataframe: missing values as '..', numbers in the UI language's format
    (sv: 12 345,6). The DataFrame itself stays numeric for downloads."""
    import pandas as pd

    from atlas.i18n import NBSP_THIN

    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    sv = lang != "en"
    styler = df.style.format(na_rep="..")
    if floats:
        styler = styler.format(subset=floats, na_rep="..", precision=1,
                               decimal="," if sv else ".", thousands=NBSP_THIN if sv else ",")
    return styler
