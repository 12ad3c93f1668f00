"""The figure card: one component for every chart and map (title, unit and period, the figure,
source caption with as-of, definition, and a text alternative with the data as a table)."""

from __future__ import annotations

import streamlit as st

from atlas.figures.spec import FigureSpec
from atlas.i18n import t
from atlas.ui.components import source_line

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def figure_card(spec: FigureSpec, lang: str, *, on_select=None, selection_mode=None):
    """Render ``spec``; returns the chart's selection state when ``on_select`` is given."""
    with st.container(border=True):
        st.markdown(f"#### {spec.title}")
        st.caption(spec.subtitle)
        config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": spec.key, "scale": 2}}
        kwargs = {"key": f"fig-{spec.key}", "width": "stretch", "config": config}
        if on_select is not None:
            kwargs.update(on_select=on_select, selection_mode=selection_mode or "points")
        event = st.plotly_chart(spec.figure, **kwargs)
        st.caption(source_line(spec.source_ids, lang, as_of=spec.as_of))
        with st.expander(t("common.read_more", lang)):
            st.markdown(spec.definition)
        with st.expander(t("common.text_alternative", lang)):
            st.markdown(spec.alt_text)
            st.dataframe(spec.data, hide_index=True, width="stretch")
    return event
