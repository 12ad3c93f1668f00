"""Matchning chart: shortage occupations per entry level, covered by ASF training or not."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.layout import GRID, TOP_LEGEND, base_layout
from atlas.figures.spec import FigureSpec
from atlas.i18n import fmt_number, t

# Dark green (covered) against light amber with a hatch (not covered): they differ strongly in
# lightness, so they stay apart under deuteranopia/protanopia, and the hatch and the in-bar labels
# carry the meaning without colour.
COLOURS = {"covered": "#0e5a4c", "not_covered": "#e2a855"}
PATTERNS = {"covered": "", "not_covered": "/"}
TEXT_COLOURS = {"covered": "white", "not_covered": "#1a1a1a"}
SYMBOLS = {"covered": "✓", "not_covered": "✗"}


def level_label(level: str, lang: str) -> str:
    """'kort introduktion', 'gymnasienivå', ... for an entry-level key (atlas.matching.ENTRY_LEVELS)."""
    return t(f"matchning.level.{level}", lang)


def build_coverage_chart(counts: pd.DataFrame, *, lang: str, region_name: str, omgang: str, as_of: str,
                         levels: dict[str, int] | None = None, filter_note: str = "",
                         key: str = "matchning-tackning") -> FigureSpec:
    """Stacked horizontal bars: shortage/paradox occupations per entry level, split into covered by
    an ASF mapping and not covered.

    counts: ``atlas.matching.coverage_counts`` (entry_level, covered, not_covered, total), drawn
    top-down in its row order. levels: assessment level key -> number of the occupations counted
    (``atlas.matching.assessment_counts``), named in the subtitle so no reader takes every
    assessment for a county-level one. filter_note: a sentence naming active filters ('' for none)."""
    labels = [level_label(lv, lang) for lv in counts["entry_level"]]
    fig = go.Figure()
    for part in ("covered", "not_covered"):
        name = f"{SYMBOLS[part]} {t(f'matchning.chart_{part}', lang)}"
        values = counts[part].astype(int).tolist()
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", name=name,
            marker={"color": COLOURS[part], "line": {"color": "white", "width": 1},
                    "pattern": {"shape": PATTERNS[part], "fillmode": "overlay", "fgcolor": "#7a5a1e",
                                "fgopacity": 0.35, "size": 10, "solidity": 0.15}},
            text=[f"{SYMBOLS[part]} {fmt_number(v, lang)}" if v else "" for v in values],
            # The last segment may put its label just outside the bar when the bar is too short.
            textposition="inside" if part == "covered" else "auto", insidetextanchor="middle",
            insidetextfont={"color": TEXT_COLOURS[part]}, outsidetextfont={"color": "#1a1a1a"}, textangle=0,
            hovertext=[t("matchning.chart_hover", lang, n=fmt_number(v, lang)) for v in values],
            hovertemplate="%{y}<br>" + name + ": %{hovertext}<extra></extra>",
        ))
    base_layout(fig, lang, barmode="stack", bargap=0.3, height=max(240, 110 + 48 * len(counts)),
                legend={**TOP_LEGEND, "traceorder": "normal"}, uniformtext={"minsize": 11, "mode": "hide"})
    fig.update_xaxes(gridcolor=GRID, rangemode="tozero", title={"text": t("matchning.chart_axis", lang)})
    fig.update_yaxes(showgrid=False, autorange="reversed", title=None)
    if len(counts) and counts["total"].max() <= 10:
        fig.update_xaxes(dtick=1)

    data = pd.DataFrame({
        t("matchning.col.niva", lang): labels,
        t("matchning.chart_covered", lang): counts["covered"].astype(int).to_numpy(),
        t("matchning.chart_not_covered", lang): counts["not_covered"].astype(int).to_numpy(),
        t("matchning.chart_total", lang): counts["total"].astype(int).to_numpy(),
    })
    total, n_cov = int(counts["total"].sum()), int(counts["covered"].sum())
    if total == 0:
        alt = t("matchning.chart_alt_none", lang, region=region_name)
    else:
        top = counts.sort_values(["not_covered", "total"], ascending=[False, False], kind="stable").iloc[0]
        alt = t("matchning.chart_alt", lang, region=region_name, total=fmt_number(total, lang),
                covered=fmt_number(n_cov, lang), top=level_label(top["entry_level"], lang),
                top_n=fmt_number(int(top["not_covered"]), lang))
    subtitle = t("matchning.chart_subtitle", lang, region=region_name, omgang=omgang)
    if levels:
        subtitle += " " + t("matchning.chart_levels", lang, parts="; ".join(
            f"{t(f'kompetensbrist.level.{lv}', lang)}: {fmt_number(n, lang)}" for lv, n in levels.items()))
    if filter_note:
        subtitle += " " + filter_note
    return FigureSpec(
        key=key, figure=fig, title=t("matchning.chart_title", lang), subtitle=subtitle,
        source_ids=["yrkesbarometer", "curated_asf"], as_of=as_of,
        definition=t("matchning.definitions", lang), alt_text=alt, data=data,
        finding=alt, meta={"file_parts": ["matchning", region_name, omgang]},
    )
