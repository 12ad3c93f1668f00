"""Periods and the change over twelve months, the one way the atlas computes it (Översikt's key
figures, the auto-written findings, Kommunprofil's sentences).

Periods are SCB's: a month "2026M04" or a year "2024". The change is the latest non-missing value
against the same month (or year) a year earlier, computed from the unrounded values (as SCB does:
shown values are rounded afterwards, so "från 5,7 % till 5,2 %" may say 0,4 when the unrounded
values differ by 0,44).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


def previous_year_period(period: str) -> str | None:
    """'2026M04' -> '2025M04'; '2024' -> '2023'; anything else -> None."""
    if len(period) == 7 and period[4] == "M" and period[:4].isdigit():
        return f"{int(period[:4]) - 1}{period[4:]}"
    if len(period) == 4 and period.isdigit():
        return str(int(period) - 1)
    return None


@dataclass(frozen=True)
class YearChange:
    """The latest value of a series and the value twelve months (one year) earlier."""

    period: str
    value: float
    previous_period: str
    previous_value: float

    @property
    def diff(self) -> float:
        """In the indicator's unit (percentage points for rates)."""
        return self.value - self.previous_value

    @property
    def pct(self) -> float | None:
        """Per cent of the earlier value; None when that is 0."""
        return None if self.previous_value == 0 else 100 * self.diff / abs(self.previous_value)


def latest(series: pd.DataFrame, region: str | None = None) -> tuple[str, float] | None:
    """(period, value) of the newest non-missing value; ``region``: only that region's rows
    (columns region_code, period, value). None when there is none."""
    rows = series if region is None else series[series["region_code"] == region]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return None
    last = rows.sort_values("period").iloc[-1]
    return str(last["period"]), float(last["value"])


def year_on_year(series: pd.DataFrame, region: str | None = None) -> YearChange | None:
    """The newest value against the same period a year earlier (columns period, value, and
    region_code when ``region`` is given); None when either is missing."""
    rows = series if region is None else series[series["region_code"] == region]
    now = latest(rows)
    if now is None:
        return None
    previous = previous_year_period(now[0])
    old = rows[(rows["period"] == previous) & rows["value"].notna()]
    if previous is None or old.empty:
        return None
    return YearChange(now[0], now[1], previous, float(old["value"].iloc[0]))


# --- Series breaks ----------------------------------------------------------------------------------
# A break is the first period of a new series (data/curated/indicators.yml, series_breaks: the year
# the source says the definition or data source changed). Values on either side of a break are not
# comparable, so no change sentence may span one.

def break_periods(value: object) -> list[str]:
    """The break periods of a catalogue row's ``series_breaks`` ('2019' or '2019,2021'; a list is
    taken as it is); [] for None, NaN or ''."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return sorted(str(p).strip() for p in items if str(p).strip())


def _aligned(brk: str, like: str) -> str:
    """A yearly break as a period of the same kind as ``like``: '2019' -> '2019M01' for months."""
    return f"{brk}M01" if len(brk) == 4 and len(like) == 7 and like[4] == "M" else brk


def crosses_break(earlier: str, later: str, breaks) -> str | None:
    """The first break that lies between two periods (earlier < break <= later), else None."""
    for brk in break_periods(breaks):
        if str(earlier) < _aligned(brk, str(later)) <= str(later):
            return brk
    return None


def segment_start(period: str, breaks) -> str | None:
    """The last break at or before ``period`` (where its comparable stretch begins), else None."""
    found = [b for b in break_periods(breaks) if _aligned(b, str(period)) <= str(period)]
    return found[-1] if found else None
