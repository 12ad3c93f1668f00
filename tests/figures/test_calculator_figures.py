"""Chart builders for the value calculator: what is drawn equals the model's output (present values
after every step), missing actors are drawn as missing (never a zero bar), the person apart from the
public actors, the sensitivity chart in ranking order, and the two gains never share a chart."""

from __future__ import annotations

import dataclasses

import pytest

from atlas import calculator as calc
from atlas.calculator_text import fmt_money, input_label
from atlas.figures.calculator import actor_split_spec, gain_over_time_spec, inputs_key, sensitivity_spec
from atlas.i18n import t


@pytest.fixture(scope="module")
def base() -> calc.Inputs:
    return calc.defaults()


def _spec(builder, r, lang="sv", **kw):
    return builder(r, lang=lang, base_year=2023, sources=["x"], key="k", **kw)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("horizon", calc.HORIZONS)
def test_gain_chart_draws_the_present_values(base, lang, horizon):
    r = calc.compute(dataclasses.replace(base, horizon_years=horizon))
    spec = _spec(gain_over_time_spec, r, lang)
    fig, divisor = spec.figure, spec.meta["divisor"]
    yearly = list(r.societal.by_step["present"])
    bars = [tr for tr in fig.data if tr.type == "bar"]
    lines = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(bars) == 1 and list(bars[0].y) == pytest.approx([v / divisor for v in yearly])
    assert list(bars[0].x) == [str(y) for y in r.years]
    if horizon == 1:
        assert not lines  # a running total of one year says nothing new
    else:
        assert list(lines[0].y) == pytest.approx([sum(yearly[: i + 1]) / divisor for i in range(horizon)])
    assert fig.layout.separators == (", " if lang == "sv" else ".,")
    assert list(spec.data[t("vinst.col_societal_pv", lang)]) == [round(v) for v in yearly]
    assert fmt_money(sum(yearly), lang) in spec.alt_text and "2023" in spec.as_of


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_actor_chart_draws_present_values_and_missing_as_missing(base, lang):
    r = calc.compute(base)  # FK, AF, region and state have no source: missing
    spec = _spec(actor_split_spec, r, lang)
    fig, divisor = spec.figure, spec.meta["divisor"]
    bars = {tr.name: tr for tr in fig.data if tr.type == "bar"}
    public = bars[t("vinst.legend_public", lang)]
    known = [a for a in calc.PUBLIC if r.budget[a] is not None]
    assert list(public.y) == [t(f"vinst.actors_short.{a}", lang) for a in known]
    assert list(public.x) == pytest.approx([r.budget[a].total("present") / divisor for a in known])
    person = bars[t("vinst.legend_person", lang)]
    assert list(person.x) == pytest.approx([r.budget["person"].total("present") / divisor])
    assert person.marker.pattern.shape == "/"  # the person apart, not by colour alone
    missing = [tr for tr in fig.data if tr.type == "scatter"][0]
    assert list(missing.y) == [t(f"vinst.actors_short.{a}", lang) for a in r.missing_actors]
    assert list(missing.x) == [0] * len(r.missing_actors)
    col = spec.data[t("vinst.col_budget_pv", lang)]
    assert col.isna().sum() == len(r.missing_actors)  # missing stays missing in the table, never 0


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sensitivity_chart_in_ranking_order(base, lang):
    rows = calc.sensitivity(base)
    central = calc.compute(base).societal.total("present")
    spec = sensitivity_spec(rows, central, lang=lang, years=3, base_year=2023, sources=["x"], key="k")
    low, high = [tr for tr in spec.figure.data if tr.type == "bar"]
    assert list(low.y) == [input_label(r["name"], lang) for r in rows][::-1]  # the largest swing on top
    divisor = 1_000_000
    assert list(low.x) == pytest.approx([(r["low"] - central) / divisor for r in rows][::-1])
    assert list(high.x) == pytest.approx([(r["high"] - central) / divisor for r in rows][::-1])
    assert list(low.base) == pytest.approx([central / divisor] * len(rows))
    assert input_label(rows[0]["name"], lang) in spec.alt_text


def test_keys_carry_every_input(base):
    a = inputs_key(calc.to_query(base))
    b = inputs_key(calc.to_query(dataclasses.replace(base, discount_pct=3.0)))
    assert a != b and a == inputs_key(calc.to_query(calc.defaults()))
    r = calc.compute(base)
    spec = gain_over_time_spec(r, lang="sv", base_year=2023, sources=[], key=a)
    assert a in spec.key


def test_the_two_gains_never_share_a_chart(base):
    r = calc.compute(base)
    gain = _spec(gain_over_time_spec, r)
    split = _spec(actor_split_spec, r)
    assert all(tr.name != t("vinst.legend_public", "sv") for tr in gain.figure.data)
    assert all(t("vinst.yearly_legend", "sv") != tr.name for tr in split.figure.data)
