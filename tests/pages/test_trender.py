"""AppTest of the Trender och jämförelser page: what is drawn equals what the database holds."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.figures.trends import UNKNOWN_INDUSTRY, default_comparison_period
from atlas.i18n import fmt_period, t
from tests.pages.helpers import named_in_notice, open_cards, qp, run_page, url_notice

PAGE = ROOT / "pages" / "trender.py"
CATALOGUE_IDS = [e["id"] for e in yaml.safe_load(Path(ROOT / "data" / "curated" / "indicators.yml").read_text("utf-8"))
               if not e.get("live_only")]  # live_only ones have no data in the mirror build


def _charts(at: AppTest) -> dict[str, dict]:
    """Figure JSON by the figure card's key (the part after 'fig-' in the element id)."""
    out = {}
    for chart in at.get("plotly_chart"):
        key = re.sub(r"^.*?-fig-", "", chart.proto.id)
        out[key] = json.loads(chart.proto.spec)
    return out


def _chart(at: AppTest, prefix: str) -> dict:
    found = [v for k, v in _charts(at).items() if k.startswith(prefix)]
    assert len(found) == 1, f"{prefix!r} not among {list(_charts(at))}"
    return found[0]


def _only_chart_starts(at: AppTest, prefix: str) -> bool:
    """Exactly one figure is drawn and its key starts with ``prefix`` (keys carry every filter)."""
    keys = list(_charts(at))
    return len(keys) == 1 and keys[0].startswith(prefix)


def _arr(v) -> np.ndarray:
    """Plotly's JSON arrays: either a list or {'dtype', 'bdata'} (base64 of the raw buffer)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).astype(float)
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def test_catalogue_in_yaml_is_the_catalogue_in_the_database(con):
    assert db.run("trend_catalogue", con=con)["id"].tolist() == CATALOGUE_IDS


# --- default view ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_view(con, lang):
    at = run_page(PAGE, lang=lang)
    assert at.title[0].value == t("trender.title", lang)
    assert not url_notice(at)
    fig = _chart(at, "trend-arbetsloshet-T")
    want = db.run("series", con=con, indicator="arbetsloshet", regions=["20", "00"], sex="T", category="")
    assert [tr["name"] for tr in fig["data"]] == (["Dalarna County", "Sweden"] if lang == "en" else ["Dalarnas län", "Riket"])
    for tr, code in zip(fig["data"], ["20", "00"]):
        assert np.array_equal(_arr(tr["y"]), want.loc[want["region_code"] == code, "value"].to_numpy(float))
    assert _only_chart_starts(at, "trend-arbetsloshet-T-")  # only the first section runs
    picker = at.button_group(key="tr_vy")
    assert picker.value == "tid"
    assert picker.options == [t(f"trender.view.{v}", lang) for v in ("tid", "lan", "fodelse", "varsel")]
    assert qp(at, "vy") == "tid" and qp(at, "ind") == "arbetsloshet" and qp(at, "reg") == "20,00"


# --- the section picker (?vy=) ------------------------------------------------------------------------

# Each section's figures (key prefixes, in order) with default filters.
SECTIONS = {
    "tid": ["trend-arbetsloshet-T"],
    "lan": ["lan-arbetsloshet-T-"],
    "fodelse": ["fodelseregion"],
    "varsel": ["varsel-1992", "varsel-bransch-2010"],
}


@pytest.mark.parametrize("view", list(SECTIONS))
def test_each_section_draws_only_its_figures_each_with_downloads_and_deck(view):
    at = run_page(PAGE, {"vy": view})
    assert not url_notice(at)
    keys = list(_charts(at))
    assert len(keys) == len(SECTIONS[view]) and all(k.startswith(p) for k, p in zip(keys, SECTIONS[view])), keys
    assert at.button_group(key="tr_vy").value == view and qp(at, "vy") == view
    headers = {"tid": "sec_time", "lan": "sec_compare", "fodelse": "sec_birth", "varsel": "sec_varsel"}
    assert [h.value for h in at.header] == [t(f"trender.{headers[view]}", "sv")]
    # closed cards draw neither their table nor their download buttons; opened, each card has both
    assert not at.get("download_button") and not at.dataframe
    open_cards(at)
    assert len(at.dataframe) >= len(keys)
    buttons = {b.key for b in at.get("download_button")} | {b.key for b in at.button}
    for key in keys:
        assert {f"csv-{key}", f"xlsx-{key}", f"deck-{key}"} <= buttons, key


@pytest.mark.parametrize("params, view", [
    ({"jmf_ind": "arbetsloshet"}, "lan"),
    ({"jmf_tid": "1"}, "lan"),
    ({"fr_reg": "2080"}, "fodelse"),
    ({"varsel_topp": "3"}, "varsel"),
    ({"varsel_fran": "2015", "varsel_till": "2018"}, "varsel"),
    ({"jmf_period": "2023M06", "varsel_topp": "3"}, "lan"),  # the first section (page order) in the link
    ({"ind": "arbetsloshet", "reg": "20,00", "jmf_ind": "arbetsloshet", "fr_reg": "20", "varsel_topp": "5"}, "tid"),
    ({"vy": "varsel", "jmf_ind": "arbetsloshet"}, "varsel"),  # an explicit ?vy= wins
])
def test_link_without_vy_opens_the_section_its_parameters_belong_to(params, view):
    at = run_page(PAGE, params)
    assert not url_notice(at)
    assert at.button_group(key="tr_vy").value == view and qp(at, "vy") == view
    assert list(_charts(at))[0].startswith(SECTIONS[view][0].split("-")[0])
    for k, v in params.items():  # the link's parameters survive, whichever section is shown
        if k != "vy" and k not in ("jmf_period",):
            assert qp(at, k) == v, k


@pytest.mark.parametrize("bad", ["bogus", "VARSEL", "1", "tid,lan", "x" * 500])
def test_malformed_view_gives_the_notice_and_the_default(bad):
    at = run_page(PAGE, {"vy": bad})
    assert url_notice(at)
    assert at.button_group(key="tr_vy").value == "tid" and qp(at, "vy") == "tid"
    assert _only_chart_starts(at, "trend-arbetsloshet-T-")


def test_malformed_view_falls_back_to_the_section_of_the_links_parameters():
    at = run_page(PAGE, {"vy": "nope", "fr_reg": "2080"})
    assert url_notice(at) and qp(at, "vy") == "fodelse"
    _chart(at, "fodelseregion")


def test_switching_sections_keeps_each_sections_choices():
    at = run_page(PAGE, {"ind": "sysselsattningsgrad", "reg": "2085,2080"})
    at.button_group(key="tr_vy").set_value("varsel").run()
    assert not at.exception and not url_notice(at)
    at.selectbox(key="tr_topp").select(3).run()
    assert list(_charts(at))[0].startswith("varsel-") and qp(at, "varsel_topp") == "3"
    assert qp(at, "ind") == "sysselsattningsgrad" and qp(at, "reg") == "2085,2080"  # kept for the way back
    at.button_group(key="tr_vy").set_value("tid").run()
    assert _only_chart_starts(at, "trend-sysselsattningsgrad-T-")
    assert at.multiselect(key="tr_reg").value == ["2085", "2080"]
    at.button_group(key="tr_vy").set_value("varsel").run()
    assert at.selectbox(key="tr_topp").value == 3 and qp(at, "vy") == "varsel"
    at.button_group(key="tr_vy").set_value(None).run()  # clicking the chosen option again
    assert at.button_group(key="tr_vy").value == "varsel" and list(_charts(at))[0].startswith("varsel-")
    assert not at.exception and not url_notice(at)


# --- section 1: non-default parameters --------------------------------------------------------------

def test_kommun_series(con):
    at = run_page(PAGE, {"ind": "sysselsattningsgrad", "reg": "2085,2080"})
    fig = _chart(at, "trend-sysselsattningsgrad-T")
    want = db.run("series", con=con, indicator="sysselsattningsgrad", regions=["2085", "2080"], sex="T", category="")
    assert [tr["name"] for tr in fig["data"]] == ["Ludvika", "Falun"]
    for tr, code in zip(fig["data"], ["2085", "2080"]):
        assert np.array_equal(_arr(tr["y"]), want.loc[want["region_code"] == code, "value"].to_numpy(float))
    assert not url_notice(at)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_matchningsgrad_category_and_sex(con, lang):
    cat = "födda i Asien"
    at = run_page(PAGE, {"ind": "matchningsgrad", "kat": cat, "kon": "K", "reg": "20,01"}, lang=lang)
    assert not url_notice(at)
    fig = _chart(at, "trend-matchningsgrad-K")
    want = db.run("series", con=con, indicator="matchningsgrad", regions=["20", "01"], sex="K", category=cat)
    for tr, code in zip(fig["data"], ["20", "01"]):
        assert np.array_equal(_arr(tr["y"]), want.loc[want["region_code"] == code, "value"].to_numpy(float),
                              equal_nan=True)
    assert at.selectbox(key="tr_kat").value == cat
    shown = at.selectbox(key="tr_kat").format_func(cat)
    cats = json.loads(db.run("trend_catalogue", con=con).set_index("id").loc["matchningsgrad", "categories_en"])
    assert shown == (cats[cat][0].upper() + cats[cat][1:] if lang == "en" else "Födda i Asien")
    assert qp(at, "kon") == "K"


@pytest.mark.parametrize("indicator", CATALOGUE_IDS)
def test_every_indicator_renders(con, indicator):
    at = run_page(PAGE, {"ind": indicator})
    assert not url_notice(at)
    options = db.run("trend_options", con=con, indicator=indicator)
    regions = at.multiselect(key="tr_reg").value
    assert regions, indicator
    sex = qp(at, "kon") or "T"
    cat = qp(at, "kat") if qp(at, "kat") is not None else options["category"].iloc[0]
    fig = _chart(at, f"trend-{indicator}-{sex}")
    want = db.run("series", con=con, indicator=indicator, regions=regions, sex=sex, category=cat)
    got = np.concatenate([_arr(tr["y"]) for tr in fig["data"]])
    assert np.array_equal(got, want["value"].to_numpy(float), equal_nan=True)


def test_indicator_change_in_session_keeps_valid_choices():
    at = run_page(PAGE, {"ind": "arbetsloshet", "reg": "2080,20"})
    at.selectbox(key="tr_ind").select("matchningsgrad").run()
    assert not at.exception and not url_notice(at)
    assert at.multiselect(key="tr_reg").value == ["20"]  # the kommun has no data for matchningsgrad
    assert qp(at, "ind") == "matchningsgrad" and qp(at, "reg") == "20"
    at.selectbox(key="tr_ind").select("etablering_forvarvsarbetande").run()
    assert not at.exception and not url_notice(at)
    assert at.selectbox(key="tr_kat").value == "vistelsetid 0-1 år"  # no whole-population value in the source


# --- section 2: the county comparison -----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_comparison_uses_one_source(con, lang):
    period = "2023M06"
    at = run_page(PAGE, {"jmf_ind": "arbetsloshet", "jmf_period": period}, lang=lang)
    assert not url_notice(at)
    fig = _chart(at, f"lan-arbetsloshet-T-{period}")
    rows = con.execute("SELECT source_id, value FROM observation WHERE indicator_id = 'arbetsloshet' AND "
                       "region_code = '20' AND period = $p AND category = ''", {"p": period}).fetchall()
    by_source = dict(rows)
    assert by_source["bas_lan_manad"] != by_source["bas_kommun"]  # the two vintages differ in this month
    dalarna = [tr for tr in fig["data"] if tr.get("y") == ["20"]]
    assert len(dalarna) == 1 and _arr(dalarna[0]["x"])[0] == by_source["bas_lan_manad"]
    codes = [c for tr in fig["data"] if tr["type"] == "bar" for c in tr["y"]]
    assert len(codes) == 21 and "00" not in codes
    riket = con.execute("SELECT value FROM observation WHERE indicator_id = 'arbetsloshet' AND region_code = '00' "
                        "AND period = $p AND source_id = 'bas_lan_manad'", {"p": period}).fetchall()[0][0]
    assert fig["layout"]["shapes"][0]["x0"] == riket
    tables = [d.value for d in open_cards(at).dataframe if t("trender.col_rank", lang) in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) == 22  # 21 län + Riket
    assert any("bas_lan_manad" in c.value and t("trender.compare_older_vintage", lang, regions="")[:25] in c.value
               for c in at.caption)


def test_comparison_default_period_and_lines(con):
    at = run_page(PAGE, {"jmf_ind": "arbetsloshet", "jmf_tid": "1"})
    compare = db.run("trend_compare", con=con, indicator="arbetsloshet", sex="T", category="")
    period = default_comparison_period(compare)
    _chart(at, f"lan-arbetsloshet-T-{period}")
    lines = _chart(at, "lan-tid-arbetsloshet-T")
    dalarna = [tr for tr in lines["data"] if tr["name"] == "Dalarnas län"]
    assert np.array_equal(_arr(dalarna[0]["y"]), compare.loc[compare["region_code"] == "20", "value"].to_numpy(float))
    assert len(lines["data"]) == 22


def test_comparison_with_category_and_sex(con):
    at = run_page(PAGE, {"jmf_ind": "etablering_forvarvsarbetande", "jmf_kat": "vistelsetid 4-9 år", "jmf_kon": "M",
               "jmf_period": "2015"})
    assert not url_notice(at)
    fig = _chart(at, "lan-etablering_forvarvsarbetande-M-2015")
    want = db.run("trend_compare", con=con, indicator="etablering_forvarvsarbetande", sex="M",
                  category="vistelsetid 4-9 år")
    dalarna = [tr for tr in fig["data"] if tr.get("y") == ["20"]][0]
    assert _arr(dalarna["x"])[0] == want.query("region_code == '20' and period == '2015'")["value"].iloc[0]
    assert fig["layout"].get("shapes", []) == []  # this source has no Riket


# --- section 3: birth region --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_birth_region_lines(con, lang):
    at = run_page(PAGE, {"fr_reg": "2080"}, lang=lang)
    fig = _chart(at, "fodelseregion")
    want = db.run("trend_birth_region", con=con, region="2080")
    for tr, cat in zip(fig["data"][:2], ["inrikes född", "utrikes född"]):
        assert np.array_equal(_arr(tr["y"]), want.loc[want["category"] == cat, "value"].to_numpy(float))
    gap = want.pivot(index="period", columns="category", values="value")
    assert np.allclose(_arr(fig["data"][2]["y"]), (gap["utrikes född"] - gap["inrikes född"]).to_numpy())
    first, last = want["period"].min(), want["period"].max()
    assert any(fmt_period(first, lang) in c.value and fmt_period(last, lang) in c.value for c in at.caption)


# --- section 4: varsel --------------------------------------------------------------------------------

def test_varsel_month_and_industry(con):
    at = run_page(PAGE, {"varsel_fran": "2018", "varsel_till": "2019", "varsel_topp": "3", "varsel_ma": "0"})
    assert not url_notice(at)
    month = _chart(at, "varsel-2018-2019")
    want = db.run("trend_varsel_month", con=con, lan="20")
    shown = want[want["period"].str[:4].isin(["2018", "2019"])]
    assert len(month["data"]) == 1  # no moving average
    y = _arr(month["data"][0]["y"])
    assert y[list(shown["period"]).index("2019M03")] == shown.set_index("period").loc["2019M03", "value"]
    industry = _chart(at, "varsel-bransch-2018-2019")
    rows = db.run("trend_varsel_industry", con=con, lan="20")
    rows = rows[rows["period"].isin(["2018", "2019"])]
    stacked = sum(_arr(tr["y"]) for tr in industry["data"] if tr["type"] == "bar")
    assert stacked.tolist() == rows.groupby("period")["value"].sum().tolist()
    names = [tr["name"] for tr in industry["data"] if tr["type"] == "bar"]
    assert names[-1] == UNKNOWN_INDUSTRY and len(names) == 5  # top 3, other, unknown
    # The definition (drawn when its expander is opened) explains why the industry totals differ
    # from the monthly sums.
    note = t("trender.varsel_definition_note", "sv")[:40]
    assert not any(note in m.value for m in at.markdown)
    assert any(note in m.value for m in open_cards(at).markdown)


def test_varsel_years_outside_industry_range():
    at = run_page(PAGE, {"varsel_fran": "1995", "varsel_till": "1999"})
    assert any(i.value.startswith(t("trender.industry_outside_range", "sv", first="x", last="y")[:20]) for i in at.info)
    _chart(at, "varsel-1995-1999")


def test_other_county_has_no_varsel(con):
    at = run_page(PAGE, {"vy": "varsel"}, county="03")
    assert any(i.value.startswith(t("trender.varsel_missing", "sv", county="x")[:20]) for i in at.info)
    assert not any(k.startswith("varsel") for k in _charts(at))
    # The birth-region table does not cover this county: the caption says so and Riket is shown.
    at = run_page(PAGE, {"vy": "fodelse"}, county="03")
    assert at.selectbox(key="tr_fr_reg").value == "00"
    assert any("Uppsala län" in c.value and t("trender.birth_coverage_other", "sv", span="", county="",
                                               available="")[:30] in c.value for c in at.caption)
    assert qp(run_page(PAGE, county="03"), "reg") == "03,00"


# --- malformed links ----------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"ind": "nope", "reg": "99,xx", "kon": "Q", "kat": "no such group"},
    {"ind": "arbetsloshet' OR 1=1 --", "reg": "20' OR '1'='1", "jmf_ind": "x'); DROP TABLE observation; --"},
    {"ind": "a" * 5000, "reg": ",".join(["20"] * 2500), "jmf_period": "9" * 5000, "fr_reg": "z" * 5000},
    {"ind": ["sysselsatta", "nope"], "reg": ["20", "00"], "varsel_fran": ["1992", "x"]},
    {"varsel_fran": "abc", "varsel_till": "3000", "varsel_topp": "99", "varsel_ma": "maybe", "jmf_tid": "yes"},
    {"jmf_ind": "varsel", "jmf_period": "1900", "jmf_kat": "x", "jmf_kon": "Z"},
])
def test_malformed_links_fall_back_with_a_notice(con, params):
    at = run_page(PAGE, params)
    assert url_notice(at), params
    assert len(at.get("plotly_chart")) >= 1
    assert not at.error


@pytest.mark.parametrize("params, bad", [
    ({"ind": "sysselsattningsgrad", "kon": "K"}, "kon"),  # no data by sex for this indicator
    ({"ind": "arbetskraften", "kat": "utrikes född"}, "kat"),  # no groups for this indicator
])
def test_a_breakdown_the_indicator_does_not_have_gets_the_notice(params, bad):
    """Before: the parameter was dropped silently and the page showed the whole population."""
    at = run_page(PAGE, params)
    assert named_in_notice(at, params) == {bad}
    assert qp(at, bad) is None and qp(at, "ind") == params["ind"]
    assert url_notice(run_page(PAGE, {"ind": "sysselsattningsgrad", "kon": "T"})) is None  # the only choice


@pytest.mark.parametrize("params, param, now", [
    ({"vy": "fodelse", "fr_reg": "2080"}, "fr_reg", "00"),
    ({"vy": "tid", "reg": "2080,20"}, "reg", "20"),
])
def test_changing_the_county_is_no_bad_link(params, param, now):
    """The sidebar's county picker sets the county and ?lan=; a kommun of the old county that the
    new one lacks is replaced without the bad-link notice (before: the notice named it)."""
    at = run_page(PAGE, {**params, "lan": "20"}, county="20")
    at.session_state["county"] = "03"
    at.query_params["lan"] = "03"
    at.run()
    assert not at.exception and url_notice(at) is None
    assert qp(at, param) == now


def test_backwards_year_range_is_swapped():
    at = run_page(PAGE, {"varsel_fran": "2020", "varsel_till": "2010"})
    assert not url_notice(at)
    _chart(at, "varsel-2010-2020")


def test_empty_region_choice_asks_for_a_region():
    at = run_page(PAGE)
    at.multiselect(key="tr_reg").set_value([]).run()
    assert not at.exception
    assert any(i.value == t("trender.no_regions", "sv") for i in at.info)
