"""Is the newest data older than its publication cycle? (No Streamlit; used by the pages.)

Publication cycles (what a user can expect to be available by now):
- monthly BAS / varsel / ekonomiskt bistånd: a month is normally published within ~2 months, so the
  newest month should be at most 3 months before today;
- yearly statistics: a year is normally published in the autumn of the following year or later,
  so the newest year should be at most 2 years before today's year;
- Yrkesbarometern: two releases a year (from 2026 in June and December); release "YYYY-1" is out
  by July of YYYY and "YYYY-2" by January of YYYY+1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTH_LAG = 3
YEAR_LAG = 2


@dataclass(frozen=True)
class Freshness:
    last_period: str
    expected_period: str  # the newest period the publication cycle should have reached
    stale: bool


def _months(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _period_of(months: int) -> str:
    return f"{months // 12}M{months % 12 + 1:02d}"


def check_period(last_period: str, frequency: str, today: date) -> Freshness | None:
    """Freshness of an indicator whose newest period is ``last_period`` ('2026M04' or '2024');
    None when the period cannot be read."""
    if frequency == "month" and len(last_period) == 7 and last_period[4] == "M":
        expected = today.year * 12 + today.month - 1 - MONTH_LAG
        return Freshness(last_period, _period_of(expected), _months(last_period) < expected)
    if len(last_period) == 4 and last_period.isdigit():
        expected = today.year - YEAR_LAG
        return Freshness(last_period, str(expected), int(last_period) < expected)
    return None


def expected_release(today: date) -> str:
    """The newest Yrkesbarometern release that should be out on ``today`` ('2026-1', ...)."""
    if today.month >= 7:
        return f"{today.year}-1"
    return f"{today.year - 1}-2"


def check_release(omgang: str, today: date) -> Freshness:
    expected = expected_release(today)
    return Freshness(omgang, expected, omgang < expected)
