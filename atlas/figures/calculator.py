"""Charts for the value calculator: the societal gain over the time horizon, and the public-budget
gain per actor. Two separate figures on purpose: the two numbers are never added or stacked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.calculator import ACTORS, Result, fmt_money, years_text
from atlas.figures.layout import base_layout
from atlas.figures.palette import MISSING, SERIES
from atlas.figures.spec import FigureSpec, spec_key
from atlas.i18n import t

SOCIETAL = SERIES[0]  # dark green bars
CUMULATIVE = SERIES[2]  # amber line: differs from the bars in lightness and in shape
BUDGET = SERIES[3]  # purple: a different colour from the societal chart, a different number


def _k(key: str, lang: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


def _scale(values: list[float | None]) -> tuple[float, str]:
    """(divisor, unit key): million kronor from 1 Mkr up, else thousand kronor."""
    top = max((abs(v) for v in values if v is not None), default=0.0)
    return (1_000_000.0, "mkr") if top >= 1_000_000 else (1_000.0, "tkr")


def _as_of(years: int, lang: str) -> str:
    """'år 1–3' / 'years 1–3', or 'år 1' / 'year 1'."""
    return _k("as_of", lang, years=f"1–{years}") if years > 1 else _k("as_of_one", lang)


def _layout(fig: go.Figure, lang: str, **extra) -> None:
    base_layout(fig, lang, height=380, **extra)


def build_gain_over_time(result: Result, *, lang: str) -> go.Figure:
    """Bars: the societal gain in each year; line: the running total (only when there are several
    years). Values in Mkr or tkr (see the y-axis title); the x-axis is the year number."""
    divisor, unit = _scale(list(result.societal_by_year) + list(result.societal_cumulative))
    years = [str(y) for y in result.years]
    hover = [_k("hover_year", lang, year=y) for y in result.years]
    decimals = 1 if unit == "mkr" else 0
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=years, y=[v / divisor for v in result.societal_by_year], name=_k("yearly_legend", lang),
        marker={"color": SOCIETAL}, customdata=hover, text=[fmt_money(v, lang) for v in result.societal_by_year],
        hovertemplate="%{customdata}: %{text}<extra>" + _k("yearly_legend", lang) + "</extra>",
        texttemplate="%{y:,." + str(decimals) + "f}", textposition="inside", insidetextanchor="end",
        textangle=0, textfont={"color": "white"},
    ))
    if len(result.years) > 1:
        fig.add_trace(go.Scatter(
            x=years, y=[v / divisor for v in result.societal_cumulative], name=_k("cumulative_legend", lang),
            mode="lines+markers", line={"color": CUMULATIVE, "width": 3, "dash": "dot"},
            marker={"size": 9, "symbol": "diamond"}, customdata=hover,
            text=[fmt_money(v, lang) for v in result.societal_cumulative],
            hovertemplate="%{customdata}: %{text}<extra>" + _k("cumulative_legend", lang) + "</extra>",
        ))
    _layout(fig, lang, yaxis={"title": _k(f"unit_{unit}", lang), "rangemode": "tozero",
                              "separatethousands": True, "exponentformat": "none", "gridcolor": "#e6e6e6"},
            xaxis={"title": _k("axis_year", lang), "type": "category"}, showlegend=True,
            uniformtext={"minsize": 11, "mode": "hide"})  # labels that do not fit are left out
    return fig


def build_actor_split(result: Result, *, lang: str) -> go.Figure:
    """Horizontal bars: the budget gain per actor over the whole horizon. An actor without a value
    gets a grey '..' marker at zero and a legend entry 'Uppgift saknas', never a zero bar."""
    totals = result.budget_total
    divisor, unit = _scale(list(totals.values()))
    decimals = 1 if unit == "mkr" else 0
    known = [a for a in ACTORS if totals[a] is not None]
    missing = [a for a in ACTORS if totals[a] is None]
    names = {a: t(f"vinst.actors_short.{a}", lang) for a in ACTORS}  # full names in the hover
    full = {a: t(f"vinst.actors.{a}", lang) for a in ACTORS}
    top = max((totals[a] / divisor for a in known), default=0.0)
    fig = go.Figure()
    if known:
        fig.add_trace(go.Bar(
            y=[names[a] for a in known], x=[totals[a] / divisor for a in known], orientation="h",
            name=_k("budget_title", lang), marker={"color": BUDGET},
            text=[fmt_money(totals[a], lang) for a in known], textposition="outside", cliponaxis=False,
            customdata=[full[a] for a in known], hovertemplate="%{customdata}: %{text}<extra></extra>",
        ))
    if missing:
        fig.add_trace(go.Scatter(
            y=[names[a] for a in missing], x=[0] * len(missing), mode="markers+text",
            name=_k("missing_legend", lang), marker={"color": MISSING, "size": 14, "symbol": "square",
                                                      "line": {"color": "#7a7a7a", "width": 1}},
            text=[f"..  {_k('missing_legend', lang).lower()}"] * len(missing), textposition="middle right",
            customdata=[full[a] for a in missing], hovertemplate="%{customdata}: ..<extra></extra>",
        ))
    # Room on the right for the value labels and the '..' note.
    _layout(fig, lang, xaxis={"title": _k(f"unit_{unit}", lang), "range": [0, (top or 1) * 1.35],
                              "separatethousands": True, "exponentformat": "none", "gridcolor": "#e6e6e6"},
            yaxis={"title": None, "categoryorder": "array",
                   "categoryarray": [names[a] for a in ACTORS][::-1], "automargin": True},
            showlegend=True)
    return fig


def _inputs_hash(result: Result) -> str:
    """A short hash of what the calculator computed: two different sets of inputs give two keys
    (the calculator has more inputs than fit in a key), the same inputs the same key."""
    import hashlib

    return hashlib.sha256(repr((result.years, result.societal_by_year, result.budget_total)).encode()).hexdigest()[:8]


def gain_over_time_spec(result: Result, *, lang: str, sources: list[str]) -> FigureSpec:
    """The FigureSpec of the societal gain over the horizon. sources: the titles behind the
    inputs used (shown in the card's source line)."""
    years = len(result.years)
    divisor, unit = _scale(list(result.societal_by_year) + list(result.societal_cumulative))
    unit_label = _k(f"unit_{unit}", lang)
    subtitle = (_k("chart_time_subtitle", lang, unit=unit_label, years=years) if years > 1
                else _k("chart_time_subtitle_one", lang, unit=unit_label))
    first = fmt_money(result.societal_by_year[0], lang)
    alt = (_k("chart_time_alt", lang, first=first, last=fmt_money(result.societal_by_year[-1], lang),
              years=years, total=fmt_money(result.societal_total, lang)) if years > 1
           else _k("chart_time_alt_one", lang, first=first))
    data = pd.DataFrame({
        _k("col_year", lang): list(result.years),
        _k("col_yearly", lang): [round(v) for v in result.societal_by_year],
        _k("col_cumulative", lang): [round(v) for v in result.societal_cumulative],
        _k("col_work_py", lang): [round(v, 2) for v in result.work_person_years],
        _k("col_asf_py", lang): [round(v, 2) for v in result.asf_employed_person_years],
    })
    return FigureSpec(
        key=spec_key("vinst-samhallsvinst", f"{years}ar", _inputs_hash(result)), figure=build_gain_over_time(result, lang=lang),
        title=_k("chart_time_title", lang), subtitle=subtitle, source_ids=list(sources),
        as_of=_as_of(years, lang),
        definition=_k("chart_time_definition", lang), alt_text=alt, data=data, finding=alt,
        meta={"file_parts": ["vinst", "samhallsvinst", f"{years}ar"], "unit": unit, "divisor": divisor},
    )


def actor_split_spec(result: Result, *, lang: str, sources: list[str]) -> FigureSpec:
    """The FigureSpec of the public-budget gain per actor over the horizon."""
    years = len(result.years)
    totals = result.budget_total
    divisor, unit = _scale(list(totals.values()))
    names = {a: t(f"vinst.actors.{a}", lang) for a in ACTORS}
    known = {a: v for a, v in totals.items() if v is not None}
    missing = [names[a] for a in ACTORS if totals[a] is None]
    missing_text = _k("chart_actor_alt_missing", lang, actors=", ".join(missing)) if missing else ""
    if known and max(known.values()) == 0:
        alt = f"{_k('chart_actor_alt_zero', lang)} {missing_text}".strip()
    elif known:
        top = max(known, key=known.get)
        alt = _k("chart_actor_alt", lang, period=years_text(years, lang), top=names[top], top_value=fmt_money(known[top], lang),
                 missing=missing_text).strip()
    else:
        alt = f"{_k('chart_actor_alt_none', lang)} {missing_text}".strip()
    data = pd.DataFrame({
        _k("col_actor", lang): [names[a] for a in ACTORS],
        _k("col_budget_total", lang): pd.array([None if totals[a] is None else round(totals[a]) for a in ACTORS],
                                               dtype="Int64"),
    })
    return FigureSpec(
        key=spec_key("vinst-budget", f"{years}ar", _inputs_hash(result)), figure=build_actor_split(result, lang=lang),
        title=_k("chart_actor_title", lang),
        subtitle=(_k("chart_actor_subtitle", lang, unit=_k(f"unit_{unit}", lang), years=years) if years > 1
                  else _k("chart_actor_subtitle_one", lang, unit=_k(f"unit_{unit}", lang))),
        source_ids=list(sources), as_of=_as_of(years, lang),
        definition=_k("chart_actor_definition", lang), alt_text=alt, data=data, finding=alt,
        meta={"file_parts": ["vinst", "budget", f"{years}ar"], "unit": unit, "divisor": divisor},
    )

