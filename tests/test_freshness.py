"""Publication-cycle checks for the 'data is older than expected' notices."""

from datetime import date

from atlas.freshness import check_period, check_release, expected_release


def test_monthly_series():
    f = check_period("2026M04", "month", date(2026, 11, 27))
    assert f.stale and f.expected_period == "2026M08"
    assert not check_period("2026M08", "month", date(2026, 11, 27)).stale
    assert not check_period("2026M10", "month", date(2026, 11, 27)).stale
    assert check_period("2025M12", "month", date(2026, 4, 1)).expected_period == "2026M01"


def test_yearly_series():
    assert check_period("2022", "year", date(2026, 11, 27)).stale
    assert not check_period("2024", "year", date(2026, 11, 27)).stale
    assert check_period("bad", "year", date(2026, 1, 1)) is None


def test_yrkesbarometern_releases():
    assert expected_release(date(2026, 11, 27)) == "2026-1"
    assert expected_release(date(2026, 3, 1)) == "2025-2"
    assert check_release("2025-2", date(2026, 11, 27)).stale
    assert not check_release("2026-1", date(2026, 11, 27)).stale
