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


def _period(x, yearly: bool) -> str:
    """A point's x (a date, or text as SCB writes periods) as a period code: '2022' for a yearly
    series, '2022M04' for a monthly one."""
    if isinstance(x, str) and (len(x) == 4 or (len(x) == 7 and x[4] == "M")):
        return x
    stamp = pd.Timestamp(x)
    return f"{stamp.year}" if yearly else f"{stamp.year}M{stamp.month:02d}"


def _is_yearly(xs) -> bool:
    """Whether every point falls on 1 January (how yearly periods are dated in the data)."""
    try:
        stamps = [pd.Timestamp(x) for x in xs]
    except (ValueError, TypeError):
        return False
    return bool(stamps) and all(s.month == 1 and s.day == 1 for s in stamps)


def finding_from_figure(fig: go.Figure, lang: str, *, unit: str = "", decimals: int = 1,
                        yearly: bool | None = None, breaks=()) -> str:
    """Line chart: the first series' latest value and where it started, periods written as periods
    ('2022', 'april 2026'; yearly: whether the series is yearly, inferred from the dates when None);
    with ``breaks`` (series break periods) the start is the first value after the last break, so the
    sentence never compares across one. Bar chart: highest and lowest category; map: highest and
    lowest area. Empty string when there is nothing to say."""
    from atlas.i18n import fmt_period
    from atlas.periods import segment_start

    traces = [tr for tr in fig.data if tr.visible in (None, True)]
    if not traces:
        return ""
    first = traces[0]
    u = f" {unit}" if unit else ""
    if first.type == "scatter":
        pts = _clean(first.x, first.y)
        yearly = _is_yearly([x for x, _ in pts]) if yearly is None else yearly
        pts = [(_period(x, yearly), y) for x, y in pts]
        start = segment_start(pts[-1][0], breaks) if pts else None
        if start is not None:
            pts = [(x, y) for x, y in pts if x >= (start if yearly else f"{start}M01")]
        if len(pts) < 2:
            return ""
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        return t("findings.line_since_break" if start else "findings.line", lang, name=first.name or "",
                 last=fmt_number(y1, lang, decimals) + u, last_period=fmt_period(x1, lang),
                 first=fmt_number(y0, lang, decimals) + u, first_period=fmt_period(x0, lang), year=start)
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


def series_finding(series: pd.DataFrame, *, region_name: str, unit: str, decimals: int, lang: str,
                   breaks=()) -> str:
    """Headline for one region's series (columns period, value): the latest value and its change
    from the same period a year earlier; percentage points for rates, per cent for counts.
    'Dalarnas län: 4,1 % i april 2026 (−0,3 procentenheter jämfört med april 2025).' When a series
    break (``breaks``) lies between the two, the change is not computed and the sentence says why."""
    from atlas.i18n import fmt_period, fmt_value
    from atlas.periods import crosses_break, latest, year_on_year

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
    brk = crosses_break(prev_period, yoy.period, breaks)
    if brk:
        return text + " " + t("findings.no_change_break", lang, period=fmt_period(prev_period, lang), year=brk)
    if unit == "procent":
        change = t("findings.change_pp", lang, diff=("+" if yoy.diff > 0 else "") + fmt_number(yoy.diff, lang, 1))
    elif yoy.pct is not None:
        change = t("findings.change_pct", lang, diff=("+" if yoy.pct > 0 else "") + fmt_number(yoy.pct, lang, 1))
    else:
        return text + "."
    return text + " " + t("findings.compared", lang, change=change, period=fmt_period(prev_period, lang))
