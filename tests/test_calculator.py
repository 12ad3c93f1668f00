"""The value calculator's model (atlas.calculator) and its parameter file
(data/curated/calculator_parameters.yml): arithmetic against hand-worked examples, societal and
budget gains kept apart, every default traced to a verbatim quote in the shared compilation, and
URL parameters that never raise."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from atlas import calculator as calc
from atlas.i18n import MISSING, fmt_number, t

REPO = Path(__file__).resolve().parents[1]
# Resolved like tests/conftest.py resolves the mirror: the shared folder beside the checkout.
SOCIOECONOMICS = REPO.parent / "shared" / "data" / "socioeconomics.md"


@pytest.fixture(scope="module")
def base() -> calc.Inputs:
    return calc.defaults()


@pytest.fixture(scope="module")
def document() -> str:
    if not SOCIOECONOMICS.is_file():
        pytest.skip(f"{SOCIOECONOMICS} not found (the shared folder is not beside the checkout)")
    return SOCIOECONOMICS.read_text(encoding="utf-8")


def _example(base: calc.Inputs, **kw) -> calc.Inputs:
    """The hand-worked example: 10 people, half employed in the ASF for 6 months, 25 % succeed,
    3 years, with the sourced labour cost (28 912 kr/month, Ekonomifakta) and the sourced municipal
    saving (47 778 kr per person and year, Vägen ut! derived). FK+AF and tax are left empty so the
    example exercises the 'missing' path too."""
    values = dict(persons_per_year=10, share_employed_pct=50, months_in_asf=6, success_pct=25,
                  horizon_years=3, intake="en", labour_cost_month=base.labour_cost_month,
                  kommun_kr_year=base.kommun_kr_year, fk_af_kr_year=None, tax_kr_year=None,
                  region_kr_year=None)
    values.update(kw)
    return calc.Inputs(**values)


def test_example_inputs_are_the_sourced_values(base):
    # The hand calculations below use these two sourced numbers.
    assert base.labour_cost_month == 28912
    assert base.kommun_kr_year == 47778


def test_hand_worked_example_one_intake(base):
    r = calc.compute(_example(base))
    # Year 1: 10 × 50 % × 6 months = 30 person-months employed in the ASF, and after month 6
    #         10 × 25 % × 6 months = 15 person-months in work: (30 + 15) × 28 912 = 1 301 040 kr.
    # Years 2 and 3: 2.5 people × 12 months = 30 person-months in work: 30 × 28 912 = 867 360 kr.
    # Total: 1 301 040 + 867 360 + 867 360 = 3 035 760 kr.
    assert r.years == (1, 2, 3)
    assert r.societal_by_year == pytest.approx((1_301_040, 867_360, 867_360))
    assert r.societal_cumulative == pytest.approx((1_301_040, 2_168_400, 3_035_760))
    assert r.societal_total == pytest.approx(3_035_760)
    assert r.asf_employed_person_years == pytest.approx((2.5, 0, 0))  # 30 person-months / 12
    assert r.work_person_years == pytest.approx((1.25, 2.5, 2.5))  # 15, 30, 30 person-months / 12
    assert r.labour_cost_year == pytest.approx(346_944)  # 28 912 × 12
    # Municipality: 47 778 kr per person-year in work (only after the ASF):
    # 1.25 × 47 778 = 59 722.5; 2.5 × 47 778 = 119 445 (twice); total 6.25 × 47 778 = 298 612.5.
    assert r.budget_by_year["kommun"] == pytest.approx((59_722.5, 119_445, 119_445))
    assert r.budget_total["kommun"] == pytest.approx(298_612.5)
    assert r.budget_by_year["fk_af"] is None and r.budget_total["fk_af"] is None
    assert r.missing_actors == ("fk_af", "tax", "region")
    assert r.public_budget_total == pytest.approx(298_612.5)


def test_hand_worked_example_intake_every_year(base):
    r = calc.compute(_example(base, intake="varje"))
    # Year 1: as above, 45 person-months -> 1 301 040 kr.
    # Year 2: first cohort in work 30 + second cohort (30 employed + 15 in work) = 75 -> 2 168 400 kr.
    # Year 3: 30 + 30 + (30 + 15) = 105 person-months -> 3 035 760 kr. Total 6 505 200 kr.
    assert r.societal_by_year == pytest.approx((1_301_040, 2_168_400, 3_035_760))
    assert r.societal_total == pytest.approx(6_505_200)
    # Work person-months 15, 45, 75 -> person-years 1.25, 3.75, 6.25 -> × 47 778.
    assert r.budget_by_year["kommun"] == pytest.approx((59_722.5, 179_167.5, 298_612.5))
    assert r.budget_total["kommun"] == pytest.approx(537_502.5)


def test_hand_worked_example_asf_period_longer_than_a_year(base):
    r = calc.compute(_example(base, months_in_asf=18))
    # Year 1: 5 employed × 12 months = 60 person-months -> 60 × 28 912 = 1 734 720 kr.
    # Year 2: 5 employed × 6 months = 30, then 2.5 in work × 6 months = 15 -> 45 × 28 912 = 1 301 040.
    # Year 3: 2.5 × 12 = 30 -> 867 360 kr.
    assert r.societal_by_year == pytest.approx((1_734_720, 1_301_040, 867_360))
    assert r.work_person_years == pytest.approx((0, 1.25, 2.5))
    assert r.budget_by_year["kommun"][0] == 0


def test_edge_cases(base):
    # The ASF period outlasts the horizon: nobody reaches work inside it, budgets gain nothing.
    r = calc.compute(_example(base, months_in_asf=60, horizon_years=1))
    assert r.work_person_years == (0.0,) and r.budget_total["kommun"] == 0
    # No one succeeds and no one is employed: everything is zero, but missing stays missing.
    r = calc.compute(_example(base, success_pct=0, share_employed_pct=0))
    assert r.societal_total == 0 and r.budget_total["kommun"] == 0 and r.budget_total["tax"] is None
    # Zero months in the ASF: the successful are in work from day one.
    r = calc.compute(_example(base, months_in_asf=0, horizon_years=1))
    assert r.work_person_years == pytest.approx((2.5,))


@pytest.mark.parametrize("intake", calc.INTAKES)
@pytest.mark.parametrize("horizon", calc.HORIZONS)
def test_societal_and_budget_are_never_added(base, intake, horizon):
    """No field of the result holds societal + budget; the two stay separate outputs."""
    names = {f.name for f in dataclasses.fields(calc.Result)}
    assert not any("societal" in n and "budget" in n for n in names)
    # Six months in the ASF so both gains are positive in every horizon (then a sum is detectable).
    r = calc.compute(dataclasses.replace(base, intake=intake, horizon_years=horizon, months_in_asf=6))
    combined = r.societal_total + r.public_budget_total
    numbers = []
    for f in dataclasses.fields(r):
        v = getattr(r, f.name)
        if isinstance(v, (int, float)):
            numbers.append(v)
        elif isinstance(v, tuple):
            numbers += [x for x in v if isinstance(x, (int, float))]
        elif isinstance(v, dict):
            for x in v.values():
                numbers += list(x) if isinstance(x, tuple) else ([x] if x is not None else [])
    assert r.public_budget_total > 0 and r.societal_total > 0
    assert all(not math.isclose(n, combined) for n in numbers)
    # Per year too: the chart-ready yearly values are societal only.
    assert len(r.societal_by_year) == horizon


# --- The parameter file --------------------------------------------------------------------------

def test_every_default_used_by_the_model_is_sourced(base, document):
    entries = calc.default_entries()
    model_inputs = {f.name for f in dataclasses.fields(calc.Inputs)}
    # intake is a model structure choice and the region has no source: no default number for them.
    needs_source = model_inputs - {"intake", "region_kr_year"}
    assert set(entries) == needs_source
    for name in needs_source:
        e = entries[name]
        assert e["quote"] and all(isinstance(q, str) and q.strip() for q in e["quote"]), name
        assert str(e["source_url"]).startswith("http"), name
        assert e["source_title"].strip() and e["population_sv"].strip() and e["population_en"].strip()
        assert e["year_sv"] and e["price_year_sv"] and e["note_sv"].strip() and e["note_en"].strip()
        assert e["label_sv"].strip() and e["label_en"].strip() and e["unit"]
        assert getattr(base, name) == e["value"], name
    assert base.region_kr_year is None  # no default without a source
    assert "region_kr_year" not in {p.get("for") for p in calc.parameters()} | set(entries)


def test_every_quote_is_verbatim_in_the_compilation(document):
    for e in calc.parameters():
        assert e["quote"], e["id"]
        for q in e["quote"]:
            assert q in document, f"{e['id']}: quote not found verbatim: {q[:80]}"
        assert e["source_url"] in document, f"{e['id']}: URL not in the compilation"


def test_entries_are_well_formed():
    ids = [e["id"] for e in calc.parameters()]
    assert len(ids) == len(set(ids))
    inputs = {f.name for f in calc.FIELDS}
    for e in calc.parameters():
        assert e["role"] in {"default", "alternative", "reference"}
        assert e["kind"] and set(e["kind"]) <= set(calc.KINDS), e["id"]
        assert t(f"vinst.units.{e['unit']}", "sv") != f"vinst.units.{e['unit']}", e["id"]
        if e["role"] == "alternative":
            assert e["for"] in inputs and isinstance(e["value"], (int, float))
            f = calc.FIELD[e["for"]]
            assert f.lo <= e["value"] <= f.hi  # the 'use this value' button stays in range
        if e["role"] == "reference":
            assert e.get("value") is None and e["value_sv"] and e["value_en"]


def test_derived_values_are_labelled_and_recomputed():
    for e in calc.parameters():
        if "derivation" in e:
            d = e["derivation"]
            assert "derived" in e["kind"], e["id"]
            assert round(d["numerator"] / d["denominator"] * d["multiplier"]) == e["value"], e["id"]
            assert d["text_sv"] and d["text_en"]
        elif e["role"] != "reference":
            assert "derived" not in e["kind"], e["id"]


def test_lifetime_figures_are_never_defaults():
    """Rows 7 and 9 of the compilation are lifetime figures: reference only, never a yearly value."""
    by_row = {}
    for e in calc.parameters():
        by_row.setdefault(e["row"], []).append(e)
    for e in by_row.get(7, []) + by_row.get(9, []):
        assert e["role"] == "reference"


def test_case_studies_and_assumptions_are_labelled(document):
    entries = calc.default_entries()
    assert "assumption" in entries["success_pct"]["kind"]  # row 3: "labelled 'antagande'"
    for name in ("kommun_kr_year", "fk_af_kr_year", "tax_kr_year"):  # Vägen ut!: a case study, per person derived
        assert {"case_study", "derived"} <= set(entries[name]["kind"])
    assert calc.kind_labels(entries["kommun_kr_year"], "sv") == ["fallstudie", "härlett"]
    assert calc.kind_labels(entries["success_pct"], "sv") == ["antagande"]


# --- URL parameters ------------------------------------------------------------------------------

def test_defaults_round_trip_through_the_url(base):
    query = calc.to_query(base)
    assert query["region"] == ""
    again, problems = calc.parse_query(query, base)
    assert again == base and problems == {}


@pytest.mark.parametrize("raw, want, reason", [
    ("-5", 0, "clamped"),
    ("99999999", 10_000, "clamped"),
    ("1e12", 10_000, "clamped"),
    ("abc", None, "invalid"),
    ("x' OR 1=1 --", None, "invalid"),
    ("1; DROP TABLE observation", None, "invalid"),
    ("9" * 5000, None, "invalid"),
    ("nan", None, "invalid"),
    ("inf", None, "invalid"),
    ("", None, "invalid"),
    ("12.6", 13, "rounded"),
    ("12,4", 12, "rounded"),
    (" 40 ", 40, None),
])
def test_malformed_numbers(base, raw, want, reason):
    x, problems = calc.parse_query({"personer": raw}, base)
    expected = base.persons_per_year if want is None else want
    assert x.persons_per_year == expected
    if reason is None:
        assert problems == {}
    else:
        assert problems["personer"].reason == reason
        assert len(problems["personer"].raw) <= 40


def test_choices_optional_and_repeated_keys(base):
    x, problems = calc.parse_query({"ar": "7", "intag": "<script>", "region": "", "kommun": "",
                                    "lyckas": ["10", "30"]}, base)
    assert x.horizon_years == base.horizon_years and x.intake == base.intake
    assert set(problems) == {"ar", "intag"}
    assert x.region_kr_year is None and x.kommun_kr_year is None  # empty = no value, not zero
    assert x.success_pct == 30  # the last of repeated keys, as st.query_params.get does
    x, problems = calc.parse_query({"ar": "10", "intag": "varje", "region": "2500"}, base)
    assert (x.horizon_years, x.intake, x.region_kr_year, problems) == (10, "varje", 2500, {})


def test_every_field_clamps_to_its_range(base):
    for f in calc.FIELDS:
        if f.choices:
            continue
        low, _ = calc.parse_query({f.url: str(f.lo - 1)}, base)
        high, _ = calc.parse_query({f.url: str(f.hi + 1)}, base)
        assert getattr(low, f.name) == f.lo and getattr(high, f.name) == f.hi
    for name in calc.default_entries():  # every sourced default sits inside its own range
        f = calc.FIELD[name]
        assert f.choices and getattr(base, name) in f.choices or f.lo <= getattr(base, name) <= f.hi


# --- Text ------------------------------------------------------------------------------------------

def test_fmt_money():
    assert calc.fmt_money(1_301_040, "sv") == "1,3 Mkr"
    assert calc.fmt_money(1_301_040, "en") == "SEK 1.3 m"
    assert calc.fmt_money(47_778, "sv") == f"{fmt_number(47_778, 'sv')} kr" == "47\u202f778 kr"
    assert calc.fmt_money(47_778, "en") == "SEK 47,778"
    assert calc.fmt_money(None, "sv") == MISSING
    assert calc.fmt_money(float("nan"), "en") == MISSING


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_assumptions_follow_the_inputs(base, lang):
    lines = calc.assumptions(base, base, lang)
    text = " ".join(lines)
    assert fmt_number(base.persons_per_year, lang) in lines[0]
    assert calc.fmt_money(base.labour_cost_month, lang) in text
    assert calc.fmt_money(12 * base.labour_cost_month, lang) in text
    assert t("vinst.assume.no_discount", lang) in lines
    assert t("vinst.assume.actor_missing", lang, actor=t("vinst.actors.region", lang)) in text
    assert not any(t("vinst.assume.changed", lang, label="", old="", new="")[:8] in line for line in lines)

    changed = dataclasses.replace(base, success_pct=22, region_kr_year=1000, intake="varje")
    lines = calc.assumptions(changed, base, lang)
    assert t("vinst.assume.intake_varje", lang, n=fmt_number(base.persons_per_year, lang),
             period_def=calc.years_text(base.horizon_years, lang, definite=True)) == lines[0]
    assert t("vinst.assume.changed", lang, label=t("vinst.inputs.success_pct", lang),
             old=f"{fmt_number(base.success_pct, lang)} %", new="22 %") in lines
    assert t("vinst.assume.own", lang, label=t("vinst.inputs.region_kr_year", lang),
             new=calc.fmt_money(1000, lang)) in lines


def test_sources_used_names_own_values(base):
    names = ["persons_per_year", "labour_cost_month"]
    entries = calc.default_entries()
    assert calc.sources_used(base, base, names, "sv") == [entries["persons_per_year"]["source_title"],
                                                          entries["labour_cost_month"]["source_title"]]
    mine = dataclasses.replace(base, labour_cost_month=base.labour_cost_month + 1)
    assert calc.sources_used(mine, base, names, "sv")[-1] == t("vinst.own_values", "sv")


def test_md_literal_makes_markdown_inert():
    text = calc.md_literal("[x](javascript:alert(1)) <b>*y*</b> x' OR 1=1 --")
    for c in "[]()<>*":
        assert f"\\{c}" in text
    assert "x' OR 1=1" in text


@pytest.mark.parametrize("lang, one, three", [("sv", "1 år", "3 år"), ("en", "1 year", "3 years")])
def test_years_text(lang, one, three):
    assert calc.years_text(1, lang) == one and calc.years_text(3, lang) == three
    assert calc.years_text(1, "sv", definite=True) == "året"
    assert calc.years_text(10, "en", definite=True) == "the 10 years"
