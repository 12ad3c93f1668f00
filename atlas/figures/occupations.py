"""Yrkesbarometern charts: situations per yrkesområde (stacked bars) and county vs Riket."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.layout import GRID, TOP_LEGEND, base_layout
from atlas.figures.palette import MISSING, REGION_ROLE
from atlas.figures.spec import FigureSpec
from atlas.i18n import fmt_number, t
from atlas.occupations import SITUATION_CODES, SITUATION_SYMBOLS, situation_label

# Fixed colours per situation, close to Region Dalarna's palette: dark and light alternate so that
# neighbouring segments differ in lightness as well as hue (checked under simulated deuteranopia,
# protanopia and tritanopia in tests/figures/test_occupation_figures.py). "Not assessed" is the
# shared missing-value grey. Each situation also has its own symbol in labels and legend, and a
# fill pattern, so nothing depends on colour alone.
SITUATION_COLOURS = {"brist": "#0e5a4c", "paradox": "#e2a855", "balans": "#5fae97",
                     "overskott": "#158daf", "ingen": MISSING}
SITUATION_PATTERNS = {"brist": "", "paradox": "x", "balans": "", "overskott": "/", "ingen": "."}
_DARK = {"brist"}  # white text on this fill (contrast > 4.5), dark text on the others
RIKET_PATTERN = "/"


def _layout(fig: go.Figure, lang: str, height: int) -> None:
    base_layout(fig, lang, legend={**TOP_LEGEND, "traceorder": "normal"}, height=height,
                uniformtext={"minsize": 11, "mode": "hide"})
    fig.update_xaxes(gridcolor=GRID, rangemode="tozero", title={"text": t("kompetensbrist.axis_n", lang)})
    fig.update_yaxes(showgrid=False, autorange="reversed", title=None)


def _parts(totals: dict[str, int], lang: str) -> str:
    return ", ".join(f"{fmt_number(n, lang)} {situation_label(c, lang, symbol=False)}" for c, n in totals.items())


def build_area_chart(counts: pd.DataFrame, *, lang: str, region_name: str, omgang: str, as_of: str,
                     situations=(), filter_note: str = "", key: str = "kompetensbrist-omraden",
                     source_ids: list[str] | None = None) -> FigureSpec:
    """Stacked horizontal bars: occupations per yrkesområde and situation.

    counts: ``atlas.occupations.counts_by_area`` (yrkesomrade, brist, paradox, balans, overskott,
    ingen, total), drawn top-down in its row order. situations: the situation codes to draw (a
    situation filter; empty = all five). region_name: where the situations apply; filter_note: a
    sentence appended to the subtitle naming the active filters ('' for none)."""
    codes = [c for c in SITUATION_CODES if not situations or c in situations]
    fig = go.Figure()
    for code in codes:
        label = situation_label(code, lang)
        values = counts[code].astype(int).tolist()
        fig.add_trace(go.Bar(
            y=counts["yrkesomrade"], x=values, orientation="h", name=label,
            marker={"color": SITUATION_COLOURS[code], "line": {"color": "white", "width": 1},
                    "pattern": {"shape": SITUATION_PATTERNS[code], "fillmode": "overlay", "fgcolor": "white",
                                "fgopacity": 0.3, "size": 12, "solidity": 0.12}},
            text=[f"{SITUATION_SYMBOLS[code]} {v}" if v else "" for v in values],
            textposition="inside", insidetextanchor="middle",
            insidetextfont={"color": "white" if code in _DARK else "#1a1a1a"},
            hovertext=[t("kompetensbrist.hover_n", lang, n=fmt_number(v, lang)) for v in values],
            hovertemplate="%{y}<br>" + label + ": %{hovertext}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", bargap=0.25)
    _layout(fig, lang, height=max(220, 120 + 34 * len(counts)))
    if counts["total"].max() <= 10:  # counts of occupations: no 0,5 ticks on small axes
        fig.update_xaxes(dtick=1)

    names = {c: situation_label(c, lang, symbol=False) for c in codes}
    data = counts[["yrkesomrade", *codes, "total"]].rename(columns={
        "yrkesomrade": t("kompetensbrist.col.omrade", lang), **names, "total": t("kompetensbrist.total", lang)})
    totals = {c: int(counts[c].sum()) for c in codes}
    total = int(counts["total"].sum())
    common = {"total": fmt_number(total, lang), "areas": fmt_number(len(counts), lang), "region": region_name,
              "parts": _parts(totals, lang)}
    if totals.get("brist", 0) > 0:
        top = counts.sort_values(["brist", "total"], ascending=[False, True], kind="stable").iloc[0]
        alt = t("kompetensbrist.chart_area_alt", lang, top=top["yrkesomrade"], top_n=fmt_number(top["brist"], lang),
                top_total=fmt_number(top["total"], lang), **common)
    else:
        alt = t("kompetensbrist.chart_area_alt_no_brist", lang, **common)
    return FigureSpec(
        key=key, figure=fig,
        title=t("kompetensbrist.chart_area_title", lang, region=region_name),
        subtitle=t("kompetensbrist.chart_area_subtitle", lang, region=region_name, omgang=omgang,
                   filters=filter_note),
        source_ids=source_ids or ["yrkesbarometer"], as_of=as_of, definition=t("kompetensbrist.definitions", lang),
        alt_text=alt, data=data, meta={"region": region_name, "omgang": omgang},
    )


def build_comparison_chart(cmp: pd.DataFrame, *, lang: str, region_name: str, riket_name: str,
                           omgang: str, as_of: str, filter_note: str = "",
                           key: str = "kompetensbrist-jamforelse", source_ids: list[str] | None = None) -> FigureSpec:
    """Grouped horizontal bars: occupations per situation in the county and in Riket.

    cmp: ``atlas.occupations.counts_county_vs_riket`` (code, county, riket). Riket is grey and
    hatched, the county solid blue, and every bar carries its number."""
    labels = [situation_label(c, lang, short=True) for c in cmp["code"]]
    fig = go.Figure()
    for col, name, colour, pattern in [("county", region_name, REGION_ROLE["lan"], ""),
                                       ("riket", riket_name, REGION_ROLE["riket"], RIKET_PATTERN)]:
        values = cmp[col].astype(int).tolist()
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=name,
            marker={"color": colour, "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white",
                                                 "size": 6}},
            text=[fmt_number(v, lang) for v in values], textposition="outside", cliponaxis=False,
            hovertext=[t("kompetensbrist.hover_n", lang, n=fmt_number(v, lang)) for v in values],
            hovertemplate=name + "<br>%{y}: %{hovertext}<extra></extra>",
        ))
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    _layout(fig, lang, height=340)
    if max(cmp["county"].max(), cmp["riket"].max()) <= 10:
        fig.update_xaxes(dtick=1)
    fig.update_layout(margin={"r": 40})

    data = pd.DataFrame({
        t("kompetensbrist.situation", lang): [situation_label(c, lang, symbol=False) for c in cmp["code"]],
        region_name: cmp["county"].astype(int), riket_name: cmp["riket"].astype(int)})
    by = cmp.set_index("code")
    parts = "; ".join(t("kompetensbrist.chart_cmp_part", lang, label=situation_label(c, lang, symbol=False),
                        county=fmt_number(by.loc[c, "county"], lang), riket=fmt_number(by.loc[c, "riket"], lang),
                        region=region_name) for c in cmp["code"]) + "."
    alt = t("kompetensbrist.chart_cmp_alt", lang, region=region_name,
            county_brist=fmt_number(by.loc["brist", "county"], lang),
            county_total=fmt_number(cmp["county"].sum(), lang),
            riket_brist=fmt_number(by.loc["brist", "riket"], lang), riket_total=fmt_number(cmp["riket"].sum(), lang),
            parts=parts)
    return FigureSpec(
        key=key, figure=fig, title=t("kompetensbrist.chart_cmp_title", lang, region=region_name),
        subtitle=t("kompetensbrist.chart_cmp_subtitle", lang, omgang=omgang, filters=filter_note),
        source_ids=source_ids or ["yrkesbarometer"], as_of=as_of, definition=t("kompetensbrist.definitions", lang),
        alt_text=alt, data=data, meta={"region": region_name, "omgang": omgang},
    )
