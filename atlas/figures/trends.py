"""Figures for the "Trender och jämförelser" page: an indicator over time, the county comparison,
unemployment by birth region, and notices of redundancy (varsel).

Pure builders: DataFrames from the trend_* queries (and ``series``) in, FigureSpec out. No Streamlit.
``indicator`` arguments are one row of the ``trend_catalogue`` query (a dict or Series with id,
label_sv, label_en, unit, decimals, frequency, definition_sv, definition_en, categories_en).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas.figures.bars import add_missing_rows, add_reference
from atlas.figures.dates import date_ticks
from atlas.figures.labels import categories_en, category_label  # noqa: F401  (category_label: pages import it here)
from atlas.figures.layout import base_layout
from atlas.figures.lines import build_trend
from atlas.figures.palette import MISSING, REGION_ROLE, SERIES
from atlas.figures.spec import FigureSpec, spec_key
from atlas.i18n import fmt_number, fmt_period, fmt_value, t

COUNTY_COLOUR = SERIES[0]  # dark green: the current county, always drawn darkest
OTHER_COLOUR = "#93cec1"  # light green for the other län: differs from the county in lightness
OTHER_LINE = "#c4c4c4"
UNKNOWN_INDUSTRY = "Uppgift saknas"  # the source's own category; never merged into "other"
BIRTH = ("inrikes född", "utrikes född")


# --- labels ---------------------------------------------------------------------------------------

def category_order(categories: list[str], indicator: Mapping) -> list[str]:
    """Categories in catalogue order: '' (whole population) first, then the catalogue's order,
    then anything else alphabetically (e.g. 'vistelsetid 2-3 år' before 'vistelsetid 10- år')."""
    known = list(categories_en(indicator))
    rank = {c: i for i, c in enumerate(known)}
    return sorted(dict.fromkeys(categories), key=lambda c: (c != "", rank.get(c, len(known)), c))


def indicator_label(indicator: Mapping, lang: str) -> str:
    """The indicator's name in ``lang``."""
    return str(indicator["label_en" if lang == "en" else "label_sv"])


def sex_label(sex: str, lang: str) -> str:
    """'Totalt'/'Kvinnor'/'Män' (sv) or 'Total'/'Women'/'Men' (en) for 'T'/'K'/'M'."""
    return t(f"trender.sex.{sex}", lang)


def _unit_name(unit: str, lang: str) -> str:
    text = t(f"unit_names.{unit}", lang)
    return text[:1].upper() + text[1:]


def _axis_title(unit: str, lang: str) -> str:
    return "%" if unit == "procent" else _unit_name(unit, lang)


def _breakdown(sex: str, category: str, lang: str, indicator: Mapping) -> str:
    """' · Kvinnor · Födda i Asien' for the parts that differ from the whole population."""
    parts = []
    if sex != "T":
        parts.append(sex_label(sex, lang))
    if category:
        parts.append(category_label(category, lang, indicator))
    return "".join(f" · {p}" for p in parts)


def _span(first: str, last: str, lang: str) -> str:
    a, b = fmt_period(first, lang), fmt_period(last, lang)
    return a if a == b else f"{a}–{b}"


def _frequency(indicator: Mapping, lang: str) -> str:
    return t("trender.monthly" if indicator["frequency"] == "month" else "trender.yearly", lang)


def _name_col(lang: str) -> str:
    return "region_name_en" if lang == "en" else "region_name"


_layout = base_layout  # every figure here: the shared look (atlas.figures.layout)


# --- 1. one indicator over time -----------------------------------------------------------------

def over_time_spec(df: pd.DataFrame, *, lang: str, indicator: Mapping, sex: str, category: str,
                   levels: Mapping[str, str]) -> FigureSpec:
    """A line per region for one indicator, sex and category.

    df: a ``series`` query result (region_code, region_name, region_name_en, period, period_type,
    period_date, value, source_id), non-empty. levels: region code -> 'riket'|'lan'|'kommun'
    (Riket is drawn grey and dotted). Yearly series get markers so a single year stays visible.
    meta['mixed_sources'] is True when the regions come from different sources (vintages).
    """
    unit, dec = str(indicator["unit"]), int(indicator["decimals"])
    df = df.assign(level=df["region_code"].map(levels))
    fig = build_trend(df, lang=lang, unit_label=t(f"units.{unit}", lang), decimals=dec)
    if indicator["frequency"] == "year" or df.groupby("region_code").size().max() <= 3:
        fig.update_traces(mode="lines+markers", marker={"size": 7})
    fig.update_yaxes(title=_axis_title(unit, lang))

    label = indicator_label(indicator, lang)
    periods = df.loc[df["value"].notna(), "period"]
    if periods.empty:
        periods = df["period"]
    first, last = periods.min(), periods.max()  # period codes sort in time order ('2020M01', '2024')
    name_col = _name_col(lang)
    latest = []
    for _, part in df.groupby("region_code", sort=False):
        known = part[part["value"].notna()]
        if known.empty:
            latest.append(t("trender.alt_region_missing", lang, region=part[name_col].iloc[0]))
            continue
        row = known.iloc[-1]
        latest.append(f"{row[name_col]} {fmt_value(row['value'], unit, lang, dec)} ({fmt_period(row['period'], lang)})")
    lead = df[(df["region_code"] == df["region_code"].iloc[0]) & df["value"].notna()]
    alt = t("trender.alt_over_time", lang, indicator=label, span=_span(first, last, lang),
            latest="; ".join(latest))
    if len(lead) > 1:
        hi, lo = lead.loc[lead["value"].idxmax()], lead.loc[lead["value"].idxmin()]
        alt += " " + t("trender.alt_high_low", lang, region=hi[name_col],
                       high=fmt_value(hi["value"], unit, lang, dec), high_period=fmt_period(hi["period"], lang),
                       low=fmt_value(lo["value"], unit, lang, dec), low_period=fmt_period(lo["period"], lang))

    data = pd.DataFrame({
        t("trender.col_region", lang): df[name_col],
        t("trender.col_period", lang): df["period"],
        t("trender.col_value", lang, unit=_unit_name(unit, lang)): df["value"],
        t("trender.col_source", lang): df["source_id"],
    })
    sources = list(dict.fromkeys(df["source_id"]))
    definition = str(indicator["definition_en" if lang == "en" else "definition_sv"])
    mixed = len(sources) > 1
    if mixed:
        definition += "\n\n" + t("trender.mixed_sources", lang, sources=", ".join(sources))
    return FigureSpec(
        key=spec_key("trend", indicator["id"], sex, list(dict.fromkeys(df["region_code"])), category),
        figure=fig, title=label + _breakdown(sex, category, lang, indicator),
        subtitle=f"{_unit_name(unit, lang)}, {_frequency(indicator, lang)} {_span(first, last, lang)}",
        source_ids=sources, as_of=fmt_period(last, lang), definition=definition, alt_text=alt, data=data,
        meta={"indicator": indicator["id"], "sex": sex, "category": category,
              "regions": list(dict.fromkeys(df["region_code"])), "mixed_sources": mixed},
    )


# --- 2. county comparison -------------------------------------------------------------------------

def comparison_periods(df: pd.DataFrame) -> list[str]:
    """Periods (newest first) in a ``trend_compare`` result where at least two län have a value."""
    lan = df[(df["level"] == "lan") & df["value"].notna()]
    counts = lan.groupby("period")["region_code"].nunique()
    dates = df.drop_duplicates("period").set_index("period")["period_date"]
    keep = counts[counts >= 2].index
    return sorted(keep, key=lambda p: dates[p], reverse=True)


def default_comparison_period(df: pd.DataFrame) -> str | None:
    """The latest period with the widest län coverage (None if there is none)."""
    periods = comparison_periods(df)
    if not periods:
        return None
    lan = df[(df["level"] == "lan") & df["value"].notna()]
    counts = lan.groupby("period")["region_code"].nunique()
    best = counts[periods].max()
    return next(p for p in periods if counts[p] == best)


def ranking(df: pd.DataFrame, period: str) -> pd.DataFrame:
    """The län for one period, highest value first and missing values last, with a 'rank' column
    (1 = highest; missing values have no rank). Riket is not ranked."""
    part = df[(df["period"] == period) & (df["level"] == "lan")].copy()
    part = part.sort_values("value", ascending=False, na_position="last", kind="stable")
    part["rank"] = part["value"].rank(ascending=False, method="min").astype("Int64")
    return part.reset_index(drop=True)


def _short(df: pd.DataFrame, lang: str) -> pd.Series:
    return df["short_name_en" if lang == "en" else "short_name"]


def comparison_note(df: pd.DataFrame, *, lang: str, source_title: str) -> str:
    """The sentence saying that every län is read from one source, and (when that source is not the
    one shown elsewhere for some regions) that its values may differ slightly from revised figures."""
    source_id = str(df["source_id"].iloc[0])
    riket = t("trender.compare_riket", lang) if (df["level"] == "riket").any() else ""
    text = t("trender.compare_one_source", lang, title=source_title, source=source_id, riket=riket)
    if (~df["preferred"].astype(bool)).any():
        regions = df.loc[~df["preferred"].astype(bool), _name_col(lang)].drop_duplicates().tolist()
        text += " " + t("trender.compare_older_vintage", lang, regions=", ".join(regions))
    return text


def county_ranking_spec(df: pd.DataFrame, *, lang: str, indicator: Mapping, sex: str, category: str,
                        period: str, county: str, note: str) -> FigureSpec:
    """Ranked horizontal bars of every län for one period, the county dark with a bold label and an
    arrow marker, Riket (when the source has it) as a dashed reference line.

    df: a ``trend_compare`` result (one source), period: one of its periods, note: the source
    sentence from ``comparison_note`` (goes into the definition and the data's context).
    The figure's y values are region codes (tick labels carry the names) so values can be checked.
    """
    unit, dec = str(indicator["unit"]), int(indicator["decimals"])
    rank = ranking(df, period)
    riket = df[(df["period"] == period) & (df["level"] == "riket") & df["value"].notna()]
    names = dict(zip(rank["region_code"], _short(rank, lang)))
    order = rank["region_code"].tolist()[::-1]  # plotly draws the first category at the bottom
    ticks = [f"<b>{names[c]} ▶</b>" if c == county else names[c] for c in order]

    fig = go.Figure()
    has = rank[rank["value"].notna()]
    for role, part, colour in [("county", has[has["region_code"] == county], COUNTY_COLOUR),
                               ("other", has[has["region_code"] != county], OTHER_COLOUR)]:
        if part.empty:
            continue
        label = part[_name_col(lang)].iloc[0] if role == "county" else t("trender.other_lan", lang)
        texts = [fmt_number(v, lang, dec) for v in part["value"]]
        fig.add_trace(go.Bar(
            x=part["value"], y=part["region_code"], orientation="h", name=label,
            marker={"color": colour, "line": {"color": COUNTY_COLOUR, "width": 1}},
            text=[f"<b>{x}</b>" if role == "county" else x for x in texts], textposition="outside",
            cliponaxis=False, customdata=part[_name_col(lang)],
            hovertext=[f"{n}: {fmt_value(v, unit, lang, dec)} ({t('trender.rank', lang, rank=r, n=len(has))})"
                       for n, v, r in zip(part[_name_col(lang)], part["value"], part["rank"])],
            hoverinfo="text",
        ))
    missing = rank[rank["value"].isna()]
    add_missing_rows(fig, missing["region_code"].tolist(), missing[_name_col(lang)].tolist(), lang=lang,
                     legend=t("trender.missing_legend", lang))
    if not riket.empty:
        value = float(riket["value"].iloc[0])
        add_reference(fig, value, f"{riket[_name_col(lang)].iloc[0]}: {fmt_value(value, unit, lang, dec)}",
                      colour=REGION_ROLE["riket"], dash="dash", legend=False)
    _layout(fig, lang, height=max(420, 26 * len(order) + 120), bargap=0.25,
            margin={"l": 10, "r": 40, "t": 40, "b": 10},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0})
    # Codes such as '01' would otherwise be read as numbers and placed on a linear axis.
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, tickvals=order, ticktext=ticks)
    fig.update_xaxes(title=_axis_title(unit, lang), gridcolor="#e6e6e6", rangemode="tozero")

    label = indicator_label(indicator, lang)
    cnt = rank[rank["region_code"] == county]
    if has.empty:
        alt = t("trender.alt_rank_empty", lang, indicator=label, period=fmt_period(period, lang))
    else:
        top, bottom = has.iloc[0], has.iloc[-1]
        alt = t("trender.alt_rank", lang, indicator=label, period=fmt_period(period, lang), n=len(has),
                top=top[_name_col(lang)], top_value=fmt_value(top["value"], unit, lang, dec),
                bottom=bottom[_name_col(lang)], bottom_value=fmt_value(bottom["value"], unit, lang, dec))
        if not cnt.empty and pd.notna(cnt["value"].iloc[0]):
            alt += " " + t("trender.alt_rank_county", lang, county=cnt[_name_col(lang)].iloc[0],
                           value=fmt_value(cnt["value"].iloc[0], unit, lang, dec),
                           rank=int(cnt["rank"].iloc[0]), n=len(has))
        if not riket.empty:
            alt += " " + t("trender.alt_rank_riket", lang, value=fmt_value(riket["value"].iloc[0], unit, lang, dec))
    table = pd.concat([rank, riket.assign(rank=pd.NA)], ignore_index=True)
    data = pd.DataFrame({
        t("trender.col_rank", lang): table["rank"].astype("Int64"),
        t("trender.col_region", lang): table[_name_col(lang)],
        t("trender.col_period", lang): table["period"],
        t("trender.col_value", lang, unit=_unit_name(unit, lang)): table["value"],
        t("trender.col_source", lang): table["source_id"],
    })
    definition = str(indicator["definition_en" if lang == "en" else "definition_sv"]) + "\n\n" + note
    return FigureSpec(
        key=spec_key("lan", indicator["id"], sex, period, category), figure=fig,
        title=t("trender.rank_title", lang, indicator=label + _breakdown(sex, category, lang, indicator)),
        subtitle=t("trender.rank_subtitle", lang, unit=_unit_name(unit, lang), period=fmt_period(period, lang),
                   source=str(df["source_id"].iloc[0])),
        source_ids=[str(df["source_id"].iloc[0])], as_of=fmt_period(period, lang), definition=definition,
        alt_text=alt, data=data, full_data=df,
        meta={"indicator": indicator["id"], "period": period, "county": county, "source": df["source_id"].iloc[0]},
    )


def county_lines_spec(df: pd.DataFrame, *, lang: str, indicator: Mapping, sex: str, category: str,
                      county: str, note: str) -> FigureSpec:
    """Every län over time as thin grey lines, the county as a thick dark line and Riket dashed.

    df: a ``trend_compare`` result (one source). The legend shows the county, Riket and one entry
    for all other län, so the highlight does not rely on colour alone (width and dash differ too).
    """
    unit, dec = str(indicator["unit"]), int(indicator["decimals"])
    name_col = _name_col(lang)
    fig = go.Figure()
    others_shown = False
    groups = sorted(df.groupby("region_code", sort=False), key=lambda g: (g[0] == county, g[1]["level"].iloc[0] == "riket"))
    for code, part in groups:  # the county and Riket last, so they are drawn on top
        level = part["level"].iloc[0]
        name = part[name_col].iloc[0]
        if code == county:
            style, show, legend = {"color": COUNTY_COLOUR, "width": 4}, True, name
        elif level == "riket":
            style, show, legend = {"color": REGION_ROLE["riket"], "width": 2.5, "dash": "dash"}, True, name
        else:
            style, show, legend = {"color": OTHER_LINE, "width": 1.2}, not others_shown, t("trender.other_lan", lang)
            others_shown = True
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(part["period_date"]), y=part["value"], mode="lines+markers" if indicator["frequency"] == "year" else "lines",
            name=legend, legendgroup="other" if legend == t("trender.other_lan", lang) else code, showlegend=show,
            line=style, marker={"size": 5}, connectgaps=False,
            text=[f"{name}, {fmt_period(p, lang)}: {fmt_value(v, unit, lang, dec)}" for p, v in zip(part["period"], part["value"])],
            hovertemplate="%{text}<extra></extra>",
        ))
    _layout(fig, lang, height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    fig.update_xaxes(showgrid=False, **date_ticks(df["period_date"], lang, yearly=indicator["frequency"] == "year"))
    fig.update_yaxes(title=_axis_title(unit, lang), gridcolor="#e6e6e6")
    first, last = df["period"].iloc[0], df["period"].iloc[-1]
    label = indicator_label(indicator, lang)
    cnt = df[(df["region_code"] == county) & df["value"].notna()]
    lan_vals = df[(df["level"] == "lan") & df["value"].notna()]
    alt = t("trender.alt_lines", lang, indicator=label, span=_span(first, last, lang),
            n=lan_vals["region_code"].nunique())
    if not cnt.empty:
        alt += " " + t("trender.alt_lines_county", lang, county=cnt[name_col].iloc[0],
                       first=fmt_value(cnt["value"].iloc[0], unit, lang, dec),
                       last=fmt_value(cnt["value"].iloc[-1], unit, lang, dec),
                       first_period=fmt_period(cnt["period"].iloc[0], lang),
                       last_period=fmt_period(cnt["period"].iloc[-1], lang))
    data = pd.DataFrame({
        t("trender.col_region", lang): df[name_col], t("trender.col_period", lang): df["period"],
        t("trender.col_value", lang, unit=_unit_name(unit, lang)): df["value"],
        t("trender.col_source", lang): df["source_id"],
    })
    definition = str(indicator["definition_en" if lang == "en" else "definition_sv"]) + "\n\n" + note
    return FigureSpec(
        key=spec_key("lan-tid", indicator["id"], sex, category), figure=fig,
        title=t("trender.lines_title", lang, indicator=label + _breakdown(sex, category, lang, indicator)),
        subtitle=t("trender.lines_subtitle", lang, unit=_unit_name(unit, lang), span=_span(first, last, lang),
                   source=str(df["source_id"].iloc[0])),
        source_ids=[str(df["source_id"].iloc[0])], as_of=fmt_period(last, lang), definition=definition,
        alt_text=alt, data=data, meta={"indicator": indicator["id"], "county": county},
    )


# --- 3. unemployment by birth region --------------------------------------------------------------

def birth_gap(df: pd.DataFrame) -> pd.DataFrame:
    """One row per period: period, period_date, inrikes, utrikes, gap (utrikes - inrikes, in
    percentage points; missing when either value is missing). df: a ``trend_birth_region`` result."""
    dates = df.drop_duplicates("period").set_index("period")["period_date"]
    wide = (df[df["category"].isin(BIRTH)].drop_duplicates(["period", "category"])
            .pivot(index="period", columns="category", values="value")
            .reindex(index=dates.index, columns=list(BIRTH)))  # a month or group missing stays missing
    wide = wide.rename(columns={"inrikes född": "inrikes", "utrikes född": "utrikes"}).rename_axis(columns=None)
    wide = wide.reset_index().assign(period_date=lambda w: w["period"].map(dates))
    wide["gap"] = wide["utrikes"] - wide["inrikes"]
    return wide.sort_values("period_date").reset_index(drop=True)[["period", "period_date", "inrikes", "utrikes", "gap"]]


def birth_region_spec(df: pd.DataFrame, *, lang: str, region_name: str, definition: str) -> FigureSpec:
    """Two lines (born in Sweden: solid dark; born abroad: dashed amber) and, in a panel below,
    the gap in percentage points. df: a ``trend_birth_region`` result for one region, non-empty."""
    wide = birth_gap(df)
    x = pd.to_datetime(wide["period_date"])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.08)
    pp = t("units.procentenheter", lang)
    styles = {"inrikes": {"color": COUNTY_COLOUR, "width": 3}, "utrikes": {"color": "#c98a2e", "width": 3, "dash": "dash"}}
    for col, cat in zip(("inrikes", "utrikes"), BIRTH):
        name = t(f"trender.birth_{col}", lang)
        fig.add_trace(go.Scatter(
            x=x, y=wide[col], mode="lines", name=name, line=styles[col], connectgaps=False,
            text=[f"{name}, {fmt_period(p, lang)}: {fmt_value(v, 'procent', lang, 1)}" for p, v in zip(wide["period"], wide[col])],
            hovertemplate="%{text}<extra></extra>"), row=1, col=1)
        known = wide[wide[col].notna()]
        if not known.empty:  # a direct label at the line's end: no need to look up the legend
            fig.add_annotation(x=pd.to_datetime(known["period_date"].iloc[-1]), y=known[col].iloc[-1], row=1, col=1,
                               text=f"{fmt_number(known[col].iloc[-1], lang, 1)} %", showarrow=False,
                               xanchor="left", xshift=6, font={"color": styles[col]["color"]})
    gap_name = t("trender.birth_gap", lang)
    fig.add_trace(go.Bar(
        x=x, y=wide["gap"], name=gap_name, marker={"color": "#7a7a7a"},
        text=[f"{fmt_period(p, lang)}: {fmt_number(v, lang, 1)} {pp}" for p, v in zip(wide["period"], wide["gap"])],
        hovertemplate="%{text}<extra></extra>", textposition="none"), row=2, col=1)
    _layout(fig, lang, height=520, margin={"l": 10, "r": 60, "t": 10, "b": 10}, bargap=0.1,
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    fig.update_xaxes(showgrid=False, **date_ticks(x, lang))
    fig.update_yaxes(gridcolor="#e6e6e6", rangemode="tozero")
    fig.update_yaxes(title="%", row=1, col=1)
    fig.update_yaxes(title=t("trender.birth_gap_axis", lang), row=2, col=1)

    first, last = wide["period"].iloc[0], wide["period"].iloc[-1]
    known = wide.dropna(subset=["gap"])
    if known.empty:
        alt = t("trender.alt_birth_empty", lang, region=region_name)
    else:
        end = known.iloc[-1]
        widest = known.loc[known["gap"].idxmax()]
        alt = t("trender.alt_birth", lang, region=region_name, period=fmt_period(end["period"], lang),
                utrikes=fmt_value(end["utrikes"], "procent", lang, 1), inrikes=fmt_value(end["inrikes"], "procent", lang, 1),
                gap=fmt_number(end["gap"], lang, 1), widest=fmt_number(widest["gap"], lang, 1),
                widest_period=fmt_period(widest["period"], lang))
    data = pd.DataFrame({
        t("trender.col_period", lang): wide["period"],
        t("trender.birth_inrikes", lang) + " (%)": wide["inrikes"],
        t("trender.birth_utrikes", lang) + " (%)": wide["utrikes"],
        f"{gap_name} ({pp})": wide["gap"],
    })
    return FigureSpec(
        key=spec_key("fodelseregion", df["region_code"].iloc[0] if "region_code" in df else region_name), figure=fig, title=t("trender.birth_title", lang, region=region_name),
        subtitle=t("trender.birth_subtitle", lang, span=_span(first, last, lang)),
        source_ids=list(dict.fromkeys(df["source_id"])), as_of=fmt_period(last, lang), definition=definition,
        alt_text=alt, data=data, meta={"indicator": "arbetsloshet", "categories": list(BIRTH)},
    )


# --- 4. notices of redundancy (varsel) ------------------------------------------------------------

def moving_average(values: pd.Series, window: int = 12) -> pd.Series:
    """Trailing mean over ``window`` consecutive values; missing until a full window is available
    (or when a value in the window is missing), never a partial mean."""
    return values.rolling(window, min_periods=window).mean()


def varsel_years(df: pd.DataFrame) -> list[int]:
    """The calendar years in a ``trend_varsel_month`` result, ascending."""
    return sorted({int(p[:4]) for p in df["period"]})


def varsel_monthly_spec(df: pd.DataFrame, *, lang: str, first_year: int, last_year: int, show_average: bool,
                        definition: str) -> FigureSpec:
    """Monthly bars of persons given notice, with an optional 12-month moving average line.

    df: the whole ``trend_varsel_month`` result (the average is computed on the full series, so the
    first year shown has an average too); only months in first_year..last_year are drawn.
    """
    full = df.sort_values("period_date").reset_index(drop=True)
    full["ma12"] = moving_average(full["value"])
    years = full["period"].str[:4].astype(int)
    shown = full[(years >= first_year) & (years <= last_year)]
    x = pd.to_datetime(shown["period_date"])
    persons = t("trender.persons", lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=x, y=shown["value"], name=t("trender.varsel_month_legend", lang), marker={"color": OTHER_COLOUR},
        text=[f"{fmt_period(p, lang)}: {fmt_number(v, lang)} {persons}" for p, v in zip(shown["period"], shown["value"])],
        hovertemplate="%{text}<extra></extra>", textposition="none"))
    if show_average:
        fig.add_trace(go.Scatter(
            x=x, y=shown["ma12"], mode="lines", name=t("trender.varsel_ma_legend", lang),
            line={"color": COUNTY_COLOUR, "width": 3}, connectgaps=False,
            text=[f"{fmt_period(p, lang)}: {fmt_number(v, lang)}" for p, v in zip(shown["period"], shown["ma12"])],
            hovertemplate="%{fullData.name}<br>%{text}<extra></extra>"))
    _layout(fig, lang, height=400, bargap=0.05, margin={"l": 10, "r": 10, "t": 10, "b": 10},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    fig.update_xaxes(showgrid=False, **date_ticks(x, lang))
    fig.update_yaxes(title=t("trender.persons_axis", lang), gridcolor="#e6e6e6", rangemode="tozero")

    first, last = shown["period"].iloc[0], shown["period"].iloc[-1]
    peak = shown.loc[shown["value"].idxmax()]
    yearly = shown.groupby(shown["period"].str[:4])["value"].agg(["sum", "count"])
    complete = yearly[yearly["count"] == 12]
    alt = t("trender.alt_varsel", lang, span=_span(first, last, lang), peak=fmt_number(peak["value"], lang),
            peak_period=fmt_period(peak["period"], lang))
    if not complete.empty:
        alt += " " + t("trender.alt_varsel_year", lang, year=complete.index[-1],
                       total=fmt_number(complete["sum"].iloc[-1], lang))
    data = pd.DataFrame({t("trender.col_period", lang): shown["period"],
                         t("trender.varsel_month_legend", lang): shown["value"]})
    if show_average:
        data[t("trender.varsel_ma_legend", lang)] = shown["ma12"].round(1)
    return FigureSpec(
        key=spec_key("varsel", first_year, last_year, "ma" if show_average else ""), figure=fig, title=t("trender.varsel_month_title", lang),
        subtitle=t("trender.varsel_month_subtitle", lang, span=_span(first, last, lang)),
        source_ids=list(dict.fromkeys(df["source_id"])), as_of=fmt_period(last, lang), definition=definition,
        alt_text=alt, data=data, full_data=full, meta={"indicator": "varsel"},
    )


def industry_groups(df: pd.DataFrame, *, first_year: int, last_year: int, top: int) -> tuple[pd.DataFrame, list[str]]:
    """Years first_year..last_year of a ``trend_varsel_industry`` result with the ``top`` industries
    by total over those years kept, the rest summed into '' (other industries), and 'Uppgift
    saknas' always kept apart. Returns (rows: period, group, value) and the group order (largest
    first, then '' for other, then 'Uppgift saknas')."""
    years = df["period"].astype(int)
    part = df[(years >= first_year) & (years <= last_year)]
    known = part[part["category"] != UNKNOWN_INDUSTRY]
    totals = known.groupby("category")["value"].sum().sort_values(ascending=False, kind="stable")
    keep = [c for c, v in totals.items() if v > 0][:max(top, 0)]
    grouped = part.assign(group=[c if c in keep or c == UNKNOWN_INDUSTRY else "" for c in part["category"]])
    out = grouped.groupby(["period", "group"], as_index=False)["value"].sum(min_count=1)
    order = keep + ([""] if (grouped["group"] == "").any() else []) + \
        ([UNKNOWN_INDUSTRY] if (grouped["group"] == UNKNOWN_INDUSTRY).any() else [])
    out = out.assign(_pos=out["group"].map({g: i for i, g in enumerate(order)}))
    return out.sort_values(["period", "_pos"]).drop(columns="_pos").reset_index(drop=True), order


def varsel_industry_spec(df: pd.DataFrame, *, lang: str, first_year: int, last_year: int, top: int,
                         indicator: Mapping) -> FigureSpec:
    """Stacked yearly bars of persons given notice by industry: the ``top`` largest industries in
    the chosen years, the others together, and 'Uppgift saknas' as its own hatched segment.
    df: a ``trend_varsel_industry`` result with at least one year in first_year..last_year."""
    rows, order = industry_groups(df, first_year=first_year, last_year=last_year, top=top)
    persons = t("trender.persons", lang)

    def label(group: str) -> str:
        return t("trender.other_industries", lang) if group == "" else category_label(group, lang, indicator)

    fig = go.Figure()
    for i, group in enumerate(order):
        part = rows[rows["group"] == group]
        if group == UNKNOWN_INDUSTRY:
            marker = {"color": MISSING, "pattern": {"shape": "/", "fgcolor": "#7a7a7a"}}
        elif group == "":
            marker = {"color": "#bdbdbd"}
        else:
            marker = {"color": SERIES[i % len(SERIES)]}
        fig.add_trace(go.Bar(
            x=part["period"], y=part["value"], name=label(group), marker=marker,
            text=[f"{label(group)}, {p}: {fmt_number(v, lang)} {persons}" for p, v in zip(part["period"], part["value"])],
            hovertemplate="%{text}<extra></extra>", textposition="none"))
    totals = rows.groupby("period")["value"].sum().reset_index()
    fig.add_trace(go.Scatter(x=totals["period"], y=totals["value"], mode="text", showlegend=False,
                             text=[fmt_number(v, lang) for v in totals["value"]], textposition="top center",
                             hoverinfo="skip", name=t("trender.total", lang)))
    _layout(fig, lang, barmode="stack", height=520, margin={"l": 10, "r": 10, "t": 30, "b": 10},
            legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "traceorder": "normal"})
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(title=t("trender.persons_axis", lang), gridcolor="#e6e6e6", rangemode="tozero")

    span = f"{rows['period'].min()}–{rows['period'].max()}" if rows["period"].nunique() > 1 else rows["period"].min()
    sums = rows.groupby("group")["value"].sum()
    biggest = order[0] if order and order[0] not in ("", UNKNOWN_INDUSTRY) else None
    total = rows["value"].sum()
    alt = t("trender.alt_industry", lang, span=span, total=fmt_number(total, lang))
    if biggest is not None and total > 0:
        alt += " " + t("trender.alt_industry_top", lang, industry=label(biggest), value=fmt_number(sums[biggest], lang),
                       share=fmt_number(100 * sums[biggest] / total, lang, 0))
    if UNKNOWN_INDUSTRY in sums:
        alt += " " + t("trender.alt_industry_unknown", lang, value=fmt_number(sums[UNKNOWN_INDUSTRY], lang))
    data = pd.DataFrame({t("trender.col_year", lang): rows["period"],
                         t("trender.col_industry", lang): rows["group"].map(label),
                         t("trender.col_persons", lang): rows["value"]})
    years = df["period"].astype(int)
    full = df[(years >= first_year) & (years <= last_year)]
    full_data = pd.DataFrame({t("trender.col_year", lang): full["period"],
                              t("trender.col_industry", lang): full["category"].map(label),
                              t("trender.col_persons", lang): full["value"]})
    return FigureSpec(
        key=spec_key("varsel-bransch", first_year, last_year, f"topp{top}"), figure=fig, title=t("trender.industry_title", lang),
        subtitle=t("trender.industry_subtitle", lang, span=span, top=top),
        source_ids=list(dict.fromkeys(df["source_id"])), as_of=str(rows["period"].max()),
        definition=str(indicator["definition_en" if lang == "en" else "definition_sv"]),
        alt_text=alt, data=data, full_data=full_data, meta={"indicator": "varsel_bransch", "top": top},
    )
