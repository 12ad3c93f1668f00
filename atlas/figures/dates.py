"""Tick labels for time axes in the UI language. Plotly names months in English ("Oct 2018") and
the plotly.js bundled with Streamlit and kaleido carries no Swedish locale, so every time axis
gets explicit ticks: years on long spans, quarters or months (Swedish "okt", not "Oct") on short ones."""

from __future__ import annotations

import math

import pandas as pd

from atlas.i18n import MONTHS, normalise_lang

MAX_TICKS = 10


def _month_label(ts: pd.Timestamp, lang: str, with_year: bool) -> str:
    name = MONTHS[normalise_lang(lang)][ts.month - 1][:3]
    return f"{name} {ts.year}" if with_year else name


def date_ticks(dates, lang: str, *, yearly: bool = False) -> dict:
    """Plotly axis settings (tickmode, tickvals, ticktext) for ``dates`` (anything pd.to_datetime
    reads); {} when there are none. yearly: the values are annual (one tick per year at most)."""
    d = pd.to_datetime(pd.Series(list(dates)), errors="coerce").dropna()
    if d.empty:
        return {}
    lo, hi = d.min(), d.max()
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    if yearly or months >= 36:
        years = list(range(lo.year if lo.month == 1 else lo.year + 1, hi.year + 1)) or [lo.year]
        step = math.ceil(len(years) / MAX_TICKS)
        years = years[::step]
        vals = [pd.Timestamp(year=y, month=1, day=1) for y in years]
        text = [str(y) for y in years]
    else:
        step = 1 if months < MAX_TICKS else 3 if months < 3 * MAX_TICKS else 6
        start = pd.Timestamp(year=lo.year, month=lo.month, day=1)
        if step > 1:  # quarters or half-years start in January
            first = ((lo.month - 1 + step - 1) // step) * step + 1
            start = pd.Timestamp(year=lo.year + (first - 1) // 12, month=(first - 1) % 12 + 1, day=1)
        vals = list(pd.date_range(start, hi, freq=f"{step}MS"))
        text = [_month_label(v, lang, with_year=(i == 0 or v.month == 1)) for i, v in enumerate(vals)]
    return {"tickmode": "array", "tickvals": vals, "ticktext": text}
