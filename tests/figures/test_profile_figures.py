"""The Kommunprofil trend builder on a small hand-built series: three lines, gaps kept as gaps,
Riket dotted grey, text in the UI language."""

from __future__ import annotations

import math

import pandas as pd

from atlas.figures.palette import REGION_ROLE
from atlas.figures.profile import build_profile_trend

NAMES = {"K": "Exempelby", "L": "Exempellän", "00": "Riket"}
INDICATOR = {"id": "arbetsloshet", "label_sv": "Arbetslöshet", "label_en": "Unemployment", "unit": "procent",
             "decimals": 1, "frequency": "month", "definition_sv": "Definition.", "definition_en": "Definition."}


def _series(rows):
    df = pd.DataFrame(rows, columns=["region_code", "period", "value"])
    df["period_date"] = pd.to_datetime(df["period"].str.replace("M", "-") + "-01")
    df["region_name"] = df["region_name_en"] = df["region_code"].map(NAMES)
    df["source_id"] = "src"
    return df


SERIES = _series([
    ("K", "2025M01", 5.0), ("K", "2025M02", 6.5), ("K", "2025M03", 4.5),
    ("L", "2025M01", 4.0), ("L", "2025M03", 4.2),  # February missing for the county
    ("00", "2025M01", 6.0), ("00", "2025M02", 6.1), ("00", "2025M03", 6.2),
])


def _y(trace) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in trace.y]


def test_three_lines_with_gaps_and_riket_dotted_grey():
    spec = build_profile_trend(SERIES, lang="sv", indicator=INDICATOR, kommun="K", lan="L", names=NAMES)
    traces = spec.figure.data
    assert [t.name for t in traces] == ["Exempelby", "Exempellän", "Riket"]
    assert _y(traces[0]) == [5.0, 6.5, 4.5]
    assert _y(traces[1]) == [4.0, None, 4.2]  # a gap, never zero
    assert _y(traces[2]) == [6.0, 6.1, 6.2]
    assert traces[2].line.dash == "dot" and traces[2].line.color == REGION_ROLE["riket"]
    assert traces[0].connectgaps is False


def test_text_unit_period_and_data_table():
    spec = build_profile_trend(SERIES, lang="sv", indicator=INDICATOR, kommun="K", lan="L", names=NAMES)
    assert spec.title == "Arbetslöshet: Exempelby, Exempellän och riket"
    assert spec.subtitle.startswith("Procent, månadsvärden januari 2025–mars 2025")
    assert spec.as_of == "mars 2025"
    assert spec.alt_text == (
        "Arbetslöshet, mars 2025: Exempelby 4,5\u00a0%, Exempellän 4,2\u00a0%, Riket 6,2\u00a0%. "
        "För Exempelby var det högsta värdet under perioden 6,5\u00a0% (februari 2025) och det lägsta "
        "4,5\u00a0% (mars 2025). Antal saknade värden: 1; linjen är bruten där.")
    assert list(spec.data.columns) == ["Period", "Exempelby", "Exempellän", "Riket"]
    assert spec.data["Period"].tolist() == ["januari 2025", "februari 2025", "mars 2025"]
    assert spec.data["Exempelby"].tolist() == [5.0, 6.5, 4.5]
    assert pd.isna(spec.data["Exempellän"].iloc[1])
    assert spec.source_ids == ["src"]
    assert spec.figure.layout.separators == ", "
    assert spec.figure.layout.yaxis.title.text == "Procent"


def test_english_and_axis_range():
    spec = build_profile_trend(SERIES, lang="en", indicator=INDICATOR, kommun="K", lan="L", names=NAMES)
    assert spec.title == "Unemployment: Exempelby, Exempellän and Sweden"
    assert spec.subtitle.startswith("Per cent, monthly values January 2025–March 2025")
    assert spec.figure.layout.separators == ".,"
    # All values above half the maximum: the axis is not forced to zero, so differences stay visible.
    assert spec.figure.layout.yaxis.rangemode == "normal"
    low = SERIES.assign(value=SERIES["value"].where(SERIES["period"] != "2025M03", 0.5))
    assert build_profile_trend(low, lang="en", indicator=INDICATOR, kommun="K", lan="L",
                               names=NAMES).figure.layout.yaxis.rangemode == "tozero"


def test_no_kommun_values_gives_none():
    assert build_profile_trend(SERIES[SERIES["region_code"] != "K"], lang="sv", indicator=INDICATOR,
                               kommun="K", lan="L", names=NAMES) is None
