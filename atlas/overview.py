"""Numbers for the overview page, computed from query results (no Streamlit, testable)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.periods import previous_year_period, year_on_year  # noqa: F401  (previous_year_period: re-exported)


@dataclass(frozen=True)
class Headline:
    """Latest value of an indicator for a region, Riket's value, and the 12-month change."""

    value: float | None
    period: str | None
    riket_value: float | None
    riket_period: str | None
    change_12m: float | None  # in the indicator's unit (percentage points for rates)
    previous_period: str | None
    source_ids: list[str]


def headline(latest: pd.DataFrame, series: pd.DataFrame, region: str, riket: str = "00") -> Headline:
    """Build a Headline from a ``latest_values`` result (region and Riket) and the region's
    ``series`` result. Missing pieces stay None, never zero."""
    def pick(code: str) -> tuple[float | None, str | None, str | None]:
        rows = latest[latest["region_code"] == code]
        if rows.empty or pd.isna(rows["value"].iloc[0]):
            return None, None, None
        return float(rows["value"].iloc[0]), str(rows["period"].iloc[0]), str(rows["source_id"].iloc[0])

    value, period, src = pick(region)
    r_value, r_period, r_src = pick(riket)
    yoy = year_on_year(series, region) if period is not None else None
    if yoy is not None and yoy.period != period:  # the series ends elsewhere than the latest value
        yoy = None
    change, prev = (round(yoy.diff, 10), yoy.previous_period) if yoy else (None, None)
    sources = [s for s in dict.fromkeys([src, r_src]) if s]
    return Headline(value, period, r_value, r_period, change, prev, sources)


def situation_counts(counts: pd.DataFrame) -> dict:
    """From an ``occupation_situation_counts`` result: the newest release and counts per situation
    (keys brist, paradox, balans, överskott, none, total)."""
    if counts.empty:
        return {}
    omgang = sorted(counts["omgang"].unique())[-1]
    rows = counts[counts["omgang"] == omgang]
    out = {"omgang": omgang, "brist": 0, "paradox": 0, "balans": 0, "överskott": 0, "none": 0}
    for situation, n in zip(rows["situation"], rows["n"]):
        out["none" if situation is None or pd.isna(situation) else str(situation)] = int(n)
    out["total"] = int(rows["n"].sum())
    return out


def asf_summary(totals: pd.DataFrame) -> dict:
    """From ``asf_county_totals``: the range of stated ASF counts and the years of the statements.

    Returns n_min, n_max, statements (rows with a count), year_min, year_max (dated rows only)."""
    counts = totals["n_asf"].dropna()
    years = totals["year"].dropna()
    return {
        "n_min": int(counts.min()) if len(counts) else None,
        "n_max": int(counts.max()) if len(counts) else None,
        "statements": int(len(counts)),
        "year_min": int(years.min()) if len(years) else None,
        "year_max": int(years.max()) if len(years) else None,
    }
