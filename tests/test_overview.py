"""Headline numbers of the overview page, computed from query results."""

import pandas as pd

from atlas.overview import asf_summary, headline, previous_year_period, shortage_levels, situation_counts


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


def test_asf_summary_keeps_dated_and_undated_statements_apart():
    """The key figure's range and its years come from dated statements only; an undated "ett
    20-tal" (approximately 20) is listed apart, marked approximate, never the top of the range."""
    totals = pd.DataFrame({"n_asf": [19, 16, None, 20, 16, 16], "year": [2018, 2017, 2025, None, None, 2025],
                           "n_asf_approx": ["false", "true", "false", "true", "false", "false"]})
    got = asf_summary(totals)
    assert got["dated"] == {"n": 3, "low": 16, "high": 19, "low_approx": False, "high_approx": False,
                            "year_min": 2017, "year_max": 2025}
    assert got["undated"] == [(16, False), (20, True)]
    only_approx = asf_summary(pd.DataFrame({"n_asf": [16, 20], "year": [2017, 2020], "n_asf_approx": ["true", "true"]}))
    assert (only_approx["dated"]["low_approx"], only_approx["dated"]["high_approx"]) == (True, True)
    none = asf_summary(pd.DataFrame({"n_asf": [20], "year": [None], "n_asf_approx": ["true"]}))
    assert none["dated"]["n"] == 0 and none["dated"]["low"] is None and none["undated"] == [(20, True)]


def test_asf_summary_on_the_committed_statements(built_db):
    from atlas import db

    got = asf_summary(db.run("asf_county_statements", con=db.connect(built_db)))
    assert got["dated"] == {"n": 3, "low": 16, "high": 19, "low_approx": False, "high_approx": False,
                            "year_min": 2017, "year_max": 2025}
    assert got["undated"] == [(16, False), (16, False), (20, True)]


def test_approx_range_marks_each_approximate_end():
    from atlas.asf import approx_range

    assert approx_range(16, False, 19, False, "sv") == "16\u201319"
    assert approx_range(16, True, 20, True, "sv") == "ca 16\u201320"
    assert approx_range(16, False, 20, True, "en") == "16 \u2013 approx. 20"
    assert approx_range(20, True, 20, True, "en") == "approx. 20"
    assert approx_range(None, False, 3, False, "sv") == ".."


def test_shortage_levels_counts_the_newest_release_per_level():
    levels = pd.DataFrame({"omgang": ["2025-1", "2025-2", "2025-2", "2025-2", "2025-2"],
                           "situation": ["brist", "brist", "paradox", "brist", "paradox"],
                           "hogsta_bedomningsniva": ["län", "nationellt", "nationellt", "län", "nuts1"],
                           "delvis_helt": ["helt", "delvis", "delvis", "helt", "delvis"], "n": [9, 30, 11, 2, 13]})
    assert shortage_levels(levels) == {"omgang": "2025-2",
                                       "counts": {"lan": 2, "nuts1_delvis": 13, "nationellt_delvis": 41}}
    assert shortage_levels(levels.iloc[0:0]) == {}
