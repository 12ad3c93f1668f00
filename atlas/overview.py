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


def shortage_levels(levels: pd.DataFrame) -> dict:
    """From an ``occupation_shortage_levels`` result: the newest release's shortage and paradox
    occupations per assessment level. Returns omgang and counts (level key as in
    atlas.occupations.level_key -> n, from the county outwards: lan, nuts2, nuts2_delvis, nuts1,
    nuts1_delvis, nationellt, nationellt_delvis; levels that do not occur left out; an occupation
    without a level under None); {} when there are none."""
    from atlas.occupations import ASSESSMENT_LEVELS, level_key

    if levels.empty:
        return {}
    omgang = sorted(levels["omgang"].unique())[-1]
    rows = levels[levels["omgang"] == omgang]
    found: dict = {}
    for a, b, n in zip(rows["hogsta_bedomningsniva"], rows["delvis_helt"], rows["n"]):
        key = level_key(a, b)
        found[key] = found.get(key, 0) + int(n)
    order = [k for k in ASSESSMENT_LEVELS if k in found] + ([None] if None in found else [])
    return {"omgang": omgang, "counts": {k: found[k] for k in order}}


def asf_summary(totals: pd.DataFrame) -> dict:
    """From ``asf_county_statements``: the stated county ASF counts, the dated statements kept apart
    from the undated ones (a range "dated 2017–2025" must not rest on statements without a year).

    Returns ``dated``: n (statements with a year and a count), low, high, low_approx, high_approx
    (an end is approximate when every statement giving that number says so, e.g. "cirka 16"),
    year_min, year_max; values None when there is no dated statement. ``undated``: a list of
    (value, approx) for the statements without a year, in order of value."""
    from atlas.asf import is_true

    rows = totals[totals["n_asf"].notna()]
    approx = rows["n_asf_approx"].map(is_true)
    dated = rows["year"].notna()
    counts = rows.loc[dated, "n_asf"].astype(int)

    def end(value) -> bool:
        return bool(approx[dated & (rows["n_asf"] == value)].all())

    low, high = (int(counts.min()), int(counts.max())) if len(counts) else (None, None)
    years = rows.loc[dated, "year"].astype(int)
    return {
        "dated": {"n": int(dated.sum()), "low": low, "high": high,
                  "low_approx": end(low) if low is not None else False,
                  "high_approx": end(high) if high is not None else False,
                  "year_min": int(years.min()) if len(years) else None,
                  "year_max": int(years.max()) if len(years) else None},
        "undated": sorted(((int(v), bool(a)) for v, a in zip(rows.loc[~dated, "n_asf"], approx[~dated])),
                          key=lambda p: (p[0], p[1])),
    }
