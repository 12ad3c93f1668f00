"""FigureSpec: a figure with everything needed to show, caption, explain and export it.

Pages build a spec from query results with a pure builder; the Streamlit figure card renders it,
and exports (images, data files, the seminar deck) read the same spec, so what is downloaded is
exactly what is shown.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


def slug(text: object) -> str:
    """'Utrikes född' -> 'Utrikes-fodd', '2026M04' and 'etablering_x' as they are: ASCII letters,
    digits and underscores (other characters become '-'), safe in widget keys and file names."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_]+", "-", ascii_text).strip("-") or "x"


def spec_key(kind: str, *filters: object) -> str:
    """The key of a figure from its kind and EVERY filter of the view that made it (lists joined
    with '+', empty values left out): two views that differ in any filter get different keys, so the
    seminar deck, which collects figures by key, keeps both. 'trend-arbetsloshet-T-20+00'."""
    parts = [kind]
    for f in filters:
        if isinstance(f, (list, tuple)):
            if f:
                parts.append("+".join(slug(x) for x in f))
        elif f not in (None, ""):
            parts.append(slug(f))
    return "-".join(parts)


@dataclass
class FigureSpec:
    """key: a stable slug for widget keys, file names and the deck, from every filter of the view
    (``spec_key``; e.g. 'karta-arbetsloshet-2026m04').
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
