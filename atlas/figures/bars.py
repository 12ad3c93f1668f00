"""Ranked horizontal bars: the kommuner of a county beside the map (``build_ranking``, the map's
colour scale), and the pieces every ranking shares (``add_missing_rows``, ``add_reference``), which
Trender's county ranking (atlas.figures.trends.county_ranking_spec) uses too: a region without a
value keeps its row marked '..', never a zero bar, and a reference value (the county, Riket) is a
vertical line with its name and value."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.layout import TOP_LEGEND, base_layout
from atlas.figures.maps import OUTLINE, SEQUENTIAL, TICKS, MapView
from atlas.figures.palette import REGION_ROLE
from atlas.figures.spec import FigureSpec, plot_text
from atlas.i18n import MISSING as MISSING_TEXT
from atlas.i18n import t

BAR_PX, CHROME_PX = 30, 120  # height per kommun and for legend and axis


MISSING_MARK = {"symbol": "x-thin-open", "size": 10, "color": "#7a7a7a", "line": {"width": 2}}


def add_missing_rows(fig: go.Figure, y: list, names: list[str], *, lang: str, legend: str | None = None,
                     label: bool = True) -> None:
    """Mark the rows of regions without a value at zero: a grey cross, '..' beside it (``label``;
    off where the figure prints its values in a column of its own), a hover saying the value is
    missing, and a legend entry when ``legend`` names one."""
    if not len(y):
        return
    fig.add_trace(go.Scatter(
        x=[0] * len(y), y=list(y), mode="markers+text" if label else "markers", marker=MISSING_MARK,
        text=[MISSING_TEXT] * len(y) if label else None, textposition="middle right",
        name=legend or t("common.missing", lang), showlegend=legend is not None, hoverinfo="text",
        hovertext=[f"{plot_text(n)}: {t('common.missing', lang)}" for n in names],
    ))


def add_reference(fig: go.Figure, value: float, text: str, *, colour: str, dash: str, legend: bool) -> None:
    """A reference value as a vertical line, named with ``text`` ('Riket: 5,5 %') in the legend
    (``legend``: an entry of its own, so labels never collide) or above the plot."""
    fig.add_vline(x=value, line={"color": colour, "dash": dash, "width": 2})
    if legend:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": colour, "dash": dash, "width": 2},
                                 name=text, hoverinfo="skip"))
    else:
        fig.add_annotation(x=value, y=1.0, yref="paper", yanchor="bottom", showarrow=False, text=text,
                           font={"color": "#4d4d4d"})


def _references(view: MapView) -> list[tuple[str, float, str]]:
    """(name, value, dash) for the county and Riket when they can share the axis with the kommuner.

    Only rates (unit 'procent') do: a county total of a count is the sum of its kommuner and
    would flatten every bar, so counts state the totals in the subtitle instead."""
    if view.unit != "procent":
        return []
    refs = []
    for level, dash in (("lan", "dash"), ("riket", "dot")):
        ref = view.reference(level)
        if ref is not None and pd.notna(ref[1]):
            refs.append((ref[0], ref[1], dash))
    return refs


def _subtitle(view: MapView, refs: list, has_missing: bool) -> str:
    lang = view.lang
    parts = [t("karta.bar_subtitle", lang, unit=view.unit_name, period=view.period_text, group=view.group_suffix())]
    county, riket = view.reference("lan"), view.reference("riket")
    if refs and county and riket:
        parts.append(t("karta.bar_refs", lang, county=county[0], riket=riket[0]))
    elif county and riket and (pd.notna(county[1]) or pd.notna(riket[1])):
        parts.append(t("karta.bar_totals", lang, county=county[0], county_value=view.fmt(county[1]),
                       riket=riket[0], riket_value=view.fmt(riket[1])))
    if has_missing:
        parts.append(t("karta.missing_note", lang))
    return " ".join(parts)


def build_ranking(view: MapView) -> FigureSpec:
    """Kommuner sorted from highest to lowest value (missing ones last, labelled '..'), each bar
    labelled with its formatted value."""
    lang = view.lang
    k = view.kommuner()
    has, missing = k[k["value"].notna()], k[k["value"].isna()]
    n = len(has)
    labels = [view.fmt(v) for v in has["value"]]
    rng = view.colour_range()
    refs = _references(view)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=has["value"].tolist(), y=has["name"].tolist(), orientation="h", text=labels, textposition="none",
        showlegend=False, name=view.label,
        marker={"color": has["value"].tolist(), "colorscale": SEQUENTIAL, "cmin": rng[0] if rng else None,
                "cmax": rng[1] if rng else None, "line": {"color": OUTLINE, "width": 0.8}},
        customdata=[t("karta.rank_hover", lang, rank=int(r), n=n) for r in has["rank"]],
        hovertemplate="<b>%{y}</b>: %{text} (%{customdata})<extra></extra>",
    ))
    # Missing kommuner keep their row, with '..' in the value column below: never a zero bar.
    add_missing_rows(fig, missing["name"].tolist(), missing["name"].tolist(), lang=lang, label=False)
    # Value labels in a column right of the plot: they never collide with the reference lines.
    # (Set at once: add_annotation one by one copies the list each time.)
    value_labels = [{"x": 1.0, "xref": "paper", "xanchor": "left", "xshift": 6, "y": name, "yref": "y",
                     "text": text, "showarrow": False, "font": {"size": 13}}
                    for name, text in [*zip(has["name"], labels), *((m, MISSING_TEXT) for m in missing["name"])]]
    for name, value, dash in refs:
        add_reference(fig, value, f"{name}: {view.fmt(value)}", colour=REGION_ROLE["lan" if dash == "dash" else "riket"],
                      dash=dash, legend=True)
    top = max([*has["value"].tolist(), *(v for _, v, _ in refs)], default=1.0)
    bottom = min([*has["value"].tolist(), 0.0], default=0.0)
    base_layout(
        fig, lang, axes=False, margin={"l": 10, "r": 70, "t": 10, "b": 10},
        height=CHROME_PX + BAR_PX * max(len(k), 1), bargap=0.25,
        legend={**TOP_LEGEND, "y": 1.0}, annotations=value_labels,
        xaxis={"title": t(f"units.{view.unit}", lang) or view.unit_name, "range": [bottom * 1.05, top * 1.05 if top > 0 else 1],
               "gridcolor": "#e6e6e6", "zeroline": True, "zerolinecolor": "#7a7a7a", "tickformat": TICKS},
        yaxis={"autorange": "reversed", "title": None, "categoryorder": "array", "categoryarray": k["name"].tolist()},
    )
    ranking = ", ".join(f"{name} {text}" for name, text in zip(has["name"], labels))
    alt = view.summary()
    if ranking:
        alt += " " + t("karta.alt_ranking", lang, items=ranking)
    data = pd.DataFrame({
        t("karta.col_rank", lang): pd.concat([k["rank"], pd.Series([pd.NA] * len(refs), dtype="Int64")],
                                            ignore_index=True),
        t("karta.col_region", lang): [*k["name"], *(name for name, _, _ in refs)],
        t("karta.col_period", lang): view.period_text,
        view.value_column(): [*k["value"], *(v for _, v, _ in refs)],
    })
    return FigureSpec(
        key=view.key("karta-rangordning"), figure=fig, title=t("karta.bar_title", lang),
        subtitle=_subtitle(view, refs, not missing.empty), source_ids=view.source_ids(),
        as_of=view.period_text, definition=view.definition(), alt_text=alt, data=data,
        finding=view.summary(),
        meta={"indicator": str(view.indicator["id"]), "period": view.period, "category": view.category},
    )
