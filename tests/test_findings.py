"""Slide headlines computed from a figure's data."""

import plotly.graph_objects as go

from atlas.findings import finding_from_figure


def test_line_finding_uses_first_and_last_points():
    fig = go.Figure([go.Scatter(x=["2020-01-01", "2021-01-01", "2022-01-01"], y=[5.25, None, 4.1], name="Dalarna")])
    assert finding_from_figure(fig, "sv", unit="%") == "Dalarna: 4,1 % (2022-01), jämfört med 5,3 % (2020-01)"
    assert finding_from_figure(fig, "en", unit="%") == "Dalarna: 4.1 % (2022-01), compared with 5.3 % (2020-01)"


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
