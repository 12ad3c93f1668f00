"""Pure helpers of the ASF page: search, filters, number texts, statements in long form, coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import asf
from atlas.i18n import MISSING, t


def _register() -> pd.DataFrame:
    return pd.DataFrame({
        "asf_id": ["a", "b", "c", "d"],
        "name": ["Alfa Kooperativ", "Beta AB", "Gamma", "Delta"],
        "kommun_code": ["2085", "", None, "2080"],
        "kommun_name": ["Ludvika", None, None, "Falun"],
        "kommun_name_en": ["Ludvika", None, None, "Falun"],
        "town": ["Grängesberg", "", None, ""],
        "line_of_business_sv": ["Återbruk", "Café", "", None],
        "line_of_business_en": ["Re-use", "Café", "", None],
        "asf_status_note": ["", "ASF-status anges inte i källan", None, ""],
        "year_of_statement": pd.array([2017, None, 2022, None], dtype="Int64"),
    })


@pytest.mark.parametrize("raw, ok", [
    ("", True), ("koopus", True), ("x" * asf.MAX_SEARCH, True), ("x' OR 1=1 --", True),
    ("x" * (asf.MAX_SEARCH + 1), False), ("a\nb", False), ("a\x00b", False), (None, False), (["a"], False),
])
def test_valid_search(raw, ok):
    assert asf.valid_search(raw) is ok


def test_filter_by_search_is_plain_case_insensitive_substring():
    reg = _register()
    assert asf.filter_register(reg, q="KOOP")["asf_id"].tolist() == ["a"]
    assert asf.filter_register(reg, q="grängesberg")["asf_id"].tolist() == ["a"]  # town
    assert asf.filter_register(reg, q="ludvika")["asf_id"].tolist() == ["a"]  # kommun name
    assert asf.filter_register(reg, q="återbruk", lang="sv")["asf_id"].tolist() == ["a"]
    assert asf.filter_register(reg, q="re-use", lang="en")["asf_id"].tolist() == ["a"]
    assert asf.filter_register(reg, q="re-use", lang="sv").empty
    assert asf.filter_register(reg, q=".*").empty  # not a regular expression
    assert asf.filter_register(reg, q="  ")["asf_id"].tolist() == ["a", "b", "c", "d"]


def test_filter_by_kommun_keeps_unknown_apart():
    reg = _register()
    assert asf.filter_register(reg, kommuner=[asf.UNKNOWN])["asf_id"].tolist() == ["b", "c"]
    assert asf.filter_register(reg, kommuner=["2085", asf.UNKNOWN])["asf_id"].tolist() == ["a", "b", "c"]
    assert asf.filter_register(reg, kommuner=[])["asf_id"].tolist() == ["a", "b", "c", "d"]
    assert asf.filter_register(reg, q="beta", kommuner=["2085"]).empty


def test_kommun_key_and_label():
    assert asf.kommun_key("2085") == "2085"
    assert [asf.kommun_key(v) for v in ("", "  ", None, float("nan"))] == [asf.UNKNOWN] * 4
    reg = _register()
    assert asf.kommun_label(reg.iloc[0], "sv") == "Ludvika"
    assert asf.kommun_label(reg.iloc[1], "sv") == t("sociala_foretag.unknown_short", "sv")
    assert asf.kommun_label(reg.iloc[1], "en") == t("sociala_foretag.unknown_short", "en")


def _fact(**kw) -> pd.Series:
    base = {"value": None, "value_low": None, "value_high": None, "value_nominal": "", "approx": "false"}
    return pd.Series({**base, **kw})


@pytest.mark.parametrize("fact, lang, want", [
    (_fact(value=16.0, value_low=16.0, value_high=16.0, value_nominal="16"), "sv", "16"),
    (_fact(value_low=12.0, value_high=15.0), "sv", "12\u201315"),
    (_fact(value_low=40.0, value_nominal="40", approx="true"), "sv", "minst 40"),
    (_fact(value_low=40.0, value_nominal="40", approx="true"), "en", "at least 40"),
    (_fact(value_nominal="50", approx="true"), "sv", "ca 50"),
    (_fact(value_nominal="50", approx="true"), "en", "approx. 50"),
    (_fact(value_nominal="1200", approx="true"), "sv", "ca 1\u202f200"),
    (_fact(), "sv", MISSING),
])
def test_fact_value_follows_the_curation_rules(fact, lang, want):
    assert asf.fact_value(fact, lang) == want


def test_approx_number_and_year_label():
    assert asf.approx_number(20, True, "sv") == "ca 20"
    assert asf.approx_number(20, False, "en") == "20"
    assert asf.approx_number(None, True, "sv") == MISSING
    assert asf.year_label(2018, "about 2018", "sv") == "2018"
    assert asf.year_label(None, "2009–2010", "sv") == "2009–2010"
    assert asf.year_label(pd.NA, "", "sv") == t("common.year_unknown", "sv")
    assert asf.year_label(None, None, "en", missing="no single year") == "no single year"


def test_is_true_and_blank():
    assert asf.is_true("true") and asf.is_true(" TRUE ") and asf.is_true(True)
    assert not asf.is_true("false") and not asf.is_true("") and not asf.is_true(None)
    assert asf.blank(pd.NA) and asf.blank(" ") and not asf.blank(0)


def test_totals_points_leave_out_undated_statements():
    totals = pd.DataFrame({
        "year": pd.array([2017, None, 2018], dtype="Int64"),
        "year_note": ["2017", "unknown", "2018"],
        "n_asf": pd.array([16, 20, 19], dtype="Int64"),
        "n_asf_approx": ["true", "true", "false"],
        "employees": pd.array([None, None, 120], dtype="Int64"),
        "work_training": pd.array([None, None, None], dtype="Int64"),
        "approx": ["false", "true", "true"],
        "quote": ["q1", "q2", "q3"], "publisher": ["P1", "P2", "P3"], "source_url": ["u1", "u2", "u3"],
    })
    pts = asf.totals_points(totals)
    assert pts[["measure", "year", "value", "approx"]].values.tolist() == [
        ["n_asf", 2017, 16.0, True], ["n_asf", 2018, 19.0, False], ["employees", 2018, 120.0, True]]
    assert "unknown" not in pts["year_note"].tolist()
    assert asf.totals_points(totals.iloc[[1]]).empty


def test_coverage_counts():
    cov = asf.coverage(_register(), pd.DataFrame({"asf_id": ["a", "zz"], "n_facts": [3, 1]}))
    assert cov == {"n_total": 4, "n_unknown_kommun": 2, "n_with_facts": 1, "n_without_year": 2,
                   "first_year": 2017, "last_year": 2022, "status_not_stated": ["Beta AB"]}


def test_excluded_organisations_from_the_curated_readme(tmp_path):
    names = asf.excluded_organisations()
    assert names and all(len(n) < 60 for n in names)  # names only, not their explanations
    readme = tmp_path / "README.md"
    readme.write_text("x\n- **Excluded from the register, because:**\n  - Foo AB (Falun). Called a project.\n"
                      "    More words.\n  - Bar ek. för. Closed.\n- Next point\n", encoding="utf-8")
    assert asf.excluded_organisations(readme) == ["Foo AB (Falun)", "Bar ek. för"]
    assert asf.excluded_organisations(tmp_path / "missing.md") == []
    readme.write_text("no such section\n", encoding="utf-8")
    assert asf.excluded_organisations(readme) == []


def test_text_and_link_helpers():
    assert asf.md_escape("a*b_$c$ [x](y)") == "a\\*b\\_\\$c\\$ \\[x\\]\\(y\\)"
    # A line break would let the next line underline a heading; bare addresses would become links.
    assert asf.md_escape("Falun\n======") == "Falun " + "\\=" * 6
    assert asf.md_escape("Åre 1 234,5") == "Åre 1 234\\,5"
    assert asf.md_escape("https://x.se a@b.se www.c.se") == (
        "https\\:\u2060\\/\\/x\\.se a\\@\u2060b\\.se www\u2060\\.c\\.se")
    assert asf.url_label("https://www.samarkand2015.com/sv-SE/x") == "samarkand2015.com"
    assert asf.url_label("http://www.xn--tervinningsbutiken-3tb.se/") == "återvinningsbutiken.se"
    assert asf.url_label(None) == ""
    assert asf.md_url("https://a.se/x (1)") == "https://a.se/x%20%281%29"
    assert asf.md_url("https://a.se/<b>\\\n") == "https://a.se/%3Cb%3E%5C"
    assert asf.split_urls("https://a.se ; https://b.se") == ["https://a.se", "https://b.se"]
    assert asf.split_urls("") == [] and asf.split_urls(None) == []
    assert asf.measure_label("anstallda", "en") == t("sociala_foretag.measure.anstallda", "en")
    assert asf.measure_label("no_such_measure", "sv") == "no_such_measure"
