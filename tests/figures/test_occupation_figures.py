"""Yrkesbarometern charts: what is drawn equals the counts passed in, labels are in the UI language,
and the situation colours stay apart under simulated colour-vision deficiency."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from atlas import occupations as occ
from atlas.figures.occupations import (SITUATION_COLOURS, SITUATION_PATTERNS, build_area_chart,
                                       build_comparison_chart)
from atlas.i18n import t

LAN = "20"


@pytest.fixture(scope="module")
def df(outlook_20) -> pd.DataFrame:
    return outlook_20


def _area(df, lang="sv", **kw):
    return build_area_chart(occ.counts_by_area(df), lang=lang, region_name="Dalarnas län",
                            omgang=df["omgang"].iloc[0], as_of="x", **kw)


def test_area_chart_draws_the_counts(df):
    counts = occ.counts_by_area(df)
    spec = _area(df)
    fig = spec.figure
    assert [tr.name for tr in fig.data] == [occ.situation_label(c, "sv") for c in occ.SITUATION_CODES]
    for trace, code in zip(fig.data, occ.SITUATION_CODES):
        assert list(trace.y) == counts["yrkesomrade"].tolist()
        assert list(trace.x) == counts[code].tolist()
        assert trace.marker.color == SITUATION_COLOURS[code]
        assert trace.marker.pattern.shape == SITUATION_PATTERNS[code]
        # Every non-empty segment is labelled with its symbol and number.
        assert [s for s in trace.text if s] == [f"{occ.SITUATION_SYMBOLS[code]} {n}" for n in counts[code] if n]
    assert fig.layout.barmode == "stack" and fig.layout.separators == ", "
    assert spec.data.iloc[:, -1].tolist() == counts["total"].tolist()
    assert list(spec.data.columns) == ["Yrkesområde", "brist", "paradox", "balans", "överskott",
                                       "ingen bedömning", "Totalt"]
    assert spec.data.iloc[:, -1].sum() == len(df)
    top = counts.iloc[0]
    assert top["yrkesomrade"] in spec.alt_text and str(len(df)) in spec.alt_text
    assert df["omgang"].iloc[0] in spec.subtitle
    assert spec.source_ids == ["yrkesbarometer"]


def test_area_chart_draws_only_the_chosen_situations(df):
    shown = occ.filter_occupations(df, situations=["paradox"])
    spec = build_area_chart(occ.counts_by_area(shown), lang="en", region_name="Dalarna County", omgang="o",
                            as_of="x", situations=["paradox"], filter_note=" Selection: paradox.")
    assert [tr.name for tr in spec.figure.data] == [occ.situation_label("paradox", "en")]
    assert sum(spec.figure.data[0].x) == len(shown)
    assert list(spec.data.columns) == ["Occupational area", "paradox (hard to recruit despite job seekers)", "Total"]
    assert "None of the occupations shown is in shortage" in spec.alt_text
    assert spec.subtitle.endswith("Selection: paradox.")
    assert spec.figure.layout.separators == ".,"


def test_comparison_chart_draws_county_and_riket(df):
    cmp = occ.counts_county_vs_riket(df)
    spec = build_comparison_chart(cmp, lang="sv", region_name="Dalarnas län", riket_name="Riket",
                                  omgang="o", as_of="x")
    county, riket = spec.figure.data
    assert list(county.x) == cmp["county"].tolist() and list(riket.x) == cmp["riket"].tolist()
    assert (county.name, riket.name) == ("Dalarnas län", "Riket")
    assert riket.marker.pattern.shape and not county.marker.pattern.shape  # not colour alone
    assert list(county.y) == [occ.situation_label(c, "sv", short=True) for c in occ.SITUATION_CODES]
    assert spec.data["Dalarnas län"].tolist() == cmp["county"].tolist()
    brist = cmp.set_index("code").loc["brist"]
    assert spec.alt_text.startswith(t("kompetensbrist.chart_cmp_alt", "sv", county_brist=brist["county"],
                                      county_total=cmp["county"].sum(), riket_brist=brist["riket"],
                                      riket_total=cmp["riket"].sum(), region="Dalarnas län", parts="").strip())


# Machado, Oliveira & Fernandes (2009) matrices at full severity, applied to linear RGB.
_CVD = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(hex_colour: str, matrix: np.ndarray) -> np.ndarray:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(matrix @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(_CVD))
def test_situation_colours_stay_apart(vision):
    lab = {code: _lab(colour, _CVD[vision]) for code, colour in SITUATION_COLOURS.items()}
    for a, b in itertools.combinations(lab, 2):
        assert np.linalg.norm(lab[a] - lab[b]) >= 10, (vision, a, b)
