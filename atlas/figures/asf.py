"""Figures of the ASF page: a map of register enterprises per kommun (where the kommun is known)
and the county-level statements as dots per statement (never a connected line: they are
different publishers' statements in different years, not one series)."""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas.asf import TOTAL_MEASURES, approx_number, totals_points
from atlas.figures.layout import TOP_LEGEND, base_layout
from atlas.figures.palette import SERIES
from atlas.figures.spec import FigureSpec, plot_text
from atlas.geo import Shapes, fit_view
from atlas.i18n import t

# Light to dark green: 0 ("none known in the register") stays visibly coloured, not blank/missing.
MAP_SCALE = [[0.0, "#eef6f3"], [0.35, "#93cec1"], [0.7, "#178571"], [1.0, "#0e5a4c"]]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "hexagon"]
MAP_SIZE = (430, 560)  # the map area in px (its column less the colour bar beside it), to choose the zoom
MARKER = "#e2a855"  # Region Dalarna's sand: apart from every green of the count scale


def _k(key: str, lang: str, **kw) -> str:
    return t(f"sociala_foretag.{key}", lang, **kw)



def _steps(zmax: int) -> list:
    """A stepped colour scale with one flat colour per count 0..zmax (counts are small integers,
    so each value gets its own clearly different shade instead of a blurred gradient)."""
    from plotly.colors import find_intermediate_color, hex_to_rgb, label_rgb

    def colour(f: float) -> str:
        for (f0, c0), (f1, c1) in zip(MAP_SCALE, MAP_SCALE[1:]):
            if f <= f1:
                w = 0 if f1 == f0 else (f - f0) / (f1 - f0)
                return label_rgb(tuple(round(x) for x in find_intermediate_color(hex_to_rgb(c0), hex_to_rgb(c1), w)))
        return MAP_SCALE[-1][1]

    n = zmax + 1
    scale = []
    for i in range(n):
        c = colour(i / zmax if zmax else 0)
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def build_kommun_map(counts: pd.DataFrame, *, lang: str, n_unknown: int, n_total: int, as_of: str,
                     key: str = "asf-karta") -> FigureSpec:
    """Choropleth of register enterprises per kommun from an ``asf_kommun_counts`` result.

    counts columns: code, name, name_en, n_asf, names ('; '-separated), names_json (the same names as
    a JSON array, for the hover: a name may contain '; '), geojson (text, may be empty for a kommun
    without polygon: it is then listed in the data but not drawn) and, from the geometry table,
    label_lon/label_lat (where the kommun's marker goes) and west/south/east/north (the view).
    n_unknown: enterprises whose kommun is unknown (not on the map); n_total: all register rows.
    as_of: the period text for the caption (years of the statements).
    """
    name_col = "name_en" if lang == "en" else "name"
    df = counts.copy()
    df["n_asf"] = df["n_asf"].astype(int)
    shapes = Shapes.from_rows(df)
    drawn = df[df["code"].isin(shapes.geometries)]

    def hover(row) -> str:
        n = int(row["n_asf"])
        head = f"<b>{plot_text(row[name_col])}</b><br>"
        if n == 0:
            return head + _k("map_hover_none", lang)
        names = "<br>".join("· " + plot_text(x) for x in json.loads(row["names_json"]))
        return head + _k("map_hover_n", lang, n=n) + "<br>" + names

    zmax = max(int(df["n_asf"].max()) if not df.empty else 0, 1)
    texts = {r["code"]: hover(r) for _, r in drawn.iterrows()}
    fig = go.Figure(go.Choroplethmap(
        geojson=shapes.collection(drawn["code"]),
        locations=drawn["code"].tolist(), z=drawn["n_asf"].tolist(), featureidkey="id",
        zmin=-0.5, zmax=zmax + 0.5, colorscale=_steps(zmax),
        marker={"line": {"color": "#5f6b67", "width": 0.8}},
        text=[texts[c] for c in drawn["code"]], hovertemplate="%{text}<extra></extra>",
        colorbar={"title": {"text": _k("map_legend", lang)}, "tickvals": list(range(zmax + 1)),
                  "ticktext": [str(i) for i in range(zmax + 1)], "thickness": 14, "len": 0.6},
    ))
    # A marker per kommun with known enterprises, at its label point (inside the kommun, unlike the
    # centre of its bounds), its area proportional to the count. The count itself is in the hover,
    # the colour and the table: text on the map would make MapLibre fetch fonts from the internet.
    marked = drawn[(drawn["n_asf"] > 0) & drawn["code"].isin(shapes.labels)]
    if not marked.empty:
        fig.add_trace(go.Scattermap(
            lon=[shapes.labels[c][0] for c in marked["code"]], lat=[shapes.labels[c][1] for c in marked["code"]],
            mode="markers", marker={"size": [10 + 8 * n ** 0.5 for n in marked["n_asf"]], "color": MARKER,
                                    "opacity": 0.9},
            text=[texts[c] for c in marked["code"]], hovertemplate="%{text}<extra></extra>",
            customdata=marked["n_asf"].tolist(), name=_k("map_marker", lang), showlegend=True,
        ))
    centre, zoom = fit_view(shapes.bounds(), width_px=MAP_SIZE[0], height_px=MAP_SIZE[1])
    base_layout(fig, lang, axes=False, map={"style": "white-bg", "center": centre, "zoom": zoom},
                margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=MAP_SIZE[1],
                legend={"x": 1, "xanchor": "right", "y": 0.02, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"})

    ranked = df.sort_values(["n_asf", name_col], ascending=[False, True])
    data = pd.DataFrame({
        _k("col_kommun", lang): ranked[name_col].tolist(),
        _k("map_legend_plain", lang): ranked["n_asf"].tolist(),
        _k("col_enterprises", lang): ranked["names"].tolist(),
    })
    known = ranked[ranked["n_asf"] > 0]
    n_zero = int((ranked["n_asf"] == 0).sum())
    if known.empty:
        alt = _k("map_alt_none", lang, n_unknown=n_unknown, n_total=n_total)
    else:
        top = known[known["n_asf"] == known["n_asf"].iloc[0]]
        alt = _k("map_alt", lang, top=", ".join(top[name_col]), n=int(known["n_asf"].iloc[0]),
                 n_kommuner=len(known), n_zero=n_zero, n_unknown=n_unknown, n_total=n_total,
                 n_known=int(known["n_asf"].sum()))
    return FigureSpec(
        key=key, figure=fig, title=_k("map_title", lang),
        subtitle=_k("map_subtitle", lang, n_unknown=n_unknown, n_total=n_total, as_of=as_of),
        source_ids=["curated_asf", "kommun_polygoner"], as_of=as_of,
        definition=_k("map_definition", lang), alt_text=alt, data=data,
        meta={"n_unknown": n_unknown, "n_total": n_total,
              "labels": {c: [n, *shapes.labels[c]] for c, n in zip(drawn["code"], drawn[name_col]) if c in shapes.labels}},
    )


def _wrap(text: object, width: int = 60) -> str:
    if not isinstance(text, str) or not text.strip():
        return ""
    return "<br>".join(plot_text(line) for line in textwrap.wrap(text, width))


def build_county_totals(totals: pd.DataFrame, *, lang: str, key: str = "asf-lan-uttalanden") -> FigureSpec:
    """Dots per dated county statement from an ``asf_county_statements`` result: one panel per
    measure that has a dated value (number of ASF, employees, people in work training), colour and
    symbol per publisher, open symbols for approximate figures, no connecting lines. Undated
    statements are not drawn (the alt text and subtitle say how many)."""
    points = totals_points(totals)
    n_undated = int(totals["year"].isna().sum())
    measures = [m for m in TOTAL_MEASURES if (points["measure"] == m).any()]
    publishers = list(dict.fromkeys(totals["publisher"].dropna().astype(str)))
    style = {p: (SERIES[i % len(SERIES)], SYMBOLS[i % len(SYMBOLS)]) for i, p in enumerate(publishers)}
    labels = {m: _k(f"measure_total.{m}", lang) for m in TOTAL_MEASURES}

    if not measures:
        fig = go.Figure()
        fig.add_annotation(text=t("common.missing", lang), showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        base_layout(fig, lang, height=200, xaxis={"visible": False}, yaxis={"visible": False})
    else:
        fig = make_subplots(rows=len(measures), cols=1, shared_xaxes=True, vertical_spacing=0.12,
                            subplot_titles=[labels[m] for m in measures])
        for row, m in enumerate(measures, start=1):
            part = points[points["measure"] == m].copy()
            # Two statements for the same year sit side by side instead of on top of each other.
            part["slot"] = part.groupby("year").cumcount()
            part["n_same"] = part.groupby("year")["year"].transform("size")
            part["x"] = part["year"] + (part["slot"] - (part["n_same"] - 1) / 2) * 0.2
            for pub, p in part.groupby("publisher", sort=False):
                colour, symbol = style.get(pub, (SERIES[0], "circle"))
                shown = [approx_number(v, a, lang) for v, a in zip(p["value"], p["approx"])]
                hover = [f"<b>{plot_text(pub)}</b>, {y}<br>{labels[m]}: {s}<br><i>{_wrap(q)}</i>"
                         for y, s, q in zip(p["year"], shown, p["quote"])]
                fig.add_trace(go.Scatter(
                    x=p["x"].tolist(), y=p["value"].tolist(), mode="markers+text", name=plot_text(pub),
                    legendgroup=pub, showlegend=False, text=shown, textposition="middle right",
                    marker={"color": colour, "size": 13, "line": {"color": colour, "width": 2},
                            "symbol": [symbol + ("-open" if a else "") for a in p["approx"]]},
                    hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                ), row=row, col=1)
            top = float(part["value"].max())
            fig.update_yaxes(range=[0, top * 1.3], row=row, col=1, title=_k("unit_short", lang) if m != "n_asf"
                             else _k("unit_enterprises", lang))
        # Legend: one filled entry per publisher that is drawn, plus one entry saying what open means.
        for pub in dict.fromkeys(points["publisher"]):
            colour, symbol = style.get(pub, (SERIES[0], "circle"))
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=plot_text(pub), legendgroup=pub,
                                     marker={"color": colour, "size": 11, "symbol": symbol},
                                     hoverinfo="skip"), row=1, col=1)
        if points["approx"].any():
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=_k("legend_approx", lang),
                                     marker={"color": "#5f6b67", "size": 11, "symbol": "circle-open",
                                             "line": {"width": 2}}, hoverinfo="skip"), row=1, col=1)
        years = points["year"]
        fig.update_xaxes(range=[years.min() - 1, years.max() + 1.6], dtick=1, tickformat="d",
                         showgrid=False)
        fig.update_yaxes(gridcolor="#e6e6e6", rangemode="tozero", separatethousands=True, exponentformat="none")
        base_layout(fig, lang, height=170 + 190 * len(measures), margin={"l": 10, "r": 10, "t": 40, "b": 10},
                    legend={**TOP_LEGEND, "y": 1.06}, hovermode="closest")

    dated = totals[totals["year"].notna()]
    first = int(dated["year"].min()) if not dated.empty else None
    last = int(dated["year"].max()) if not dated.empty else None
    period = f"{first}\u2013{last}" if first is not None and first != last else str(first or "..")
    data = pd.DataFrame({
        _k("col_measure", lang): [labels[m] for m in points["measure"]],
        _k("col_year", lang): points["year"].tolist(),
        _k("col_stated", lang): [approx_number(v, a, lang) for v, a in zip(points["value"], points["approx"])],
        _k("col_publisher", lang): points["publisher"].tolist(),
        _k("col_quote", lang): points["quote"].tolist(),
        _k("col_source", lang): points["source_url"].tolist(),
    })
    n_points = points[points["measure"] == "n_asf"]
    listed = "; ".join(f"{approx_number(v, a, lang)} ({y}, {p})" for v, a, y, p in
                       zip(n_points["value"], n_points["approx"], n_points["year"], n_points["publisher"]))
    alt = _k("totals_alt", lang, n=len(n_points), listed=listed or "..", n_undated=n_undated)
    return FigureSpec(
        key=key, figure=fig, title=_k("totals_title", lang),
        subtitle=_k("totals_subtitle", lang, period=period, n_undated=n_undated),
        source_ids=["curated_asf"], as_of=period, definition=_k("totals_definition", lang, publishers=", ".join(publishers) or ".."),
        alt_text=alt, data=data, meta={"n_undated": n_undated, "measures": measures},
    )
