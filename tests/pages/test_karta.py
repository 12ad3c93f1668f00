"""Karta page, run through app.py so st.navigation and switch_page work as in the browser: every
kommun-level indicator draws 15 kommuner with the database's values, the URL is honoured, odd
links fall back to defaults with one notice, and a kommun opens its profile."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.i18n import fmt_period, fmt_value, t
from tests.pages.helpers import qp, run_in_app

LAN = "20"
PAGE = "pages/karta.py"
# The ids the catalogue declares at kommun level; test_picker_offers_every_kommun_level_indicator
# checks that the database agrees, so this list cannot silently drift from the data.
CATALOGUE = yaml.safe_load((ROOT / "data" / "curated" / "indicators.yml").read_text(encoding="utf-8"))
KOMMUN_IDS = [e["id"] for e in CATALOGUE if "kommun" in e.get("levels", []) and not e.get("live_only")]


def _plain(node):
    """The figure JSON with Plotly's base64 typed arrays ({'dtype', 'bdata'}) decoded to lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            return np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"])).tolist()
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _charts(at: AppTest) -> tuple[dict, dict]:
    specs = [_plain(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]
    assert len(specs) == 2
    return specs[0], specs[1]  # map, bar chart


def _options(con, indicator: str, category: str = "") -> list[str]:
    opts = db.run("karta_options", con=con, indicator=indicator, lan=LAN)
    return opts.loc[opts["category"] == category, "period"].tolist()


def _values(con, indicator: str, period: str, category: str = ""):
    return db.run("karta_values", con=con, indicator=indicator, lan=LAN, period=period, category=category)


def _assert_matches_database(at: AppTest, con, indicator: str, period: str, category: str = "") -> None:
    values = _values(con, indicator, period, category)
    k = values[values["level"] == "kommun"]
    assert len(k) == 15
    m, b = _charts(at)
    drawn = {}
    for trace in m["data"]:
        assert trace["type"] == "choroplethmap"
        drawn.update(zip(trace["locations"], trace["z"] if trace["showlegend"] is False else [None] * len(trace["locations"])))
    assert len(drawn) == 15 and sorted(drawn) == sorted(k["region_code"])
    want = {c: (None if v != v else v) for c, v in zip(k["region_code"], k["value"])}
    assert drawn == want
    bar = b["data"][0]
    assert bar["type"] == "bar"
    assert dict(zip(bar["y"], bar["x"])) == {n: v for n, v in zip(k["region_name"], k["value"]) if v == v}


def test_default_view_is_the_first_indicator_in_its_latest_period(built_db, con):
    at = run_in_app(PAGE)
    cat = db.run("karta_indicators", con=con, lan=LAN)
    first = cat["id"].iloc[0]
    latest = _options(con, first)[0]
    assert at.selectbox(key="karta_ind").value == first and at.selectbox(key="karta_period").value == latest
    assert qp(at, "ind") == first and qp(at, "period") == latest and qp(at, "grupp") is None
    _assert_matches_database(at, con, first, latest)
    assert not at.info  # a clean link gives no notice
    assert at.title[0].value == t("karta.title", "sv")


def test_picker_offers_every_kommun_level_indicator(built_db, con):
    at = run_in_app(PAGE)
    cat = db.run("karta_indicators", con=con, lan=LAN)
    assert at.selectbox(key="karta_ind").options == cat["label_sv"].tolist()
    assert sorted(cat["id"]) == sorted(KOMMUN_IDS)


@pytest.mark.parametrize("indicator", KOMMUN_IDS)
def test_every_kommun_level_indicator_renders_database_values(built_db, con, indicator):
    at = run_in_app(PAGE, {"ind": indicator})
    latest = _options(con, indicator)[0]
    assert qp(at, "ind") == indicator and qp(at, "period") == latest
    _assert_matches_database(at, con, indicator, latest)


def test_period_picker_lists_newest_first_formatted(built_db, con):
    at = run_in_app(PAGE, {"ind": "sysselsattningsgrad"})
    periods = _options(con, "sysselsattningsgrad")
    assert at.selectbox(key="karta_period").options == [fmt_period(p, "sv") for p in periods]
    assert periods == sorted(periods, reverse=True)
    with pytest.raises(KeyError):
        at.selectbox(key="karta_grupp")  # no population groups at kommun level: no picker


def test_hover_shows_kommun_county_and_riket_values(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet", "period": "2024M03"})
    values = _values(con, "arbetsloshet", "2024M03").set_index("region_code")
    m, _ = _charts(at)
    trace = m["data"][0]
    hover = trace["text"][trace["locations"].index("2085")]
    fmt = lambda code: fmt_value(values.loc[code, "value"], "procent", "sv", 1)  # noqa: E731
    assert hover == f"<b>Ludvika</b>: {fmt('2085')}<br>Dalarnas län: {fmt(LAN)}<br>Riket: {fmt('00')}"


def test_group_and_period_from_the_url_are_honoured(built_db, con):
    periods = _options(con, "arbetsloshet", "utrikes född")
    period = periods[len(periods) // 2]
    at = run_in_app(PAGE, {"ind": "arbetsloshet", "grupp": "utrikes född", "period": period})
    assert at.selectbox(key="karta_grupp").value == "utrikes född"
    assert at.selectbox(key="karta_period").value == period
    assert at.selectbox(key="karta_period").options == [fmt_period(p, "sv") for p in periods]
    _assert_matches_database(at, con, "arbetsloshet", period, "utrikes född")
    assert "(utrikes född)" in at.markdown[1].value or any("(utrikes född)" in m.value for m in at.markdown)
    assert not at.info


def test_changing_group_moves_to_a_period_it_has_without_a_notice(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet"})
    assert at.selectbox(key="karta_period").value == _options(con, "arbetsloshet")[0]
    at.selectbox(key="karta_grupp").select("utrikes född").run()
    latest = _options(con, "arbetsloshet", "utrikes född")[0]
    assert not at.exception and not at.info
    assert at.selectbox(key="karta_period").value == latest
    assert qp(at, "grupp") == "utrikes född" and qp(at, "period") == latest
    _assert_matches_database(at, con, "arbetsloshet", latest, "utrikes född")
    at.selectbox(key="karta_grupp").select("").run()  # back to everyone: the period is still valid, kept
    assert at.selectbox(key="karta_period").value == latest and qp(at, "grupp") is None


def test_changing_indicator_keeps_the_period(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet", "period": "2023M01"})
    at.selectbox(key="karta_ind").select("sysselsattningsgrad").run()
    assert not at.exception and not at.info
    assert qp(at, "ind") == "sysselsattningsgrad" and qp(at, "period") == "2023M01"
    _assert_matches_database(at, con, "sysselsattningsgrad", "2023M01")


@pytest.mark.parametrize("params, bad", [
    ({"ind": "x' OR 1=1 --"}, "ind"),
    ({"ind": "arbetsloshet", "period": "2026M13"}, "period"),
    ({"ind": "arbetsloshet", "period": "9" * 5000}, "period"),
    ({"ind": "sysselsattningsgrad", "grupp": "utrikes född"}, "grupp"),
    ({"ind": "arbetsloshet", "grupp": "<script>alert(1)</script>"}, "grupp"),
    ({"ind": ["nope", "; DROP TABLE observation; --"]}, "ind"),
])
def test_malformed_links_fall_back_with_one_notice(built_db, con, params, bad):
    at = run_in_app(PAGE, params)
    assert len(at.info) == 1 and f"{bad}=" in at.info[0].value
    ind = qp(at, "ind")
    latest = _options(con, ind)[0]
    assert qp(at, "period") == latest
    _assert_matches_database(at, con, ind, latest)


def test_period_from_another_group_is_a_notice_not_a_crash(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet", "grupp": "utrikes född", "period": _options(con, "arbetsloshet")[0]})
    assert len(at.info) == 1 and "period=" in at.info[0].value
    assert qp(at, "period") == _options(con, "arbetsloshet", "utrikes född")[0]


def test_english(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet"}, "en")
    latest = _options(con, "arbetsloshet")[0]
    values = _values(con, "arbetsloshet", latest).set_index("region_code")
    assert at.title[0].value == "Map"
    assert at.selectbox(key="karta_ind").value == "arbetsloshet"
    assert "Unemployment, age 20–64" in at.selectbox(key="karta_ind").options
    m, b = _charts(at)
    assert m["layout"]["separators"] == ".," and b["layout"]["separators"] == ".,"
    trace = m["data"][0]
    hover = trace["text"][trace["locations"].index("2080")]
    fmt = lambda code: fmt_value(values.loc[code, "value"], "procent", "en", 1)  # noqa: E731
    assert hover == f"<b>Falun</b>: {fmt('2080')}<br>Dalarna County: {fmt(LAN)}<br>Sweden: {fmt('00')}"
    assert any(fmt_period(latest, "en") in c.value for c in at.caption)


def test_summary_sentence_is_computed_from_the_data(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet"})
    latest = _options(con, "arbetsloshet")[0]
    k = _values(con, "arbetsloshet", latest).query("level == 'kommun'").sort_values("value")
    lead = [m.value for m in at.markdown if m.value.startswith("**")][0]
    top, low = k.iloc[-1], k.iloc[0]
    assert f"{top['region_name']} ({fmt_value(top['value'], 'procent', 'sv', 1)})" in lead
    assert f"{low['region_name']} ({fmt_value(low['value'], 'procent', 'sv', 1)})" in lead


def test_select_box_and_button_open_the_profile(built_db):
    at = run_in_app(PAGE)
    button = at.button[-1]
    assert button.disabled  # nothing chosen yet
    at.selectbox(key="karta_profile").select("2080").run()
    at.button[-1].click().run()
    assert not at.exception
    assert qp(at, "kommun") == "2080" and qp(at, "lang") == "sv"
    assert "Falun" in at.title[0].value  # the kommunprofil page is showing


def test_clicking_a_kommun_on_the_map_opens_its_profile(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet"})
    latest = _options(con, "arbetsloshet")[0]
    # What Streamlit stores when a map area is clicked (checked in Chromium: the click selects).
    at.session_state[f"fig-karta-arbetsloshet-{latest}-20"] = {
        "selection": {"points": [{"curve_number": 0, "point_index": 0, "location": "2062"}],
                      "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    assert qp(at, "kommun") == "2062" and "Mora" in at.title[0].value


def test_unknown_location_in_a_selection_is_ignored(built_db, con):
    at = run_in_app(PAGE, {"ind": "arbetsloshet"})
    latest = _options(con, "arbetsloshet")[0]
    at.session_state[f"fig-karta-arbetsloshet-{latest}-20"] = {
        "selection": {"points": [{"location": "9999"}, "junk"], "point_indices": [], "box": [], "lasso": []}}
    at.run()
    assert not at.exception and qp(at, "kommun") is None
    assert at.title[0].value == t("karta.title", "sv")
