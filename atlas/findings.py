"""A one-sentence headline for a slide, written from a figure's own data when the page gave none."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.i18n import fmt_number, t


def _clean(xs, ys) -> list[tuple]:
    out = []
    for x, y in zip(list(xs if xs is not None else []), list(ys if ys is not None else [])):
        if y is not None and not pd.isna(y):
            out.append((x, float(y)))
    return out


def _label(x) -> str:
    text = x.isoformat() if hasattr(x, "isoformat") else str(x)
    return text[:7] if len(text) >= 10 and text[4] == "-" else text


def finding_from_figure(fig: go.Figure, lang: str, *, unit: str = "", decimals: int = 1) -> str:
    """Line chart: the first series' latest value and where it started; bar chart: highest and
    lowest category; map: highest and lowest area. Empty string when there is nothing to say."""
    traces = [tr for tr in fig.data if tr.visible in (None, True)]
    if not traces:
        return ""
    first = traces[0]
    u = f" {unit}" if unit else ""
    if first.type == "scatter":
        pts = _clean(first.x, first.y)
        if len(pts) < 2:
            return ""
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        return t("findings.line", lang, name=first.name or "", last=fmt_number(y1, lang, decimals) + u,
                 last_period=_label(x1), first=fmt_number(y0, lang, decimals) + u, first_period=_label(x0))
    if first.type == "bar":
        horizontal = first.orientation == "h"
        pts = _clean(first.y if horizontal else first.x, first.x if horizontal else first.y)
    elif first.type in ("choroplethmap", "choropleth"):
        names = first.text if first.text is not None else first.locations
        pts = _clean(names, first.z)
    else:
        return ""
    if len(pts) < 2:
        return ""
    hi = max(pts, key=lambda p: p[1])
    lo = min(pts, key=lambda p: p[1])
    return t("findings.range", lang, high=str(hi[0]), high_value=fmt_number(hi[1], lang, decimals) + u,
             low=str(lo[0]), low_value=fmt_number(lo[1], lang, decimals) + u)


def series_finding(series: pd.DataFrame, *, region_name: str, unit: str, decimals: int, lang: str) -> str:
    """Headline for one region's series (columns period, value): the latest value and its change
    from the same period a year earlier; percentage points for rates, per cent for counts.
    'Dalarnas län: 4,1 % i april 2026 (−0,3 procentenheter jämfört med april 2025).'"""
    from atlas.i18n import fmt_period, fmt_value
    from atlas.periods import latest, year_on_year

    now = latest(series)
    if now is None:
        return ""
    period, value = now
    when = t("findings.in_month" if "M" in period else "findings.in_year", lang, period=fmt_period(period, lang))
    text = t("findings.latest", lang, region=region_name, value=fmt_value(value, unit, lang, decimals),
             when=when)
    yoy = year_on_year(series)
    if yoy is None:
        return text + "."
    prev_period = yoy.previous_period
    if unit == "procent":
        change = t("findings.change_pp", lang, diff=("+" if yoy.diff > 0 else "") + fmt_number(yoy.diff, lang, 1))
    elif yoy.pct is not None:
        change = t("findings.change_pct", lang, diff=("+" if yoy.pct > 0 else "") + fmt_number(yoy.pct, lang, 1))
    else:
        return text + "."
    return text + " " + t("findings.compared", lang, change=change, period=fmt_period(prev_period, lang))
