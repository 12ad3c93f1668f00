"""Matchning chart: what is drawn equals the counts passed in, text follows the language, and the
two colours stay apart under simulated colour-vision deficiency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from atlas import db
from atlas import matching as mt
from atlas.figures.matching import COLOURS, PATTERNS, build_coverage_chart, level_label
from atlas.i18n import t
from tests.figures.test_occupation_figures import _CVD, _lab


@pytest.fixture(scope="module")
def counts(built_db) -> pd.DataFrame:
    con = db.connect(built_db)
    omgang = db.run("match_release", con=con, region="20")["omgang"].iloc[0]
    occupations = db.run("match_occupations", con=con, region="20", omgang=omgang)
    short = mt.shortage_occupations(occupations, mt.load_requirements())
    return mt.coverage_counts(short, mt.active_mapping(mt.load_mapping(), db.run("match_asf", con=con)))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_chart_draws_the_counts(counts, lang):
    spec = build_coverage_chart(counts, lang=lang, region_name="Dalarnas län", omgang="2025-2", as_of="x")
    covered, not_covered = spec.figure.data
    labels = [level_label(lv, lang) for lv in counts["entry_level"]]
    assert list(covered.y) == labels == list(not_covered.y)
    assert list(covered.x) == counts["covered"].tolist()
    assert list(not_covered.x) == counts["not_covered"].tolist()
    assert t("matchning.chart_covered", lang) in covered.name
    assert spec.data[t("matchning.chart_total", lang)].tolist() == counts["total"].tolist()
    assert "2025-2" in spec.subtitle
    levelled = build_coverage_chart(counts, lang=lang, region_name="Dalarnas län", omgang="2025-2", as_of="x",
                                    levels={"lan": 3, "nationellt_delvis": 41})
    assert t("kompetensbrist.level.nationellt_delvis", lang) + ": 41" in levelled.subtitle
    assert f"{int(counts['total'].sum())}" in spec.alt_text
    assert spec.figure.layout.separators == (", " if lang == "sv" else ".,")
    assert {"yrkesbarometer", "curated_asf"} == set(spec.source_ids)


def test_chart_with_no_occupations_says_so():
    empty = mt.coverage_counts(mt.shortage_occupations(pd.DataFrame(
        columns=["yb_concept_id", "yb_yrke", "yrkesomrade", "ssyk", "situation", "hogsta_bedomningsniva",
                 "delvis_helt"]), pd.DataFrame(columns=mt.REQUIREMENT_COLUMNS)),
        pd.DataFrame(columns=mt.MAPPING_COLUMNS))
    spec = build_coverage_chart(empty, lang="sv", region_name="Dalarnas län", omgang="2025-2", as_of="x")
    assert spec.alt_text == t("matchning.chart_alt_none", "sv", region="Dalarnas län")
    assert spec.data[t("matchning.chart_total", "sv")].sum() == 0


@pytest.mark.parametrize("vision", list(_CVD))
def test_colours_stay_apart(vision):
    a, b = (_lab(COLOURS[p], _CVD[vision]) for p in ("covered", "not_covered"))
    assert np.linalg.norm(a - b) >= 20
    assert PATTERNS["covered"] != PATTERNS["not_covered"]  # and a hatch, not colour alone
