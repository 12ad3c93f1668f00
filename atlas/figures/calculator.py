"""Charts for the value calculator: the societal gain year by year (present values after every
step), the budget effect per actor, and which input moves the result most. Separate figures on
purpose: the societal gain and the budget effects are never added or stacked."""

from __future__ import annotations

import hashlib

import pandas as pd
import plotly.graph_objects as go

from atlas.calculator import ACTORS, PUBLIC, Result
from atlas.calculator_text import fmt_money, input_label, years_text
from atlas.figures.layout import base_layout
from atlas.figures.palette import MISSING, SERIES
from atlas.figures.spec import FigureSpec, spec_key
from atlas.i18n import fmt_number, t

SOCIETAL = SERIES[0]  # dark green bars
CUMULATIVE = SERIES[2]  # amber line: differs from the bars in lightness and in shape
BUDGET = SERIES[3]  # purple: a different colour from the societal chart, a different number
PERSON = SERIES[1]  # the person is no public budget: its own colour and a hatch
LOW, HIGH = SERIES[4], SERIES[0]


def _k(key: str, lang: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


def _scale(values: list[float | None]) -> tuple[float, str]:
    """(divisor, unit key): million kronor from 1 Mkr up, else thousand kronor."""
    top = max((abs(v) for v in values if v is not None), default=0.0)
    return (1_000_000.0, "mkr") if top >= 1_000_000 else (1_000.0, "tkr")


def _as_of(years: int, base_year: int, lang: str) -> str:
    """'år 1–3, 2023 års priser' / 'years 1–3, 2023 prices'."""
    span = f"1–{years}" if years > 1 else "1"
    return _k("as_of", lang, years=span, base=base_year)


def inputs_key(*parts) -> str:
    """A short hash of everything the figures were drawn from: two different sets of inputs give two
    keys (the calculator has more inputs than fit in a key), the same inputs the same key."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def build_gain_over_time(result: Result, *, lang: str) -> go.Figure:
    """Bars: the societal gain's present value in each year (after every step); line: the running
    total (only with several years). Values in Mkr or tkr (the y-axis title says which)."""
    yearly = list(result.societal.by_step["present"])
    cumulative = [sum(yearly[: i + 1]) for i in range(len(yearly))]
    divisor, unit = _scale(yearly + cumulative)
    years = [str(y) for y in result.years]
    hover = [_k("hover_year", lang, year=y) for y in result.years]
    fig = go.Figure(go.Bar(
        x=years, y=[v / divisor for v in yearly], name=_k("yearly_legend", lang), marker={"color": SOCIETAL},
        customdata=hover, text=[fmt_money(v, lang) for v in yearly],
        hovertemplate="%{customdata}: %{text}<extra>" + _k("yearly_legend", lang) + "</extra>",
        texttemplate="%{y:,." + ("1" if unit == "mkr" else "0") + "f}", textposition="inside",
        insidetextanchor="end", textangle=0, textfont={"color": "white"},
    ))
    if len(years) > 1:
        fig.add_trace(go.Scatter(
            x=years, y=[v / divisor for v in cumulative], name=_k("cumulative_legend", lang), mode="lines+markers",
            line={"color": CUMULATIVE, "width": 3, "dash": "dot"}, marker={"size": 9, "symbol": "diamond"},
            customdata=hover, text=[fmt_money(v, lang) for v in cumulative],
            hovertemplate="%{customdata}: %{text}<extra>" + _k("cumulative_legend", lang) + "</extra>",
        ))
    base_layout(fig, lang, height=380, showlegend=True, uniformtext={"minsize": 11, "mode": "hide"},
                yaxis={"title": _k(f"unit_{unit}", lang), "rangemode": "tozero", "separatethousands": True,
                       "exponentformat": "none", "gridcolor": "#e6e6e6"},
                xaxis={"title": _k("axis_year", lang), "type": "category"})
    return fig


def build_actor_split(result: Result, *, lang: str) -> go.Figure:
    """Horizontal bars: the present value of the budget effect per actor (the person in its own colour
    with a hatch: no public budget). An actor without a value gets a grey '..' marker at zero and a
    legend entry 'Uppgift saknas', never a zero bar."""
    totals = {a: None if result.budget.get(a) is None else result.budget[a].total("present") for a in ACTORS}
    divisor, unit = _scale(list(totals.values()))
    names = {a: _k(f"actors_short.{a}", lang) for a in ACTORS}
    full = {a: _k(f"actors.{a}", lang) for a in ACTORS}
    known = [a for a in ACTORS if totals[a] is not None]
    missing = [a for a in ACTORS if totals[a] is None]
    top = max((abs(totals[a]) / divisor for a in known), default=0.0)
    fig = go.Figure()
    for group, colour, pattern in ((PUBLIC, BUDGET, ""), (("person",), PERSON, "/")):
        here = [a for a in known if a in group]
        if here:
            fig.add_trace(go.Bar(
                y=[names[a] for a in here], x=[totals[a] / divisor for a in here], orientation="h",
                name=_k("legend_public" if group == PUBLIC else "legend_person", lang),
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[fmt_money(totals[a], lang) for a in here], textposition="outside", cliponaxis=False,
                customdata=[full[a] for a in here], hovertemplate="%{customdata}: %{text}<extra></extra>",
            ))
    if missing:
        fig.add_trace(go.Scatter(
            y=[names[a] for a in missing], x=[0] * len(missing), mode="markers+text", name=_k("missing_legend", lang),
            marker={"color": MISSING, "size": 14, "symbol": "square", "line": {"color": "#7a7a7a", "width": 1}},
            text=[f"..  {_k('missing_legend', lang).lower()}"] * len(missing), textposition="middle right",
            customdata=[full[a] for a in missing], hovertemplate="%{customdata}: ..<extra></extra>",
        ))
    base_layout(fig, lang, height=420, showlegend=True,
                xaxis={"title": _k(f"unit_{unit}", lang), "range": [0, (top or 1) * 1.4], "separatethousands": True,
                       "exponentformat": "none", "gridcolor": "#e6e6e6"},
                yaxis={"title": None, "categoryorder": "array", "categoryarray": [names[a] for a in ACTORS][::-1],
                       "automargin": True})
    return fig


def build_sensitivity(rows: list[dict], central: float, *, lang: str) -> go.Figure:
    """A tornado: per input (largest swing on top) a bar from the societal present value at its low
    value to the value at its high one, the central result as a dashed line."""
    divisor, unit = _scale([central] + [r["low"] for r in rows] + [r["high"] for r in rows])
    labels = [input_label(r["name"], lang) for r in rows][::-1]
    fig = go.Figure()
    for end, colour, pattern in (("low", LOW, "/"), ("high", HIGH, "")):
        fig.add_trace(go.Bar(
            y=labels, x=[(r[end] - central) / divisor for r in rows][::-1], base=[central / divisor] * len(rows),
            orientation="h", name=_k(f"legend_{end}", lang), marker={"color": colour, "pattern": {"shape": pattern}},
            text=[fmt_money(r[end], lang) for r in rows][::-1], textposition="outside", cliponaxis=False,
            customdata=[f"{fmt_number(r[end + '_value'], lang, 1)} %" for r in rows][::-1],
            hovertemplate="%{y} = %{customdata}: %{text}<extra></extra>",
        ))
    fig.add_vline(x=central / divisor, line={"color": "#333333", "dash": "dash", "width": 1.5})
    base_layout(fig, lang, height=max(300, 90 + 48 * len(rows)), barmode="overlay", showlegend=True,
                xaxis={"title": _k(f"unit_{unit}", lang), "separatethousands": True, "exponentformat": "none",
                       "gridcolor": "#e6e6e6"},
                yaxis={"title": None, "automargin": True})
    return fig


def gain_over_time_spec(result: Result, *, lang: str, base_year: int, sources: list[str], key: str) -> FigureSpec:
    """The FigureSpec of the societal gain year by year. sources: titles behind the inputs used;
    key: inputs_key() of the inputs (every input is a filter of this view)."""
    years = len(result.years)
    yearly = list(result.societal.by_step["present"])
    total = sum(yearly)
    divisor, unit = _scale(yearly + [total])
    alt = _k("chart_time_alt", lang, first=fmt_money(yearly[0], lang), years=years_text(years, lang),
             total=fmt_money(total, lang), base=base_year)
    data = pd.DataFrame({
        _k("col_year", lang): list(result.years),
        _k("col_societal_year", lang): [round(v) for v in result.societal.by_step["dropoff"]],
        _k("col_societal_pv", lang): [round(v) for v in yearly],
        _k("col_work_py", lang): [round(v, 2) for v in result.work_person_years],
        _k("col_asf_py", lang): [round(v, 2) for v in result.asf_person_years],
    })
    return FigureSpec(
        key=spec_key("vinst-samhallsvinst", f"{years}ar", key), figure=build_gain_over_time(result, lang=lang),
        title=_k("chart_time_title", lang), subtitle=_k("chart_time_subtitle", lang, unit=_k(f"unit_{unit}", lang)),
        source_ids=list(sources), as_of=_as_of(years, base_year, lang), definition=_k("chart_time_definition", lang),
        alt_text=alt, data=data, finding=alt, meta={"file_parts": ["vinst", "samhallsvinst", f"{years}ar"], "divisor": divisor},
    )


def actor_split_spec(result: Result, *, lang: str, base_year: int, sources: list[str], key: str) -> FigureSpec:
    """The FigureSpec of the budget effect per actor (present values over the horizon)."""
    years = len(result.years)
    totals = {a: None if result.budget.get(a) is None else result.budget[a].total("present") for a in ACTORS}
    divisor, unit = _scale(list(totals.values()))
    known = {a: v for a, v in totals.items() if v is not None and a in PUBLIC}
    missing = [_k(f"actors.{a}", lang) for a in ACTORS if totals[a] is None]
    missing_text = _k("chart_actor_alt_missing", lang, actors=", ".join(missing)) if missing else ""
    if known and max(known.values()) > 0:
        top = max(known, key=known.get)
        alt = _k("chart_actor_alt", lang, period=years_text(years, lang), top=_k(f"actors.{top}", lang),
                 top_value=fmt_money(known[top], lang), missing=missing_text).strip()
    else:
        alt = f"{_k('chart_actor_alt_none', lang)} {missing_text}".strip()
    data = pd.DataFrame({
        _k("col_actor", lang): [_k(f"actors.{a}", lang) for a in ACTORS],
        _k("col_budget_pv", lang): pd.array([None if totals[a] is None else round(totals[a]) for a in ACTORS], dtype="Int64"),
    })
    return FigureSpec(
        key=spec_key("vinst-budget", f"{years}ar", key), figure=build_actor_split(result, lang=lang),
        title=_k("chart_actor_title", lang), subtitle=_k("chart_actor_subtitle", lang, unit=_k(f"unit_{unit}", lang)),
        source_ids=list(sources), as_of=_as_of(years, base_year, lang), definition=_k("chart_actor_definition", lang),
        alt_text=alt, data=data, finding=alt, meta={"file_parts": ["vinst", "budget", f"{years}ar"], "divisor": divisor},
    )


def sensitivity_spec(rows: list[dict], central: float, *, lang: str, years: int, base_year: int, sources: list[str],
                     key: str) -> FigureSpec:
    """The FigureSpec of the sensitivity ranking (societal present value)."""
    top = rows[0]
    alt = _k("chart_sens_alt", lang, input=input_label(top["name"], lang), low=fmt_money(top["low"], lang),
             high=fmt_money(top["high"], lang), central=fmt_money(central, lang))
    data = pd.DataFrame({
        _k("sens.input", lang): [input_label(r["name"], lang) for r in rows],
        _k("sens.low_value", lang): [r["low_value"] for r in rows], _k("sens.high_value", lang): [r["high_value"] for r in rows],
        _k("sens.low", lang): [round(r["low"]) for r in rows], _k("sens.high", lang): [round(r["high"]) for r in rows],
    })
    divisor, unit = _scale([central])
    return FigureSpec(
        key=spec_key("vinst-kanslighet", f"{years}ar", key), figure=build_sensitivity(rows, central, lang=lang),
        title=_k("chart_sens_title", lang), subtitle=_k("chart_sens_subtitle", lang, unit=_k(f"unit_{unit}", lang)),
        source_ids=list(sources), as_of=_as_of(years, base_year, lang), definition=_k("chart_sens_definition", lang),
        alt_text=alt, data=data, finding=alt, meta={"file_parts": ["vinst", "kanslighet", f"{years}ar"]},
    )
