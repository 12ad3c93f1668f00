"""The value calculator's model (atlas.calculator) and its parameter file: every step against a
hand-worked example, the target groups (nobody credited with every benefit), the ASF period counted,
the price conversion with SCB's CPI, the band and the sensitivity ranking, the published case
(Vägen ut! 2011), units kept apart, societal and budget gains never added, and every default traced
to a verbatim quote in the shared compilations."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from atlas import calculator as calc
from atlas import calculator_text as ct
from atlas.i18n import t

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DOCS = {"socioeconomics": SHARED / "socioeconomics.md", "valuation": SHARED / "valuation-method.md"}


@pytest.fixture(scope="module")
def base() -> calc.Inputs:
    return calc.defaults()


def _example(base: calc.Inputs, **kw) -> calc.Inputs:
    """The hand-worked example (every amount the user's own, so read in 2023 kronor): 10 people,
    half employed in the ASF for 6 months, 20 % in work afterwards, 3 years; only social assistance
    (60 000 kr per household, one household per person); labour cost 10 000 kr a month; tax 12 000
    kr a year; deadweight 25 %, attribution 20 %, displacement 10 %, drop-off 50 % a year, 5 %."""
    values = dict(persons_per_year=10, share_employed_pct=50, months_in_asf=6, success_pct=20, horizon_years=3,
                  intake="en", mix_bistand_pct=100, mix_ohalsa_pct=0, mix_arbetsloshet_pct=0,
                  labour_cost_month=10_000, bistand_household_year=60_000, households_per_person=1.0,
                  fk_ohalsa_year=None, af_arbetsloshet_year=None, tax_year=12_000, region_year=None, stat_year=None,
                  person_year=None, deadweight_pct=25, attribution_pct=20, displacement_pct=10, dropoff_pct=50,
                  discount_pct=5.0, price_base_year=2023)
    values.update(kw)
    return dataclasses.replace(base, **values)


def test_person_years_by_hand(base):
    # Year 1: 5 employed × 6 months = 30 person-months = 2.5; then 2 in work × 6 months = 1.0.
    # Year 2: 2 × 12 months = 2.0 in work; with drop-off, months 12–17 are in the first year after the
    #         ASF (× 1) and months 18–23 in the second (× 0.5): 2 × (6 + 3) / 12 = 1.5.
    # Year 3: 2.0; kept 2 × (6 × 0.5 + 6 × 0.25) / 12 = 0.75.
    asf, work, kept = calc.person_years(_example(base))
    assert asf == pytest.approx([2.5, 0, 0])
    assert work == pytest.approx([1.0, 2.0, 2.0])
    assert kept == pytest.approx([1.0, 1.5, 0.75])


def test_every_step_by_hand(base):
    r = calc.compute(_example(base))
    s = r.societal.by_step
    assert r.value_per_year["societal"] == 120_000  # 10 000 × 12
    # 1. Gross: (2.5 + 1.0) × 120 000 = 420 000; 2.0 × 120 000 = 240 000 in years 2 and 3.
    assert s["gross"] == pytest.approx((420_000, 240_000, 240_000))
    # 2. Deadweight 25 % on the work after the ASF only: 2.5 × 120 000 + 1.0 × 120 000 × 0.75 = 390 000.
    assert s["deadweight"] == pytest.approx((390_000, 180_000, 180_000))
    # 3. Attribution 20 %: × 0.8.
    assert s["attribution"] == pytest.approx((312_000, 144_000, 144_000))
    # 4. Displacement 10 %: × 0.9.
    assert s["displacement"] == pytest.approx((280_800, 129_600, 129_600))
    # 5. Drop-off: the kept person-years 1.0, 1.5, 0.75 in place of 1.0, 2.0, 2.0:
    #    (300 000 + 90 000) × 0.72 = 280 800; 1.5 × 120 000 × 0.75 × 0.72 = 97 200; 0.75 × ... = 48 600.
    assert s["dropoff"] == pytest.approx((280_800, 97_200, 48_600))
    # 6. Present value at 5 %: year 1 as it is, 97 200 / 1.05, 48 600 / 1.05².
    assert s["present"] == pytest.approx((280_800, 92_571.428571, 44_081.632653))
    assert r.societal.total("present") == pytest.approx(417_453.061224)


def test_budget_by_hand_and_groups(base):
    r = calc.compute(_example(base))
    # Social assistance only: the kommun saves 60 000 kr × 1 household per person-year, half the
    # societal value per person-year, through the same steps, during the ASF employment too.
    assert r.value_per_year["kommun"] == 60_000
    assert r.budget["kommun"].by_step["gross"] == pytest.approx((210_000, 120_000, 120_000))
    assert r.budget["kommun"].total("present") == pytest.approx(417_453.061224 / 2)
    assert r.budget["skatt"].total("present") == pytest.approx(417_453.061224 / 10)
    # Nobody had ill-health or unemployment benefits: those actors save nothing (0, not unknown),
    # however large a value is entered for them.
    assert r.budget["fk"].total("present") == 0 and r.budget["af"].total("present") == 0
    other = calc.compute(_example(base, fk_ohalsa_year=200_000, af_arbetsloshet_year=150_000))
    assert other.budget["fk"].total("present") == 0 and other.budget["af"].total("present") == 0
    assert r.missing_actors == ("region", "stat", "person")
    assert r.public_present == pytest.approx(417_453.061224 * 0.6)
    assert "person" not in calc.PUBLIC


def test_the_group_mix_weights_each_actor_once(base):
    x = _example(base, mix_bistand_pct=25, mix_ohalsa_pct=50, mix_arbetsloshet_pct=25, fk_ohalsa_year=100_000,
                 af_arbetsloshet_year=80_000)
    v = calc.values_per_year(x)
    assert (v["kommun"], v["fk"], v["af"]) == pytest.approx((15_000, 50_000, 20_000))
    # shares that do not sum to 100 are scaled
    x = _example(base, mix_bistand_pct=20, mix_ohalsa_pct=20, mix_arbetsloshet_pct=20, fk_ohalsa_year=90_000)
    assert calc.group_shares(x) == pytest.approx({"bistand": 1 / 3, "ohalsa": 1 / 3, "arbetsloshet": 1 / 3})
    assert calc.values_per_year(x)["fk"] == pytest.approx(30_000)
    assert calc.values_per_year(x)["af"] is None  # a share with no value is unknown, never zero
    x = _example(base, mix_bistand_pct=0)
    assert calc.group_shares(x) == {"bistand": 0, "ohalsa": 0, "arbetsloshet": 0}


def test_households_per_person_guards_the_unit(base):
    """The social-assistance figure is per household: it reaches a person only through the
    households-per-person factor (the old 'Använd 75 045' button copied it into a per-person field)."""
    assert calc.starting_entry("bistand_household_year")["unit"] == "kr_household_year"
    x = _example(base, households_per_person=0.5)
    assert calc.values_per_year(x)["kommun"] == 30_000
    units = {e["id"]: e["unit"] for e in calc.parameters() if "unit" in e and e["role"] in ("default", "unsourced")}
    for e in calc.parameters():
        if e["role"] in ("low", "high", "alternative"):
            assert e["unit"] == units[e["for"]], e["id"]  # a band value has its input's unit


def test_the_asf_period_counts_for_the_budgets(base):
    """Vägen ut! measured its savings while people were employed in the ASFs: a year in which every
    participant is employed in the ASF gives a budget effect (the old model gave 0 kr)."""
    x = _example(base, share_employed_pct=100, months_in_asf=12, horizon_years=1, success_pct=0)
    r = calc.compute(x)
    assert r.work_person_years == (0.0,) and r.asf_person_years == pytest.approx((10.0,))
    assert r.budget["kommun"].total("present") == pytest.approx(10 * 60_000 * 0.8 * 0.9)  # no deadweight
    training_only = calc.compute(_example(base, share_employed_pct=0, months_in_asf=12, horizon_years=1))
    assert training_only.budget["kommun"].total("present") == 0  # trainees keep their benefit


def test_intake_every_year(base):
    r = calc.compute(_example(base, intake="varje", dropoff_pct=0, deadweight_pct=0, attribution_pct=0,
                              displacement_pct=0, discount_pct=0.0))
    # Each cohort: 2.5 + 1.0 in its first year, 2.0 a year after. Year 2: 2.0 + 3.5; year 3: 2 + 2 + 3.5.
    assert r.societal.by_step["present"] == pytest.approx((420_000, 660_000, 900_000))


def test_price_conversion_with_kpi(base):
    index = calc.kpi()
    assert (index[2011], index[2023]) == (311.43, 403.70)
    a = calc.amounts(base)
    # Vägen ut!'s tax per person, 2011 kronor -> 2023 kronor: 41 111 × 403,70 / 311,43
    assert a["tax_year"]["price_year"] == 2011
    assert a["tax_year"]["factor"] == pytest.approx(403.70 / 311.43)
    assert a["tax_year"]["base"] == pytest.approx(41_111 * 403.70 / 311.43)
    # 2024 is not in the index and the labour cost has no price year: not converted, said so
    assert a["bistand_household_year"]["factor"] is None and a["bistand_household_year"]["base"] == 75_045
    assert a["labour_cost_month"]["price_year"] is None and a["labour_cost_month"]["factor"] is None
    # the user's own value is read in the base year's kronor
    own = calc.amounts(dataclasses.replace(base, tax_year=50_000))["tax_year"]
    assert (own["price_year"], own["factor"], own["base"]) == ("base", 1.0, 50_000)
    # another base year moves the sourced amount
    a2011 = calc.amounts(dataclasses.replace(base, price_base_year=2011))["tax_year"]
    assert (a2011["factor"], a2011["base"]) == (1.0, 41_111)
    table = ct.price_table(base, "sv").set_index("input")
    assert table.loc[t("vinst.inputs.bistand_household_year", "sv"), "note"].startswith("kan inte räknas om, KPI")


def test_kpi_values_are_scbs_as_compiled():
    text = DOCS["valuation"].read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 299,66"))
    compiled = [float(v.replace(",", ".")) for v in row.strip("| ").split(" | ")]
    assert list(calc.kpi().values()) == compiled and list(calc.kpi()) == list(range(2009, 2024))


def test_discounting_starts_in_year_two(base):
    r = calc.compute(_example(base, discount_pct=0.0))
    assert r.societal.by_step["present"] == r.societal.by_step["dropoff"]


def test_band_and_sensitivity(base):
    x = _example(base)
    b = calc.band(x)
    for key in ("societal", "public"):
        assert b[key]["low"] <= b[key]["central"] <= b[key]["high"]
    assert b["societal"]["central"] == pytest.approx(calc.compute(x).societal.total("present"))
    low = calc.compute(dataclasses.replace(x, success_pct=22, deadweight_pct=50, attribution_pct=25,
                                           displacement_pct=65, dropoff_pct=20, discount_pct=5.1))
    assert b["societal"]["low"] == pytest.approx(low.societal.total("present"))
    rows = calc.sensitivity(x)
    assert [r["name"] for r in rows] != [] and {r["name"] for r in rows} == set(calc.ADJUSTMENTS)
    assert [r["swing"] for r in rows] == sorted((r["swing"] for r in rows), reverse=True)
    disp = next(r for r in rows if r["name"] == "displacement_pct")
    assert disp["low"] == pytest.approx(calc.compute(dataclasses.replace(x, displacement_pct=65)).societal.total("present"))
    # with the starting values, the success rate moves the result most, then displacement
    assert [r["name"] for r in calc.sensitivity(base)][:2] == ["success_pct", "displacement_pct"]


def test_published_case_vagen_ut():
    case = calc.published_case()
    got = {r["measure"]: (r["published"], r["calculated"]) for r in case["rows"]}
    assert got["vagen_ut_kommun"] == pytest.approx((4_300_000, 4_300_000))
    assert got["vagen_ut_fk_af"] == pytest.approx((8_000_000, 8_000_000))
    assert got["vagen_ut_tax"] == pytest.approx((3_700_000, 3_700_000))
    # "Den direkta besparingen under 2011 var 12 miljoner kr" for 4,3 + 8 = 12,3: a rounding
    assert got["vagen_ut_direct"] == pytest.approx((12_000_000, 12_300_000))
    # society: 90 × 12 × 28 912 = 31 224 960 against the published 44 Mkr (method not shown)
    assert got["vagen_ut_society"] == pytest.approx((44_000_000, 31_224_960))
    x = case["inputs"]
    assert (x.persons_per_year, x.share_employed_pct, x.months_in_asf, x.horizon_years, x.price_base_year) == \
        (90, 100, 12, 1, 2011)
    table = ct.published_table(case, "sv")
    assert table["why"].str.len().gt(20).all() and len(table) == 5


@pytest.mark.parametrize("horizon", calc.HORIZONS)
def test_societal_and_budget_are_never_added(base, horizon):
    """No field of the result holds societal + budget; the two stay separate outputs."""
    names = {f.name for f in dataclasses.fields(calc.Result)}
    assert not any("societal" in n and ("budget" in n or "public" in n) for n in names)
    r = calc.compute(dataclasses.replace(base, horizon_years=horizon, months_in_asf=6))
    combined = r.societal.total("present") + r.public_present
    numbers = [r.public_present, r.societal.total("present")]
    for tr in [r.societal, *[v for v in r.budget.values() if v is not None]]:
        numbers += [tr.total(s) for s in calc.STEPS]
    assert all(abs(n - combined) > 1 for n in numbers)


# --- The parameter file ---------------------------------------------------------------------------

def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    return {k: _normal(p.read_text(encoding="utf-8")) for k, p in DOCS.items()}


def test_every_quote_is_verbatim_in_its_compilation(documents):
    for e in calc.parameters():
        for quote in e.get("quote") or []:
            assert _normal(quote) in documents[e["doc"]], (e["id"], quote)
    assert calc.kpi_entry()["quote"] in documents["valuation"]


def test_every_input_starts_from_a_sourced_or_a_labelled_value(base):
    for f in calc.FIELDS:
        if f.name == "intake":
            continue  # a model choice, said so under the input
        e = calc.starting_entry(f.name)
        assert e is not None, f.name
        if e["role"] == "default":
            assert e["source_url"].startswith("http") and e["quote"] and e["doc"] in DOCS, f.name
        else:
            assert e["role"] == "unsourced" and e["note_sv"] and e["note_en"], f.name
        assert getattr(base, f.name) == e["value"], f.name


def test_every_adjustment_has_a_sourced_low_and_high():
    lows, highs = calc.entries("low"), calc.entries("high")
    assert set(lows) == set(highs) == set(calc.ADJUSTMENTS)
    for e in [*lows.values(), *highs.values()]:
        assert e.get("quote") or e["value"] == 0, e["id"]  # a zero is "none", said so in its note


def test_derived_values_are_labelled_and_recomputed():
    for e in calc.parameters():
        d = e.get("derivation")
        if d:
            assert "derived" in e["kind"], e["id"]
            assert round(d["numerator"] / d["denominator"] * d["multiplier"]) == e["value"], e["id"]


def test_years_say_what_the_source_says():
    """'2009' was written where the source is a report about 2009."""
    for name in ("persons_per_year", "success_pct", "horizon_years"):
        assert calc.starting_entry(name)["year_sv"].startswith("rapport om 2009"), name


def test_lifetime_figures_are_never_defaults():
    for e in calc.parameters():
        if e["role"] in ("default", "low", "high"):
            assert "livstid" not in str(e.get("note_sv", "")).lower() or e["id"] == "horizon_years", e["id"]


def test_url_round_trip(base):
    q = calc.to_query(base)
    assert q["ranta"] == "3.5" and q["hushall"] == "1.0" and q["fk"] == "" and q["prisar"] == "2023"
    assert set(q) == {f.url for f in calc.FIELDS} and len(set(q)) == len(calc.FIELDS)


def test_fmt_money_and_years():
    assert ct.fmt_money(1_400_000, "sv") == "1,4 Mkr" and ct.fmt_money(47_778, "en") == "SEK 47,778"
    assert ct.fmt_money(None, "sv") == ".." and ct.fmt_money(float("nan"), "sv") == ".."
    assert ct.years_text(1, "sv") == "1 år" and ct.years_text(3, "en", definite=True) == "the 3 years"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_assumptions_name_every_own_value(base, lang):
    x = dataclasses.replace(base, persons_per_year=40, attribution_pct=10, mix_bistand_pct=50)
    lines = ct.assumptions(x, base, lang)
    assert any(ct.input_label("persons_per_year", lang) in line and "160" in line for line in lines)
    own = t("vinst.assume.own", lang, label=ct.input_label("attribution_pct", lang),
            new=ct.plain_value("attribution_pct", 10, lang), old=ct.plain_value("attribution_pct", 0, lang))
    assert own in lines
    assert t("vinst.assume.mix_scaled", lang, total="139") in lines
