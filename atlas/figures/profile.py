"""Kommunprofil trend: one indicator over time for a kommun, its county and Riket (three lines)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from atlas.figures.lines import build_trend
from atlas.figures.spec import FigureSpec
from atlas.i18n import fmt_period, fmt_value, t

P = "kommunprofil."


def build_profile_trend(series: pd.DataFrame, *, lang: str, indicator: Mapping, kommun: str, lan: str,
                        names: Mapping[str, str], riket: str = "00", group: str | None = None) -> FigureSpec | None:
    """A FigureSpec with three lines (kommun, county, Riket dotted grey) over all periods, and a
    fourth for an own comparison group when ``group`` names its region_code in ``series`` (its
    name in ``names``).

    series: a ``series`` query result for [kommun, lan, riket] (region_code, period, period_date,
    value, source_id). indicator: a catalogue row with id, label_sv/label_en, unit, decimals,
    frequency, definition_sv/definition_en. names: region code -> display name in ``lang``.
    Periods missing for a region are drawn as gaps (never as zero). None when the kommun has no
    values.
    """
    order = [kommun, lan, riket] + ([group] if group else [])
    rows = series[series["region_code"].isin(order)]
    if rows[(rows["region_code"] == kommun)]["value"].notna().sum() == 0:
        return None
    decimals, unit = int(indicator["decimals"]), str(indicator["unit"])
    label = str(indicator["label_en" if lang == "en" else "label_sv"])
    periods = rows.drop_duplicates("period").sort_values("period_date")[["period", "period_date"]]
    # Every region on every period: a missing month becomes NaN and breaks the line.
    grid = pd.MultiIndex.from_product([order, periods["period"]], names=["region_code", "period"])
    full = (rows.set_index(["region_code", "period"])[["value"]].reindex(grid).reset_index()
            .merge(periods, on="period"))
    full["region_name"] = full["region_name_en"] = full["region_code"].map(lambda c: names.get(c, c))
    full["level"] = full["region_code"].map({kommun: "kommun", lan: "lan", riket: "riket", group: "grupp"})

    unit_symbol = t(f"units.{unit}", lang)
    fig = build_trend(full, lang=lang, unit_label=unit_symbol, decimals=decimals)
    fig.update_layout(yaxis_title=t(f"unit_names.{unit}", lang).capitalize())
    # A zero baseline flattens rates that sit far from zero (employment around 80 %) until gaps of
    # several percentage points disappear; a line chart may start elsewhere when the axis is labelled.
    values = full["value"].dropna()
    if len(values) and values.min() > values.max() / 2:
        fig.update_yaxes(rangemode="normal")

    first, last = fmt_period(periods["period"].iloc[0], lang), fmt_period(periods["period"].iloc[-1], lang)
    mine = full[(full["region_code"] == kommun) & full["value"].notna()]
    last_period = str(mine["period"].iloc[-1])
    latest = ", ".join(
        f"{names.get(c, c)} {fmt_value(_value_at(full, c, last_period), unit, lang, decimals)}" for c in order)
    # The most recent period where the extreme occurs, as in the key findings.
    high = mine[mine["value"] == mine["value"].max()].iloc[-1]
    low = mine[mine["value"] == mine["value"].min()].iloc[-1]
    alt = [t(P + "trend_alt_latest", lang, label=label, period=fmt_period(last_period, lang), values=latest),
           t(P + "trend_alt_range", lang, kommun=names.get(kommun, kommun),
             high=fmt_value(high["value"], unit, lang, decimals), high_period=fmt_period(high["period"], lang),
             low=fmt_value(low["value"], unit, lang, decimals), low_period=fmt_period(low["period"], lang))]
    gaps = int(full["value"].isna().sum())
    if gaps:
        alt.append(t(P + "trend_alt_gaps", lang, n=gaps))

    wide = full.pivot(index="period", columns="region_code", values="value").reindex(periods["period"])
    data = pd.DataFrame({t(P + "col_period_date", lang): [fmt_period(p, lang) for p in wide.index]})
    for c in order:
        data[names.get(c, c)] = wide[c].to_numpy()
    freq = "year" if indicator.get("frequency") == "year" else "month"
    return FigureSpec(
        key=f"kommunprofil-{indicator['id']}-{kommun}",
        figure=fig,
        title=t(P + "trend_title", lang, label=label, kommun=names.get(kommun, kommun), county=names.get(lan, lan)),
        subtitle=t(f"{P}trend_subtitle_{freq}", lang, unit=t(f"unit_names.{unit}", lang).capitalize(),
                   first=first, last=last),
        source_ids=[s for s in rows["source_id"].dropna().unique().tolist()],
        as_of=last,
        definition=str(indicator["definition_en" if lang == "en" else "definition_sv"]),
        alt_text=" ".join(alt),
        data=data,
        full_data=full[["region_code", "region_name", "period", "value"]],
        finding=alt[0],
        meta={"indicator": indicator["id"], "regions": order},
    )


def _value_at(full: pd.DataFrame, code: str, period: str) -> float | None:
    hit = full[(full["region_code"] == code) & (full["period"] == period)]["value"].dropna()
    return float(hit.iloc[0]) if len(hit) else None
