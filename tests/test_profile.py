"""Kommunprofil computations on small hand-built inputs: ordinals, the comparison table, the default
kommun, similarity (distances computed by hand) and the key-finding sentences (exact text)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from atlas.i18n import fmt_period, fmt_value, t
from atlas.profile import (
    change_sentence,
    comparison_table,
    default_kommun,
    extremes_sentence,
    key_findings,
    level_sentence,
    ordinal,
    rank_sentence,
    similar_kommuner,
    similarity_captions,
    similarity_table,
    source_ids,
)

NB = "\u00a0"  # fmt_value puts a no-break space before the unit
NAMES = {"K": "Exempelby", "L": "Exempellän", "00": "Riket"}


@pytest.mark.parametrize("n, sv, en", [
    (1, "1:a", "1st"), (2, "2:a", "2nd"), (3, "3:e", "3rd"), (4, "4:e", "4th"), (11, "11:e", "11th"),
    (12, "12:e", "12th"), (13, "13:e", "13th"), (21, "21:a", "21st"), (22, "22:a", "22nd"), (101, "101:a", "101st"),
])
def test_ordinal(n, sv, en):
    assert ordinal(n, "sv") == sv and ordinal(n, "en") == en


# --- comparison table ---------------------------------------------------------------------------

def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": ["rate_a", "count_b"],
        "label_sv": ["Andel A", "Antal B"], "label_en": ["Share A", "Count B"],
        "unit": ["procent", "antal"], "decimals": [1, 0], "period": ["2025M04", "2025M04"],
        "kommun_value": [5.25, 12345.0], "lan_value": [None, 99999.0], "riket_value": [4.0, None],
    })


def test_comparison_table_groups_and_formats():
    groups = comparison_table(_table(), lang="sv", kommun="Exempelby", county="Exempellän", riket="Riket")
    assert [g for g, _ in groups] == ["rates", "counts"]
    rates, counts = groups[0][1], groups[1][1]
    assert list(rates.columns) == ["Indikator", "Exempelby", "Exempellän", "Riket", "Period", "Enhet"]
    assert rates.iloc[0].tolist() == ["Andel A", f"5,3{NB}%", "..", f"4,0{NB}%", "april 2025", "procent"]
    assert counts.iloc[0].tolist() == ["Antal B", "12\u202f345", "99\u202f999", "..", "april 2025", "antal"]


def test_comparison_table_english_and_empty_group():
    groups = comparison_table(_table().iloc[:1], lang="en", kommun="K", county="L", riket="Sweden")
    assert [g for g, _ in groups] == ["rates"]
    assert groups[0][1].iloc[0].tolist() == ["Share A", f"5.3{NB}%", "..", f"4.0{NB}%", "April 2025", "per cent"]


def test_default_kommun_is_the_largest():
    values = pd.DataFrame({"region_code": ["A", "B", "C"], "value": [10.0, 30.0, float("nan")]})
    assert default_kommun(values, ["A", "B", "C"]) == "B"
    assert default_kommun(values, ["A", "C"]) == "A"  # only the kommuner offered count
    assert default_kommun(values.iloc[:0], ["C", "A"]) == "C"  # no data: first in the list
    assert default_kommun(values, []) is None


# --- similarity ---------------------------------------------------------------------------------

def _long(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"region_code": k, "indicator_id": i, "period": "2025M04", "value": v}
                         for k, vals in rows.items() for i, v in vals.items()])


def test_similarity_distances_by_hand():
    # x: 1, 2, 3, 6 -> mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5
    # y: 10, 10, 20, 20 -> mean 15, population SD 5, so z_y = -1, -1, 1, 1
    values = _long({"A": {"x": 1, "y": 10}, "B": {"x": 2, "y": 10}, "C": {"x": 3, "y": 20},
                    "D": {"x": 6, "y": 20}, "E": {"x": 2}})  # E lacks y: left out of the comparison
    sim = similar_kommuner(values, "A", ["x", "y"], n=5)
    # A vs B: only x differs by 1 -> sqrt(1 / 3.5); vs C: sqrt(2^2 / 3.5 + 2^2); vs D: sqrt(5^2 / 3.5 + 2^2)
    want = {"B": math.sqrt(1 / 3.5), "C": math.sqrt(4 / 3.5 + 4), "D": math.sqrt(25 / 3.5 + 4)}
    assert sim.ranking["region_code"].tolist() == ["B", "C", "D"]
    for code, dist in want.items():
        assert sim.ranking.set_index("region_code").loc[code, "distance"] == pytest.approx(dist)
    assert sim.ranking.set_index("region_code").loc["C", "x"] == 3  # raw values come along
    assert sim.target == {"x": 1.0, "y": 10.0}
    assert sim.compared == 4 and sim.period == "2025M04" and sim.constant == []


def test_similarity_top_n_excludes_target_and_breaks_ties_by_code():
    values = _long({"A": {"x": 0}, "C": {"x": 1}, "B": {"x": -1}, "D": {"x": 5}})
    sim = similar_kommuner(values, "A", ["x"], n=2)
    assert sim.ranking["region_code"].tolist() == ["B", "C"]  # equal distance: code order
    assert "A" not in sim.ranking["region_code"].tolist()


def test_similarity_constant_indicator_is_left_out():
    values = _long({"A": {"x": 1, "c": 7}, "B": {"x": 3, "c": 7}})
    sim = similar_kommuner(values, "A", ["x", "c"])
    assert sim.constant == ["c"]
    # x: mean 2, SD 1 -> z = -1, 1: distance 2
    assert sim.ranking["distance"].tolist() == [pytest.approx(2.0)]


def test_similarity_without_target_or_indicators_is_empty():
    values = _long({"A": {"x": 1}, "B": {"x": 3}})
    assert similar_kommuner(values, "Z", ["x"]).ranking.empty
    assert similar_kommuner(values, "A", []).ranking.empty
    assert similar_kommuner(values.iloc[:0], "A", ["x"]).ranking.empty



def _profile_rows() -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ["x", "c"], "label_sv": ["Ixa", "Ceta"], "label_en": ["Ex", "Cee"],
                         "unit": ["procent", "antal"], "decimals": [1, 0], "source_ids": ["s1,s2", "s2"]})


def test_similarity_table_and_captions_as_shown():
    values = _long({"A": {"x": 1, "c": 7}, "B": {"x": 3, "c": 7}, "C": {"x": 2.25, "c": 7}})
    sim = similar_kommuner(values, "A", ["x", "c"])
    names = {"A": "Avesta", "B": "Borlänge", "C": "Gävle", "20": "Dalarnas län", "21": "Gävleborgs län"}
    shown = similarity_table(sim, _profile_rows(), {"B": "20", "C": "21"}, names=names, county="Dalarnas län",
                             lang="sv")
    # one counted indicator (Ceta is the same everywhere): no "made of" column
    assert shown.columns.tolist() == [t("kommunprofil.col_rank", "sv"), t("kommunprofil.col_kommun", "sv"),
                                      t("kommunprofil.col_county", "sv"), t("kommunprofil.col_distance", "sv"),
                                      "Ixa", "Ceta"]
    assert shown.iloc[:, 1].tolist() == ["Gävle", "Borlänge"] and shown.iloc[:, 2].tolist() == ["Gävleborgs län",
                                                                                              "Dalarnas län"]
    assert shown["Ixa"].tolist() == [fmt_value(2.25, "procent", "sv", 1), fmt_value(3, "procent", "sv", 1)]
    # every kommun in the county: the county column says nothing and is left out
    same = similarity_table(sim, _profile_rows(), {"B": "20", "C": "20"}, names=names, county="Dalarnas län", lang="en")
    assert t("kommunprofil.col_county", "en") not in same.columns and "Ex" in same.columns
    reference, method = similarity_captions(sim, _profile_rows(), kommun="Avesta", lang="sv")
    assert reference == t("kommunprofil.similar_reference", "sv", kommun="Avesta", period=fmt_period("2025M04", "sv"),
                          values=f"Ixa: {fmt_value(1, 'procent', 'sv', 1)}; Ceta: {fmt_value(7, 'antal', 'sv', 0)}")
    assert method == (t("kommunprofil.similar_method", "sv", n=3, period=fmt_period("2025M04", "sv")) + " "
                      + t("kommunprofil.similar_weights_equal", "sv") + " "
                      + t("kommunprofil.similar_constant", "sv", labels="Ceta"))
    assert source_ids(_profile_rows()) == ["s1", "s2"]

def test_weighted_distance_and_what_it_is_made_of_by_hand():
    # x: 1, 3, 2 -> mean 2, SD sqrt(2/3); y: 10, 10, 16 -> mean 12, SD sqrt(8)
    values = _long({"A": {"x": 1, "y": 10}, "B": {"x": 3, "y": 10}, "C": {"x": 2, "y": 16}})
    sim = similar_kommuner(values, "A", ["x", "y"], weights={"x": 2, "y": 1})
    sd_x, sd_y = (2 / 3) ** 0.5, 8 ** 0.5
    b = 2 * (2 / sd_x) ** 2  # B differs from A in x only
    c = 2 * (1 / sd_x) ** 2 + (6 / sd_y) ** 2
    assert sim.ranking["region_code"].tolist() == ["C", "B"]
    assert sim.ranking["distance"].tolist() == pytest.approx([c ** 0.5, b ** 0.5])
    assert sim.shares["x"].tolist() == pytest.approx([2 * (1 / sd_x) ** 2 / c, 1.0])
    assert sim.shares["y"].tolist() == pytest.approx([(6 / sd_y) ** 2 / c, 0.0])
    shown = similarity_table(sim, _profile_rows().assign(indicator_id=["x", "y"]), {"B": "20", "C": "20"},
                             names={"B": "B", "C": "C"}, county="..", lang="en")
    made_of = shown[t("kommunprofil.col_made_of", "en")].tolist()
    assert c == pytest.approx(7.5)  # 2 * 1.5 + 4.5: y is 60 % of it, x 40 % (largest first)
    assert made_of == ["Cee 60 %, Ex 40 %", "Ex 100 %"]
    _, method = similarity_captions(sim, _profile_rows().assign(indicator_id=["x", "y"]), kommun="A", lang="en")
    assert t("kommunprofil.similar_weights", "en", weights="Ex 2; Cee 1") in method
    # weight 0: the indicator is shown but does not count
    zero = similar_kommuner(values, "A", ["x", "y"], weights={"x": 0, "y": 1})
    assert zero.ranking["region_code"].tolist() == ["B", "C"] and zero.ranking["distance"].iloc[0] == 0
    assert zero.ranking.columns.tolist() == ["region_code", "distance", "x", "y"]


# --- key findings -------------------------------------------------------------------------------

def _series(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_code", "period", "value"])


UNEMPLOYMENT = _series([
    ("K", "2024M04", 6.0), ("K", "2024M05", 7.5), ("K", "2024M06", 4.1), ("K", "2024M07", 7.5),
    ("K", "2025M04", 5.2), ("L", "2025M04", 4.4), ("00", "2025M04", 5.2),
])
EMPLOYMENT = _series([("K", "2024M04", 78.0), ("K", "2025M04", 78.0), ("L", "2025M04", None),
                      ("00", "2025M04", 80.5)])
COUNTY = pd.DataFrame({"region_code": ["K", "A", "B", "C"], "period": "2025M04", "value": [5.2, 3.0, 5.2, 6.1]})


def test_key_findings_swedish():
    got = key_findings(unemployment=UNEMPLOYMENT, employment=EMPLOYMENT, county_unemployment=COUNTY,
                       kommun="K", lan="L", names=NAMES, lang="sv")
    assert got == [
        f"Arbetslösheten i Exempelby var 5,2{NB}% i april 2025, 0,8 procentenheter högre än i Exempellän "
        f"(4,4{NB}%) och lika hög som i riket (5,2{NB}%).",
        "Exempelby hade den 2:a lägsta arbetslösheten av de 4 kommunerna i Exempellän i april 2025 "
        "(delad med 1 annan kommun).",
        f"Jämfört med april 2024 har arbetslösheten i Exempelby minskat med 0,8 procentenheter, från "
        f"6,0{NB}% till 5,2{NB}%.",
        f"Sedan april 2024 var arbetslösheten i Exempelby som högst 7,5{NB}% (senast juli 2024) och som "
        f"lägst 4,1{NB}% (juni 2024).",
        f"Sysselsättningsgraden i Exempelby var 78,0{NB}% i april 2025, 2,5 procentenheter lägre än i "
        f"riket (80,5{NB}%).",
        f"Jämfört med april 2024 är sysselsättningsgraden i Exempelby oförändrad: 78,0{NB}%.",
    ]


def test_key_findings_english():
    got = key_findings(unemployment=UNEMPLOYMENT, employment=EMPLOYMENT, county_unemployment=COUNTY,
                       kommun="K", lan="L", names=NAMES, lang="en")
    assert got == [
        f"Unemployment in Exempelby was 5.2{NB}% in April 2025, 0.8 percentage points higher than in "
        f"Exempellän (4.4{NB}%) and the same as in Sweden as a whole (5.2{NB}%).",
        "Exempelby had the 2nd lowest unemployment of the 4 municipalities in Exempellän in April 2025 "
        "(tied with 1 other municipality).",
        f"Compared with April 2024, unemployment in Exempelby has fallen by 0.8 percentage points, from "
        f"6.0{NB}% to 5.2{NB}%.",
        f"Since April 2024, unemployment in Exempelby was highest at 7.5{NB}% (most recently July 2024) "
        f"and lowest at 4.1{NB}% (June 2024).",
        f"The employment rate in Exempelby was 78.0{NB}% in April 2025, 2.5 percentage points lower than "
        f"in Sweden as a whole (80.5{NB}%).",
        f"Compared with April 2024, the employment rate in Exempelby is unchanged at 78.0{NB}%.",
    ]


def test_gaps_are_computed_from_unrounded_values():
    """As Översikt's 12-month change and the findings (atlas.periods): 5.25 - 4.14 = 1.11 is stated as
    1,1, though the values are shown as 5,3 and 4,1 (the page's caption says so). Before, Kommunprofil
    alone rounded first and said 1,2 where Översikt said 1,1."""
    series = _series([("K", "2025M04", 5.25), ("L", "2025M04", 4.14)])
    assert level_sentence(series, "arbetsloshet", kommun="K", lan="L", names=NAMES, lang="sv") == (
        f"Arbetslösheten i Exempelby var 5,3{NB}% i april 2025, 1,1 procentenheter högre än i "
        f"Exempellän (4,1{NB}%).")
    up = _series([("K", "2024M04", 4.14), ("K", "2025M04", 5.25)])
    assert change_sentence(up, "arbetsloshet", kommun="K", names=NAMES, lang="en") == (
        f"Compared with April 2024, unemployment in Exempelby has risen by 1.1 percentage points, from "
        f"4.1{NB}% to 5.3{NB}%.")
    flat = _series([("K", "2024M04", 5.21), ("K", "2025M04", 5.24)])  # +0.03 rounds to 0.0: unchanged
    assert "unchanged" in change_sentence(flat, "arbetsloshet", kommun="K", names=NAMES, lang="en")


def test_level_without_comparisons():
    series = _series([("K", "2025M04", 5.2)])
    assert level_sentence(series, "arbetsloshet", kommun="K", lan="L", names=NAMES, lang="sv") == (
        f"Arbetslösheten i Exempelby var 5,2{NB}% i april 2025.")


@pytest.mark.parametrize("values, lang, want", [
    ([6.1, 3.0, 5.2, 4.0], "sv", "Exempelby hade den högsta arbetslösheten av de 4 kommunerna i Exempellän i april 2025."),
    ([5.2, 3.0, 6.1, 4.0], "en", "Exempelby had the 2nd highest unemployment of the 4 municipalities in Exempellän in April 2025."),
    ([3.0, 3.0, 3.0, 4.0], "en", "Exempelby had the lowest unemployment of the 4 municipalities in Exempellän in April 2025 "
                                 "(tied with 2 other municipalities)."),
])
def test_rank_counts_from_the_nearer_end(values, lang, want):
    county = pd.DataFrame({"region_code": ["K", "A", "B", "C"], "period": "2025M04", "value": values})
    assert rank_sentence(county, "arbetsloshet", kommun="K", lan="L", names=NAMES, lang=lang) == want


def test_missing_data_gives_no_sentence():
    empty = _series([])
    assert key_findings(unemployment=empty, employment=empty, county_unemployment=COUNTY.iloc[:0],
                        kommun="K", lan="L", names=NAMES, lang="sv") == []
    one = _series([("K", "2025M04", 5.2)])
    assert change_sentence(one, "arbetsloshet", kommun="K", names=NAMES, lang="sv") is None
    assert extremes_sentence(one, "arbetsloshet", kommun="K", names=NAMES, lang="sv") is None
    county = pd.DataFrame({"region_code": ["A", "K"], "period": "2025M04", "value": [3.0, None]})
    assert rank_sentence(county, "arbetsloshet", kommun="K", lan="L", names=NAMES, lang="sv") is None
