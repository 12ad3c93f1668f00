"""Own comparison groups (atlas.groups): the aggregate against a hand computation, the ratios
against SCB's own county rates, the mean and sum, gaps, and bad members."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import db
from atlas.groups import GROUP_CODE, RATIOS, aggregate, clean_name, method_text, needed_indicators, parse_members


def _rows(data: dict[tuple[str, str], dict[str, float | None]]) -> pd.DataFrame:
    """{(indicator, region): {period: value}} -> group_values-shaped rows."""
    out = []
    for (ind, reg), values in data.items():
        for period, v in values.items():
            out.append({"indicator_id": ind, "region_code": reg, "period": period,
                        "period_date": pd.Timestamp(f"{period[:4]}-{period[5:]}-01"), "value": v, "source_id": "s"})
    return pd.DataFrame(out)


def test_rate_recomputed_from_counts_by_hand():
    values = _rows({
        ("arbetslosa", "A"): {"2026M03": 100, "2026M04": 90}, ("arbetskraften", "A"): {"2026M03": 1000, "2026M04": 1000},
        ("arbetslosa", "B"): {"2026M03": 300, "2026M04": None}, ("arbetskraften", "B"): {"2026M03": 2000, "2026M04": 2000},
        ("arbetsloshet", "A"): {"2026M03": 10.0, "2026M04": 9.0}, ("arbetsloshet", "B"): {"2026M03": 15.0, "2026M04": 14.0},
    })
    g = aggregate(values, indicator="arbetsloshet", unit="procent", members=["A", "B"])
    assert g.method == "counts" and g.counts == (("arbetslosa",), ("arbetskraften",))
    assert g.rows["period"].tolist() == ["2026M03", "2026M04"]
    # (100 + 300) / (1000 + 2000): not the mean of 10 % and 15 % (12.5 %)
    assert g.rows["value"].iloc[0] == pytest.approx(100 * 400 / 3000)
    assert pd.isna(g.rows["value"].iloc[1])  # B's count is missing: a gap, never a partial sum
    assert g.incomplete == 1 and g.missing == [] and set(g.rows["region_code"]) == {GROUP_CODE}


def test_mean_where_there_are_no_counts_and_sum_for_counts():
    values = _rows({("forvarvsfrekvens_20_64", "A"): {"2021M01": 70.0}, ("forvarvsfrekvens_20_64", "B"): {"2021M01": 80.0},
                    ("sysselsatta", "A"): {"2021M01": 10.0}, ("sysselsatta", "B"): {"2021M01": 5.0}})
    mean = aggregate(values, indicator="forvarvsfrekvens_20_64", unit="procent", members=["A", "B"])
    assert mean.method == "mean" and mean.rows["value"].tolist() == [75.0]
    total = aggregate(values, indicator="sysselsatta", unit="antal", members=["A", "B"])
    assert total.method == "sum" and total.rows["value"].tolist() == [15.0]


def test_rate_without_counts_for_the_breakdown_falls_back_to_the_mean():
    values = _rows({("arbetsloshet", "A"): {"2022M12": 11.2}, ("arbetsloshet", "B"): {"2022M12": 19.3}})
    g = aggregate(values, indicator="arbetsloshet", unit="procent", members=["A", "B"])
    assert g.method == "mean" and g.rows["value"].tolist() == [pytest.approx(15.25)]
    text = method_text(g, name="G", members=["A", "B"], indicator_label="Arbetslöshet", labels={},
                       names={"A": "Avesta", "B": "Borlänge"}, lang="sv")
    assert text.startswith("G (2 kommuner: Avesta, Borlänge)") and "ovägt medelvärde" in text


def test_member_without_data_is_named_and_the_group_has_no_value():
    values = _rows({("arbetsloshet", "A"): {"2022M12": 11.2}})
    g = aggregate(values, indicator="arbetsloshet", unit="procent", members=["A", "B"])
    assert g.missing == ["B"] and g.rows["value"].isna().all()


def test_group_of_dalarnas_kommuner_gives_the_county_rate(built_db):
    """Hand check on the real data: the 15 kommuner of Dalarna as a group must give Dalarna's own
    published rates (SCB publishes one decimal; the county's counts can differ from the kommuner's
    sum by a few people, so a value near x.x5 may round the other way: within 0.07 every month, and
    equal when rounded in at least 90 % of them), and Ludvika + Avesta their summed counts' rate."""
    con = db.connect(built_db)
    kommuner = db.run("regions", con=con, lan="20").query("level == 'kommun'")["code"].tolist()
    assert len(kommuner) == 15
    for ind in ("arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"):
        values = db.run("group_values", con=con, indicators=needed_indicators(ind), regions=kommuner, sex="T", category="")
        g = aggregate(values, indicator=ind, unit="procent", members=kommuner)
        county = db.run("series", con=con, indicator=ind, regions=["20"], sex="T", category="").set_index("period")["value"]
        mine = g.rows.set_index("period")["value"].dropna()
        common = mine.index.intersection(county.index)
        assert g.method == "counts" and len(common) >= 70
        assert (mine[common] - county[common]).abs().max() < 0.07, ind
        assert (mine[common].round(1) == county[common]).mean() >= 0.9, ind

    pair = db.run("group_values", con=con, indicators=needed_indicators("arbetsloshet"), regions=["2085", "2084"],
                  sex="T", category="")
    at = pair[pair["period"] == "2026M04"].set_index(["indicator_id", "region_code"])["value"]
    by_hand = 100 * (at["arbetslosa", "2085"] + at["arbetslosa", "2084"]) / (
        at["arbetskraften", "2085"] + at["arbetskraften", "2084"])
    g = aggregate(pair, indicator="arbetsloshet", unit="procent", members=["2085", "2084"])
    assert g.rows.set_index("period")["value"]["2026M04"] == pytest.approx(by_hand)


def test_every_ratio_names_counts_the_catalogue_has():
    import yaml

    from atlas import ROOT

    ids = {e["id"] for e in yaml.safe_load((ROOT / "data/curated/indicators.yml").read_text(encoding="utf-8"))}
    for rate, (num, den) in RATIOS.items():
        assert rate in ids and set(num) | set(den) <= ids, rate


def test_members_from_a_link():
    regions = pd.DataFrame({"code": ["00", "20", "2080", "2085", "0180"], "level": ["riket", "lan", "kommun", "kommun", "kommun"]})
    parsed = parse_members("2085,20,,9999,2080,2085,00", regions, ["2080", "2085"])
    assert parsed.kommuner == ["2085", "2080"] and parsed.other_level == ["20", "00"] and parsed.unknown == ["9999"]
    assert parse_members(None, regions, ["2080"]).kommuner == []


@pytest.mark.parametrize("raw,expected", [
    ("  Bergslagen  ", "Bergslagen"), ("<b>x</b> & y", "b x /b y"), ("a\nb\u202ec", "a b c"), ("", "Egen grupp"),
    ("x" * 90, "x" * 40)])
def test_group_name_is_plain_bounded_text(raw, expected):
    assert clean_name(raw, "sv") == expected
