"""The ranked bar chart beside the map: order, values, labels, reference lines and gaps, checked
against the database built from the mirror."""

from __future__ import annotations

import numpy as np
import pytest

from atlas import db
from atlas.figures.bars import build_ranking
from atlas.figures.maps import MapView
from atlas.i18n import MISSING, fmt_period, fmt_value, t

LAN = "20"


@pytest.fixture(scope="module")
def catalogue(karta_catalogue):
    return karta_catalogue


def _view(con, catalogue, indicator, lang="sv", drop=()):
    opts = db.run("karta_options", con=con, indicator=indicator, lan=LAN)
    period = opts.loc[opts["category"] == "", "period"].iloc[0]
    values = db.run("karta_values", con=con, indicator=indicator, lan=LAN, period=period, category="")
    values.loc[values["region_code"].isin(drop), "value"] = np.nan
    return MapView(values, catalogue.loc[indicator], period, "", lang), values


def _labels(fig) -> dict[str, str]:
    return {a.y: a.text for a in fig.layout.annotations if a.xref == "paper"}


def test_bars_are_ranked_with_database_values_and_labels(con, catalogue):
    view, values = _view(con, catalogue, "arbetsloshet")
    spec = build_ranking(view)
    bar = spec.figure.data[0]
    k = values[values["level"] == "kommun"]
    assert dict(zip(bar.y, bar.x)) == dict(zip(k["region_name"], k["value"]))
    assert list(bar.x) == sorted(bar.x, reverse=True)
    assert spec.figure.layout.yaxis.autorange == "reversed"  # highest at the top
    assert _labels(spec.figure) == {n: fmt_value(v, "procent", "sv", 1) for n, v in zip(k["region_name"], k["value"])}
    assert fmt_period(view.period, "sv") in spec.subtitle


def test_county_and_riket_are_reference_lines_for_rates(con, catalogue):
    view, values = _view(con, catalogue, "sysselsattningsgrad")
    fig = build_ranking(view).figure
    lines = [s.x0 for s in fig.layout.shapes]
    lan = values.loc[values["level"] == "lan", "value"].iloc[0]
    riket = values.loc[values["level"] == "riket", "value"].iloc[0]
    assert lines == [lan, riket]
    legend = [tr.name for tr in fig.data if tr.showlegend is not False and tr.type == "scatter"]
    assert legend == [f"Dalarnas län: {fmt_value(lan, 'procent', 'sv', 1)}", f"Riket: {fmt_value(riket, 'procent', 'sv', 1)}"]


def test_counts_state_totals_instead_of_lines(con, catalogue):
    view, values = _view(con, catalogue, "arbetslosa", lang="en")
    spec = build_ranking(view)
    assert not spec.figure.layout.shapes
    lan = values.loc[values["level"] == "lan", "value"].iloc[0]
    assert f"Total for Dalarna County: {fmt_value(lan, 'antal', 'en', 0)}" in spec.subtitle
    assert spec.figure.layout.separators == ".,"


def test_missing_kommun_keeps_its_row_labelled_dots(con, catalogue):
    view, values = _view(con, catalogue, "arbetsloshet", drop=("2080",))
    spec = build_ranking(view)
    bar = spec.figure.data[0]
    assert "Falun" not in bar.y and len(bar.y) == 14
    assert _labels(spec.figure)["Falun"] == MISSING
    assert list(spec.figure.layout.yaxis.categoryarray)[-1] == "Falun"  # listed last, no bar
    assert t("karta.missing_note", "sv") in spec.subtitle
    table = spec.data
    falun = table[table[t("karta.col_region", "sv")] == "Falun"].iloc[0]
    assert falun[t("karta.col_rank", "sv")] is np.nan or str(falun[t("karta.col_rank", "sv")]) == "<NA>"


def test_ranking_table_and_text_alternative(con, catalogue):
    view, values = _view(con, catalogue, "arbetsloshet")
    spec = build_ranking(view)
    k = values[values["level"] == "kommun"].sort_values(["value"], ascending=False)
    ranks = spec.data[t("karta.col_rank", "sv")].dropna().tolist()
    assert ranks == list(range(1, len(k) + 1))
    assert spec.data[view.value_column()].iloc[:15].tolist() == k["value"].tolist()
    assert spec.data[t("karta.col_region", "sv")].iloc[-2:].tolist() == ["Dalarnas län", "Riket"]
    assert t("karta.alt_ranking", "sv", items="").split(":")[0] in spec.alt_text
