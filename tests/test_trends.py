"""atlas.trends: the Trender page's defaults, choices and texts, on hand-built query rows."""

from __future__ import annotations

import pandas as pd

from atlas import trends
from atlas.i18n import t


def test_defaults():
    assert trends.default_indicator(["varsel", "arbetsloshet"]) == "arbetsloshet"
    assert trends.default_indicator(["varsel", "matchningsgrad"]) == "varsel"
    assert trends.default_regions(["01", "00", "20", "2080"], "20") == ["20", "00"]
    assert trends.default_regions(["2080", "2085"], "20") == ["2080"]  # neither the county nor Riket
    assert trends.default_regions([], "20") == []


def test_sexes_in_fixed_order_for_the_category():
    options = pd.DataFrame({"category": ["", "", "", "x"], "sex": ["M", "T", "K", "T"]})
    assert trends.sexes(options, "") == ["T", "K", "M"]
    assert trends.sexes(options, "x") == ["T"]
    assert trends.sexes(options, "nope") == []


def test_source_title_and_definition():
    sources = pd.DataFrame({"id": ["bas"], "title_sv": ["Arbetsmarknadsstatus"], "title_en": ["Labour market status"]})
    assert trends.source_title(sources, "bas", "en") == "Labour market status"
    assert trends.source_title(sources, "bas", "sv") == "Arbetsmarknadsstatus"
    assert trends.source_title(sources, "other", "sv") == "other"
    catalogue = pd.DataFrame({"definition_sv": ["Andel"], "definition_en": ["Share"]}, index=["arbetsloshet"])
    assert trends.definition(catalogue, "arbetsloshet", "en") == "Share"
    assert trends.definition(catalogue, "varsel", "sv") == ""


def test_birth_coverage_names_what_the_table_covers():
    rows = pd.DataFrame({"code": ["00", "20", "2080"], "level": ["riket", "lan", "kommun"],
                         "first_period": ["2020M01"] * 3, "last_period": ["2024M12", "2025M03", "2025M03"]})
    names = {"00": "Riket", "20": "Dalarnas län", "03": "Uppsala län", "2080": "Falun"}
    assert trends.birth_coverage(rows, lan="20", names=names, lang="sv") == t(
        "trender.birth_coverage", "sv", span="januari 2020–mars 2025", county="Dalarnas län")
    assert trends.birth_coverage(rows, lan="03", names=names, lang="sv") == t(
        "trender.birth_coverage_other", "sv", span="januari 2020–mars 2025", county="Uppsala län",
        available="Riket, Dalarnas län")


def test_varsel_years_and_the_industry_span():
    monthly = pd.DataFrame({"period": ["2008M01", "2008M02", "2011M05"]})
    industry = pd.DataFrame({"period": ["2010", "2011", "2012"]})
    assert trends.varsel_year_options(monthly, industry) == [2008, 2010, 2011, 2012]
    assert trends.months_in(monthly, 2008, 2009) and not trends.months_in(monthly, 2009, 2010)
    assert not trends.months_in(monthly.iloc[0:0], 2000, 2030)
    assert trends.industry_span(industry, 2008, 2011) == (2010, 2011)
    assert trends.industry_span(industry, 2013, 2015) is None
    assert trends.industry_span(industry.iloc[0:0], 2008, 2011) is None
    assert trends.industry_outside(industry, "sv") == t("trender.industry_outside_range", "sv", first=2010, last=2012)
    assert trends.industry_outside(industry.iloc[0:0], "sv") == t("trender.industry_outside_range", "sv",
                                                                  first="..", last="..")
