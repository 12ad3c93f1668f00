"""Slide headlines computed from a figure's data."""

import plotly.graph_objects as go

from atlas.findings import finding_from_figure


def test_line_finding_labels_years_as_years_and_months_as_months():
    """A yearly series was labelled as its first month ("4,7 % (2022-01)" for 2022)."""
    fig = go.Figure([go.Scatter(x=["2020-01-01", "2021-01-01", "2022-01-01"], y=[5.25, None, 4.1], name="Dalarna")])
    assert finding_from_figure(fig, "sv", unit="%") == "Dalarna: 4,1 % (2022), jämfört med 5,3 % (2020)"
    assert finding_from_figure(fig, "en", unit="%", yearly=True) == "Dalarna: 4.1 % (2022), compared with 5.3 % (2020)"
    monthly = go.Figure([go.Scatter(x=["2025-04-01", "2026-01-01", "2026-04-01"], y=[4.4, 4.0, 4.1], name="X")])
    assert finding_from_figure(monthly, "sv", unit="%") == "X: 4,1 % (april 2026), jämfört med 4,4 % (april 2025)"
    # January only, but a monthly series: the caller says so
    jan = go.Figure([go.Scatter(x=["2025-01-01", "2026-01-01"], y=[1.0, 2.0], name="X")])
    assert finding_from_figure(jan, "en", yearly=False) == "X: 2.0 (January 2026), compared with 1.0 (January 2025)"


def test_line_finding_never_compares_across_a_series_break():
    """etablering: a new definition from 2019, so 2021 is compared with 2019, not with 2010."""
    years = [f"{y}-01-01" for y in range(2010, 2022)]
    fig = go.Figure([go.Scatter(x=years, y=[40.0 + i for i in range(12)], name="Dalarnas län")])
    assert finding_from_figure(fig, "sv", unit="%", yearly=True, breaks="2019") == (
        "Dalarnas län: 51,0 % (2021), jämfört med 49,0 % (2019, första värdet efter tidsseriebrottet 2019)")
    assert "2010" not in finding_from_figure(fig, "en", unit="%", yearly=True, breaks=["2019"])
    only_one_after = go.Figure([go.Scatter(x=years[:10], y=list(range(10)), name="X")])  # 2010..2019
    assert finding_from_figure(only_one_after, "sv", yearly=True, breaks="2019") == ""


def test_bar_and_map_findings_name_highest_and_lowest():
    bar = go.Figure([go.Bar(y=["Falun", "Mora", "Avesta"], x=[4.0, 2.5, 6.0], orientation="h")])
    assert finding_from_figure(bar, "sv", unit="%") == "Högst i Avesta (6,0 %), lägst i Mora (2,5 %)"
    m = go.Figure([go.Choroplethmap(locations=["2080", "2062"], z=[3.0, None], text=["Falun", "Mora"])])
    assert finding_from_figure(m, "sv") == ""  # one value is not a comparison


def test_empty_and_unknown_figures():
    assert finding_from_figure(go.Figure(), "sv") == ""
    assert finding_from_figure(go.Figure(go.Pie(values=[1, 2])), "sv") == ""


def test_series_finding_rates_counts_and_gaps():
    import pandas as pd

    from atlas.findings import series_finding

    rate = pd.DataFrame({"period": ["2025M04", "2026M03", "2026M04"], "value": [4.4, 4.2, 4.1]})
    assert series_finding(rate, region_name="Dalarnas län", unit="procent", decimals=1, lang="sv") == \
        "Dalarnas län: 4,1\u00a0% i april 2026 (\u22120,3 procentenheter jämfört med april 2025)."
    counts = pd.DataFrame({"period": ["2023", "2024"], "value": [1000.0, 1050.0]})
    assert series_finding(counts, region_name="Dalarna", unit="antal", decimals=0, lang="en") == \
        "Dalarna: 1,050 in 2024 (+5.0 % compared with 2023)."
    lone = pd.DataFrame({"period": ["2024", "2025"], "value": [None, 3.0]})
    assert series_finding(lone, region_name="X", unit="procent", decimals=1, lang="sv") == "X: 3,0\u00a0% år 2025."
    assert series_finding(lone.iloc[0:0], region_name="X", unit="procent", decimals=1, lang="sv") == ""


def test_series_finding_does_not_compute_a_change_across_a_break():
    import pandas as pd

    from atlas.findings import series_finding

    rate = pd.DataFrame({"period": ["2017", "2018", "2019"], "value": [78.0, 78.4, 80.1]})
    assert series_finding(rate, region_name="Dalarna", unit="procent", decimals=1, lang="sv", breaks="2019") == \
        "Dalarna: 80,1\u00a0% år 2019 (ingen jämförelse med 2018: tidsseriebrott 2019)."
    after = pd.DataFrame({"period": ["2019", "2020"], "value": [80.1, 79.0]})
    assert "jämfört med 2019" in series_finding(after, region_name="D", unit="procent", decimals=1, lang="sv",
                                                breaks="2019")
    monthly = pd.DataFrame({"period": ["2018M12", "2019M12"], "value": [1.0, 2.0]})
    assert "series break in 2019" in series_finding(monthly, region_name="D", unit="procent", decimals=1,
                                                    lang="en", breaks="2019")


def test_break_helpers():
    from atlas.periods import break_periods, crosses_break, segment_start

    assert break_periods("2019, 2021") == ["2019", "2021"] and break_periods(float("nan")) == []
    assert break_periods(None) == [] and break_periods("") == []
    assert crosses_break("2018", "2019", "2019") == "2019" and crosses_break("2019", "2020", "2019") is None
    assert crosses_break("2018M12", "2019M01", "2019") == "2019" and crosses_break("2010", "2018", "2019") is None
    assert segment_start("2021", "2019") == "2019" and segment_start("2018", "2019") is None
    assert segment_start("2019M03", "2019") == "2019"


def test_catalogue_breaks_are_where_the_source_states_them(mirror):
    """indicators.yml names a break only with the source's own words and where they are; the quote
    of a mirrored file is in that file; every definition that mentions a break has one."""
    import yaml

    from atlas import CURATED_DIR

    entries = yaml.safe_load((CURATED_DIR / "indicators.yml").read_text(encoding="utf-8"))
    with_breaks = {e["id"]: e["series_breaks"] for e in entries if e.get("series_breaks")}
    assert set(with_breaks) == {"forvarvsfrekvens_20_64", "etablering_forvarvsarbetande"}
    for e in entries:
        mentions = "tidsseriebrott" in e["definition_sv"]
        assert mentions == (e["id"] in with_breaks), e["id"]
        for brk in e.get("series_breaks") or []:
            assert str(brk["period"]).isdigit() and brk["quote"] and brk["source_url"].startswith("https://")
            if "raw.githubusercontent.com" in brk["source_url"]:
                local = mirror / brk["source_url"].split("://", 1)[1]
                assert brk["quote"] in local.read_text(encoding="utf-8")[:2000]


def test_trend_finding_of_etablering_in_the_database(built_db):
    """End to end: the catalogue's break reaches the chart's sentences (2010 vs 2021 was written)."""
    from atlas import db
    from atlas.figures.lines import trend_spec

    con = db.connect(built_db)
    cat = db.run("trend_catalogue", con=con).set_index("id", drop=False)
    row = cat.loc["etablering_forvarvsarbetande"].to_dict()
    assert row["series_breaks"] == "2019"
    series = db.run("series", con=con, indicator="etablering_forvarvsarbetande", regions=["20"], sex="T",
                    category="vistelsetid 10- år")
    spec = trend_spec(series, row, lang="sv", key="x")
    assert "(2019, första värdet efter tidsseriebrottet 2019)" in spec.alt_text
    assert "2010" not in spec.alt_text and "-01)" not in spec.alt_text
