"""The look every figure shares: the font, white plot area, the UI language's number separators
(sv '12 345,6', en '12,345.6'), a top legend, narrow margins and axes that print full numbers."""

from __future__ import annotations

import plotly.graph_objects as go

from atlas.figures.palette import FONT

TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
GRID = "#e6e6e6"


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for ``lang``."""
    return ", " if lang == "sv" else ".,"


def base_layout(fig: go.Figure, lang: str, *, axes: bool = True, **extra) -> go.Figure:
    """Apply the shared look, then ``extra`` (Plotly layout keywords, which win). ``axes``: the figure
    has cartesian axes: they print full numbers ('4 000 000', not Plotly's SI '4M', which is not
    Swedish and reads as 'meter'). Maps pass axes=False."""
    fig.update_layout(font={"family": FONT, "size": 14}, plot_bgcolor="white", separators=separators(lang),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend=TOP_LEGEND)
    fig.update_layout(**extra)
    if axes:
        fig.update_xaxes(separatethousands=True, exponentformat="none")
        fig.update_yaxes(separatethousands=True, exponentformat="none")
    return fig
