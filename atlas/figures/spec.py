"""FigureSpec: a figure with everything needed to show, caption, explain and export it.

Pages build a spec from query results with a pure builder; the Streamlit figure card renders it,
and exports (images, data files, the seminar deck) read the same spec, so what is downloaded is
exactly what is shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


@dataclass
class FigureSpec:
    """key: a stable slug for widget keys and file names (e.g. 'karta-arbetsloshet-2026M04').
    title/subtitle: what and for whom; the subtitle carries unit and period.
    source_ids: ids in the source table; as_of: the latest period shown, formatted.
    definition: the indicator definition (markdown). alt_text: one or two plain sentences that
    say what the figure shows, for screen readers and for people who would rather read.
    data: exactly the rows drawn, with readable column names; full_data: the series behind it.
    finding: a one-sentence headline written from the data (for slides), may be empty."""

    key: str
    figure: go.Figure
    title: str
    subtitle: str
    source_ids: list[str]
    as_of: str
    definition: str
    alt_text: str
    data: pd.DataFrame
    full_data: pd.DataFrame | None = None
    finding: str = ""
    meta: dict = field(default_factory=dict)  # indicator id, regions, filters: for file names/metadata


def plot_text(text: object) -> str:
    """``text`` for a Plotly text, hover or legend string: Plotly reads a subset of HTML there
    (<b>, <br>, <a href>...), so data reaches it with &, < and > as entities, which Plotly shows
    as the characters themselves."""
    return html.escape(str(text), quote=False)
