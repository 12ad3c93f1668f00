"""Chart builders for the value calculator: what is drawn equals the model's output, missing actors
are drawn as missing (never a zero bar), and the two gains never share a chart."""

from __future__ import annotations

import dataclasses

import pytest

from atlas import calculator as calc
from atlas.figures.calculator import (actor_split_spec, build_actor_split, build_gain_over_time,
                                      gain_over_time_spec)
from atlas.i18n import t


@pytest.fixture(scope="module")
def base() -> calc.Inputs:
    return calc.defaults()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("horizon", calc.HORIZONS)
def test_gain_chart_draws_the_model(base, lang, horizon):
    r = calc.compute(dataclasses.replace(base, horizon_years=horizon))
    spec = gain_over_time_spec(r, lang=lang, sources=["x"])
    fig = spec.figure
    divisor = spec.meta["divisor"]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    lines = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(bars) == 1
    assert list(bars[0].y) == pytest.approx([v / divisor for v in r.societal_by_year])
    assert list(bars[0].x) == [str(y) for y in r.years]
    assert fig.layout.xaxis.title.text == t("vinst.axis_year", lang)
    if horizon == 1:
        assert not lines  # a running total of one year says nothing new
    else:
        assert list(lines[0].y) == pytest.approx([v / divisor for v in r.societal_cumulative])
    assert fig.layout.separators == (", " if lang == "sv" else ".,")
    unit = t(f"vinst.unit_{spec.meta['unit']}", lang)
    assert fig.layout.yaxis.title.text == unit and spec.subtitle.startswith(unit)
    # The table is exactly what is drawn, in kronor, with readable column names.
    assert list(spec.data[t("vinst.col_yearly", lang)]) == [round(v) for v in r.societal_by_year]
    assert list(spec.data[t("vinst.col_cumulative", lang)]) == [round(v) for v in r.societal_cumulative]
    assert calc.fmt_money(r.societal_by_year[0], lang) in spec.alt_text
    if horizon > 1:
        assert calc.fmt_money(r.societal_total, lang) in spec.alt_text


def test_small_values_switch_to_thousands(base):
    r = calc.compute(dataclasses.replace(base, persons_per_year=1, horizon_years=1))
    spec = gain_over_time_spec(r, lang="sv", sources=[])
    assert spec.meta["unit"] == "tkr" and spec.meta["divisor"] == 1000
    assert list(spec.figure.data[0].y) == pytest.approx([r.societal_by_year[0] / 1000])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_actor_chart_draws_budget_totals_and_missing_as_missing(base, lang):
    r = calc.compute(base)  # the region has no source: missing
    spec = actor_split_spec(r, lang=lang, sources=["x"])
    fig = spec.figure
    divisor = spec.meta["divisor"]
    bar = next(tr for tr in fig.data if tr.type == "bar")
    known = [a for a in calc.ACTORS if r.budget_total[a] is not None]
    assert list(bar.y) == [t(f"vinst.actors_short.{a}", lang) for a in known]
    assert list(bar.x) == pytest.approx([r.budget_total[a] / divisor for a in known])
    missing = next(tr for tr in fig.data if tr.type == "scatter")
    assert missing.name == t("vinst.missing_legend", lang)
    assert list(missing.y) == [t("vinst.actors_short.region", lang)]
    assert t("vinst.actors_short.region", lang) not in list(bar.y)  # never a zero bar
    table = spec.data.set_index(t("vinst.col_actor", lang))[t("vinst.col_budget_total", lang)]
    assert table.isna().sum() == 1 and table.isna()[t("vinst.actors.region", lang)]
    assert t("vinst.chart_actor_alt_missing", lang, actors=t("vinst.actors.region", lang)) in spec.alt_text


def test_actor_chart_with_every_actor_missing(base):
    x = dataclasses.replace(base, kommun_kr_year=None, fk_af_kr_year=None, tax_kr_year=None)
    fig = build_actor_split(calc.compute(x), lang="sv")
    assert [tr.type for tr in fig.data] == ["scatter"]
    assert len(fig.data[0].y) == len(calc.ACTORS)


def test_the_two_gains_never_share_a_chart(base):
    r = calc.compute(base)
    gain = build_gain_over_time(r, lang="sv")
    split = build_actor_split(r, lang="sv")
    budget_values = {round(v) for v in r.budget_total.values() if v is not None}
    for tr in gain.data:
        assert not budget_values & {round(v * 1_000_000) for v in tr.y}
    societal_values = {round(v) for v in r.societal_by_year + r.societal_cumulative}
    for tr in split.data:
        assert not societal_values & {round(v * 1_000_000) for v in tr.x}


def test_actor_alt_text_when_nobody_reaches_work(base):
    r = calc.compute(dataclasses.replace(base, horizon_years=1))  # 12 months in the ASF fill the year
    spec = actor_split_spec(r, lang="sv", sources=[])
    assert spec.alt_text.startswith(t("vinst.chart_actor_alt_zero", "sv"))
