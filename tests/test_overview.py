"""Headline numbers of the overview page, computed from query results."""

import pandas as pd

from atlas.overview import asf_summary, headline, previous_year_period, situation_counts


def _latest(rows):
    return pd.DataFrame(rows, columns=["region_code", "period", "value", "source_id"])


def test_previous_year_period():
    assert previous_year_period("2026M04") == "2025M04"
    assert previous_year_period("2024") == "2023"
    assert previous_year_period("bad") is None


def test_headline_change_and_riket():
    latest = _latest([("20", "2026M04", 4.3, "bas_kommun"), ("00", "2026M04", 6.9, "bas_kommun")])
    series = pd.DataFrame({"region_code": ["20", "20"], "period": ["2025M04", "2026M04"], "value": [4.6, 4.3]})
    h = headline(latest, series, "20")
    assert (h.value, h.period, h.riket_value) == (4.3, "2026M04", 6.9)
    assert round(h.change_12m, 6) == -0.3 and h.previous_period == "2025M04"
    assert h.source_ids == ["bas_kommun"]


def test_headline_missing_stays_none():
    h = headline(_latest([("00", "2026M04", 6.9, "s")]), pd.DataFrame(columns=["region_code", "period", "value"]), "20")
    assert h.value is None and h.change_12m is None and h.riket_value == 6.9
    latest = _latest([("20", "2026M04", 4.3, "s")])
    h = headline(latest, pd.DataFrame({"region_code": ["20"], "period": ["2026M04"], "value": [4.3]}), "20")
    assert h.change_12m is None and h.previous_period is None


def test_situation_counts_uses_newest_release():
    counts = pd.DataFrame({"omgang": ["2025-1", "2025-2", "2025-2", "2025-2"],
                           "situation": ["brist", "brist", "paradox", None], "n": [5, 41, 20, 61]})
    sc = situation_counts(counts)
    assert sc == {"omgang": "2025-2", "brist": 41, "paradox": 20, "balans": 0, "överskott": 0,
                  "none": 61, "total": 122}
    assert situation_counts(counts.iloc[0:0]) == {}


def test_asf_summary_range_and_years():
    totals = pd.DataFrame({"n_asf": [19, 16, None, 20], "year": [2018, None, 2025, None]})
    assert asf_summary(totals) == {"n_min": 16, "n_max": 20, "statements": 3, "year_min": 2018, "year_max": 2025}
