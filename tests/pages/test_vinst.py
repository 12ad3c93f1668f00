"""The value calculator page run headless with AppTest: the key figures, the step table and the charts
equal the model's output for the inputs in the link, every input shows its source or says it is the
user's value, the published case and the band are shown, odd links never raise and say what was
used instead, in Swedish and English."""

from __future__ import annotations

import dataclasses
import json

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas import calculator as calc
from atlas import calculator_text as ct
from atlas.asf import md_escape
from atlas.i18n import fmt_number, t
from tests.pages.helpers import page_runner, qp, url_notice_shown

PAGE = ROOT / "pages" / "vinst.py"
_run = page_runner(PAGE)


def k(key: str, lang: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected(x: calc.Inputs, lang: str) -> dict[str, str]:
    """The key figures the page should show for inputs ``x``, straight from the model."""
    r = calc.compute(x)
    period = ct.years_text(x.horizon_years, lang)
    out = {k("metric_societal", lang, period=period): ct.fmt_money(r.societal.total("present"), lang),
           k("metric_public", lang, period=period): ct.fmt_money(r.public_present, lang),
           k("metric_person", lang, period=period): ct.fmt_money(
               None if r.budget["person"] is None else r.budget["person"].total("present"), lang)}
    for actor in calc.PUBLIC:
        tr = r.budget[actor]
        out[k(f"actors_short.{actor}", lang)] = ct.fmt_money(None if tr is None else tr.total("present"), lang)
    return out


def _frame(at: AppTest, first_column: str):
    return next(d.value for d in at.dataframe if list(d.value.columns[:1]) == [first_column])


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def _check(at: AppTest, x: calc.Inputs, lang: str) -> None:
    assert _metrics(at) == _expected(x, lang)
    r = calc.compute(x)
    steps = _frame(at, k("col_track.step", lang))
    assert steps[k("col_track.step", lang)].tolist() == [k(f"step.{s}", lang) for s in calc.STEPS]
    assert steps[k("col_track.societal", lang)].tolist() == [ct.fmt_money(r.societal.total(s), lang) for s in calc.STEPS]
    gain, split, sens = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    yearly = r.societal.by_step["present"]
    divisor = 1_000_000 if max(max(yearly), sum(yearly)) >= 1_000_000 else 1000
    bars = [d for d in gain["data"] if d["type"] == "bar"][0]
    assert bars["y"] == pytest.approx([v / divisor for v in yearly])
    ranking = calc.sensitivity(x)
    assert [d for d in sens["data"] if d["type"] == "bar"][0]["y"] == [ct.input_label(row["name"], lang)
                                                                        for row in ranking][::-1]
    for key, value in calc.to_query(x).items():  # every input is in the link with the value used
        assert qp(at, key) == (value or ".."), key


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_view(built_db, lang):
    at = _run(lang=lang)
    base = calc.defaults()
    assert at.title[0].value == k("title", lang)
    _check(at, base, lang)
    assert not url_notice_shown(at, lang)
    captions = _captions(at)
    for name in (f.name for f in calc.FIELDS):
        e = calc.starting_entry(name)
        if e is None:
            continue
        if e["role"] == "unsourced":  # no source: visibly the user's value
            assert k("unsourced_line", lang, note=str(e["note_" + lang]).strip()) in captions, name
        else:
            assert e["source_url"] in captions, name
            if e.get("derivation"):
                assert e["derivation"]["text_" + lang] in captions, name
    # the band beside the result, the warning that the two numbers are never added
    band = calc.band(base)
    assert k("band_caption", lang, low=ct.fmt_money(band["societal"]["low"], lang),
             high=ct.fmt_money(band["societal"]["high"], lang)) in captions
    assert any(w.value == k("never_add", lang) for w in at.warning)
    markdown = "\n".join(m.value for m in at.markdown)
    for line in ct.assumptions(base, base, lang):
        assert f"- {line}" in markdown
    for line in ct.step_explanations(base, lang):
        assert line in markdown
    # the published case against its published figures
    case = _frame(at, "measure")  # ui.table names the columns through column_config
    assert case["published"].tolist() == ct.published_table(calc.published_case(), lang)["published"].tolist()
    assert ct.fmt_money(31_224_960, lang) in case["calculated"].tolist()
    # the price conversions, with the CPI factor of the 2011 tax figure
    prices = next(d.value for d in at.dataframe if "factor" in d.value.columns)
    assert fmt_number(403.70 / 311.43, lang, 4) in prices["factor"].tolist()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_dalarna_context_comes_from_the_database(built_db, lang):
    at = _run(lang=lang)
    ctx = ct.dalarna_context(db.run("asf_county_totals", con=db.connect(built_db)))
    assert ctx is not None
    text = k("dalarna_context", lang, approx=k("approx", lang) if ctx["approx"] else "",
             employees=fmt_number(ctx["employees"], lang), training=fmt_number(ctx["work_training"], lang),
             n=fmt_number(ctx["n_asf"], lang), publisher=f"[{ctx['publisher']}]({ctx['source_url']})", year=ctx["year"])
    assert text in _captions(at)


NON_DEFAULT = {"personer": "40", "anstallda": "50", "manader": "6", "lyckas": "30", "ar": "10", "intag": "varje",
               "fs": "100", "oh": "0", "au": "0", "bistand": "80000", "hushall": "0.5", "skatt": "..", "region": "1500",
               "dodvikt": "50", "undantrangning": "65", "avtrappning": "10", "ranta": "5.1", "prisar": "2020"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_non_default_link(built_db, lang):
    at = _run(NON_DEFAULT, lang=lang)
    base = calc.defaults()
    x = dataclasses.replace(base, persons_per_year=40, share_employed_pct=50, months_in_asf=6, success_pct=30,
                            horizon_years=10, intake="varje", mix_bistand_pct=100, mix_ohalsa_pct=0,
                            mix_arbetsloshet_pct=0, bistand_household_year=80_000, households_per_person=0.5,
                            tax_year=None, region_year=1500, deadweight_pct=50, displacement_pct=65, dropoff_pct=10,
                            discount_pct=5.1, price_base_year=2020)
    _check(at, x, lang)
    assert not url_notice_shown(at, lang)
    assert not any(i.value.startswith(k("notice", lang, items="").split(":")[0]) for i in at.info)
    captions = _captions(at)
    # a changed sourced value is marked as the user's, with the source's value beside it
    assert k("own_value", lang, default=ct.plain_value("bistand_household_year", 75_045, lang)) in captions
    markdown = "\n".join(m.value for m in at.markdown)
    for line in ct.assumptions(x, base, lang):
        assert f"- {line}" in markdown


@pytest.mark.parametrize("params, reason, param, used", [
    ({"personer": "abc"}, "invalid", "personer", 160),
    ({"personer": "99999"}, "clamped", "personer", 10_000),
    ({"lyckas": "12.6"}, "rounded", "lyckas", 13),
    ({"ranta": "[x](http://e.vil)"}, "invalid", "ranta", 3.5),
])
def test_odd_numbers_say_what_was_used(built_db, params, reason, param, used):
    at = _run(params)
    name = next(f.name for f in calc.FIELDS if f.url == param)
    item = k(f"notice_{reason}", "sv", param=param, raw=md_escape(params[param]), used=ct.plain_value(name, used, "sv"))
    assert any(i.value == k("notice", "sv", items=item) for i in at.info)
    assert qp(at, param) == (f"{used:.1f}" if isinstance(used, float) else str(used))


@pytest.mark.parametrize("params", [{"ar": "7"}, {"intag": "<script>"}, {"prisar": "2024"}])
def test_odd_choices_fall_back_with_the_common_notice(built_db, params):
    at = _run(params)
    assert url_notice_shown(at)
    _check(at, calc.defaults(), "sv")


def test_the_mix_warning_when_shares_do_not_add_up(built_db):
    at = _run({"fs": "50", "oh": "50", "au": "50"})
    assert any(w.value == k("mix_warning", "sv", total="150") for w in at.warning)


def test_reset_restores_the_starting_values(built_db):
    at = _run(NON_DEFAULT)
    next(b for b in at.button if b.label == k("reset", "sv")).click().run()
    assert not at.exception
    _check(at, calc.defaults(), "sv")
