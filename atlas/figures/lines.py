"""Line charts of one indicator over time for a few regions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.dates import date_ticks
from atlas.figures.layout import base_layout
from atlas.figures.palette import REGION_ROLE, SERIES
from atlas.i18n import fmt_number, fmt_period


def build_trend(df: pd.DataFrame, *, lang: str, unit_label: str, decimals: int = 1) -> go.Figure:
    """A line per region from a ``series`` query result.

    df columns: region_code, region_name, region_name_en, period, period_date, value (and level
    when known, to colour Riket grey). Missing values break the line instead of dropping to zero.
    """
    fig = go.Figure()
    name_col = "region_name_en" if lang == "en" else "region_name"
    for i, (code, part) in enumerate(df.groupby("region_code", sort=False)):
        level = part["level"].iloc[0] if "level" in part else None
        colour = REGION_ROLE.get(level) if level == "riket" else SERIES[i % len(SERIES)]
        hover = [f"{fmt_period(p, lang)}: {fmt_number(v, lang, decimals)} {unit_label}".strip()
                 for p, v in zip(part["period"], part["value"])]
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(part["period_date"]), y=part["value"], mode="lines",
            name=str(part[name_col].iloc[0]), line={"color": colour, "width": 2.5 if i == 0 else 2,
                                                     "dash": "dot" if level == "riket" else "solid"},
            text=hover, hovertemplate="%{fullData.name}<br>%{text}<extra></extra>", connectgaps=False,
        ))
    base_layout(fig, lang, yaxis={"title": unit_label, "rangemode": "tozero"}, xaxis={"title": None}, height=380)
    yearly = bool(len(df)) and not df["period"].astype(str).str.contains("M").any()
    fig.update_xaxes(showgrid=False, **date_ticks(df["period_date"], lang, yearly=yearly))
    fig.update_yaxes(gridcolor="#e6e6e6")
    return fig


def trend_spec(series: pd.DataFrame, indicator: dict, *, lang: str, key: str, regions_label: str = ""):
    """A FigureSpec for one indicator over time from a ``series`` result (plus a ``level`` column
    when known). indicator: a catalogue row (id, label_sv/en, unit, decimals, definition_sv/en)."""
    from atlas.figures.spec import FigureSpec
    from atlas.findings import finding_from_figure, series_finding
    from atlas.i18n import t

    en = lang == "en"
    unit = t(f"units.{indicator['unit']}", lang)
    decimals = int(indicator.get("decimals", 1))
    label = indicator["label_en" if en else "label_sv"]
    fig = build_trend(series, lang=lang, unit_label=unit or t(f"unit_names.{indicator['unit']}", lang),
                      decimals=decimals)
    valid = series.dropna(subset=["value"])
    yearly = indicator.get("frequency") == "year" if indicator.get("frequency") else None
    breaks = indicator.get("series_breaks") or ()
    first = fmt_period(valid["period"].iloc[0], lang) if len(valid) else ".."
    last = fmt_period(valid["period"].iloc[-1], lang) if len(valid) else ".."
    name_col = "region_name_en" if en else "region_name"
    table = pd.DataFrame({
        t("common.region", lang): series[name_col], t("common.period", lang): series["period"],
        f"{label} ({unit or t('unit_names.' + indicator['unit'], lang)})": series["value"],
    })
    subtitle = f"{t('unit_names.' + indicator['unit'], lang).capitalize()}, {first}–{last}"
    return FigureSpec(
        key=key, figure=fig, title=f"{label}{', ' + regions_label if regions_label else ''}",
        subtitle=subtitle, source_ids=sorted(series["source_id"].dropna().unique()), as_of=last,
        definition=indicator["definition_en" if en else "definition_sv"],
        alt_text=finding_from_figure(fig, lang, unit=unit, decimals=decimals, yearly=yearly, breaks=breaks),
        data=table,
        finding=series_finding(series[series["region_code"] == series["region_code"].iloc[0]],
                               region_name=str(series[name_col].iloc[0]), unit=indicator["unit"],
                               decimals=decimals, lang=lang, breaks=breaks) if len(series) else "",
        meta={"indicator": indicator["id"], "file_parts": [indicator["id"], regions_label]},
    )
