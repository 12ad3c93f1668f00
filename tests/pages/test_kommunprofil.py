"""Kommunprofil page (AppTest on the page file): every number shown equals what the database holds,
odd links fall back to defaults with a notice, and the page works in sv and en."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.i18n import fmt_number, fmt_period, fmt_value, t
from atlas.profile import ordinal
from tests.pages.helpers import qp, run_page, url_notice

PAGE = ROOT / "pages" / "kommunprofil.py"
LAN = "20"
LUDVIKA = "2085"
P = "kommunprofil."


def _kommuner(con) -> pd.DataFrame:
    regions = db.run("regions", con=con, lan=LAN)
    return regions[regions["level"] == "kommun"]


def _latest_for_kommun(con, indicator: str, kommun: str) -> tuple[str, dict[str, float | None]]:
    """The kommun's latest period with a value, and kommun/county/Riket values in that period."""
    s = db.run("series", con=con, indicator=indicator, regions=[kommun, LAN, "00"], sex="T", category="")
    mine = s[(s["region_code"] == kommun) & s["value"].notna()]
    period = mine.sort_values("period_date")["period"].iloc[-1]
    at = s[s["period"] == period].set_index("region_code")["value"]
    return period, {c: (None if c not in at.index or pd.isna(at[c]) else float(at[c])) for c in (kommun, LAN, "00")}


def _kommun_indicators(con) -> pd.DataFrame:
    cat = db.run("indicator_coverage", con=con)
    return cat[cat["levels"].fillna("").str.contains("kommun")]


def _frame_with(at: AppTest, column: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if column in d.value.columns]


def _decode(values) -> np.ndarray:
    """Plotly JSON stores arrays as {'dtype', 'bdata'} (base64) or as plain lists."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _findings(at: AppTest) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(found) == 1
    return found[0]


# --- default view -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_is_the_most_populous_kommun(built_db, lang):
    con = db.connect(built_db)
    kommuner = _kommuner(con)
    pop = db.run("latest_values", con=con, indicator="befolkning_20_64", regions=kommuner["code"].tolist())
    biggest = pop.sort_values("value", ascending=False).iloc[0]
    at = run_page(PAGE, lang=lang, no_error=True)
    name = biggest["region_name_en" if lang == "en" else "region_name"]
    assert at.title[0].value == f"{t(P + 'title', lang)}: {name}"
    assert qp(at, "kommun") == biggest["region_code"]
    assert qp(at, "ind") == "arbetsloshet"
    assert qp(at, "lik") == "arbetsloshet,sysselsattningsgrad,arbetskraftsdeltagande"
    assert not at.info  # no notice without a link


# --- Ludvika: table, trend, similar kommuner, findings ------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_table_values_equal_database(built_db, lang):
    con = db.connect(built_db)
    at = run_page(PAGE, {"kommun": LUDVIKA}, lang, no_error=True)
    names = dict(zip(db.run("regions_all", con=con)["code"],
                     db.run("regions_all", con=con)["name_en" if lang == "en" else "name"]))
    tables = _frame_with(at, t(P + "col_indicator", lang))
    assert len(tables) == 2  # rates, then counts
    assert (tables[0][t(P + "col_unit", lang)] == t("unit_names.procent", lang)).all()
    shown = pd.concat(tables).set_index(t(P + "col_indicator", lang))
    wanted = _kommun_indicators(con)
    assert len(shown) == len(wanted)
    for _, ind in wanted.iterrows():
        period, values = _latest_for_kommun(con, ind["id"], LUDVIKA)
        row = shown.loc[ind["label_en" if lang == "en" else "label_sv"]]
        for code in (LUDVIKA, LAN, "00"):
            assert row[names[code]] == fmt_value(values[code], ind["unit"], lang, int(ind["decimals"])), (ind["id"], code)
        assert row[t(P + "col_period", lang)] == fmt_period(period, lang)
        assert row[t(P + "col_unit", lang)] == t(f"unit_names.{ind['unit']}", lang)
    # The period is also stated under the table.
    assert any(f"{t('common.period', lang)}: {fmt_period(period, lang)}" in c.value for c in at.caption)


@pytest.mark.parametrize("indicator", ["arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"])
def test_trend_lines_equal_database_series(built_db, indicator):
    con = db.connect(built_db)
    at = run_page(PAGE, {"kommun": LUDVIKA, "ind": indicator}, "sv", no_error=True)
    assert at.selectbox(key="kp_ind").value == indicator
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    fig = json.loads(charts[0].proto.spec)
    series = db.run("series", con=con, indicator=indicator, regions=[LUDVIKA, LAN, "00"], sex="T", category="")
    assert [tr["name"] for tr in fig["data"]] == ["Ludvika", "Dalarnas län", "Riket"]
    for trace, code in zip(fig["data"], [LUDVIKA, LAN, "00"]):
        want = series[series["region_code"] == code].sort_values("period_date")["value"].to_numpy(dtype=float)
        np.testing.assert_array_equal(_decode(trace["y"]), want)
    assert fig["data"][2]["line"]["dash"] == "dot"


def test_similar_kommuner_exclude_itself_and_match_database(built_db):
    con = db.connect(built_db)
    chosen = ["arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande"]
    at = run_page(PAGE, {"kommun": LUDVIKA}, "sv", no_error=True)
    (table,) = _frame_with(at, t(P + "col_distance", "sv"))
    assert 0 < len(table) <= 5
    assert "Ludvika" not in table[t(P + "col_kommun", "sv")].tolist()
    # Recompute independently: z-scores over every kommun in the database at the latest period.
    kommuner = db.run("regions_all", con=con).query("level == 'kommun'")
    latest = {i: db.run("latest_values", con=con, indicator=i, regions=kommuner["code"].tolist()) for i in chosen}
    wide = pd.DataFrame({i: df.set_index("region_name")["value"] for i, df in latest.items()}).dropna()
    z = (wide - wide.mean()) / wide.std(ddof=0)
    dist = ((z - z.loc["Ludvika"]) ** 2).sum(axis=1).pow(0.5).drop("Ludvika")
    dist = dist.sort_values(kind="stable")
    assert table[t(P + "col_kommun", "sv")].tolist() == dist.index[:len(table)].tolist()
    assert table[t(P + "col_distance", "sv")].tolist() == [fmt_number(d, "sv", 2) for d in dist.iloc[:len(table)]]
    labels = db.run("indicator_coverage", con=con).set_index("id")["label_sv"]
    for i in chosen:
        assert table[labels[i]].tolist() == [fmt_value(wide.loc[k, i], "procent", "sv", 1)
                                             for k in table[t(P + "col_kommun", "sv")]]
    assert any(c.value.startswith("Likhet = avstånd mellan standardiserade värden (z-poäng)") for c in at.caption)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_findings_carry_database_numbers(built_db, lang):
    con = db.connect(built_db)
    at = run_page(PAGE, {"kommun": LUDVIKA}, lang, no_error=True)
    text = _findings(at)
    period, values = _latest_for_kommun(con, "arbetsloshet", LUDVIKA)
    for code in (LUDVIKA, LAN, "00"):
        assert fmt_value(values[code], "procent", lang, 1) in text
    assert fmt_period(period, lang) in text
    # 12-month change: the value the same month a year earlier.
    prev = f"{int(period[:4]) - 1}{period[4:]}"
    s = db.run("series", con=con, indicator="arbetsloshet", regions=[LUDVIKA], sex="T", category="")
    old = float(s.loc[s["period"] == prev, "value"].iloc[0])
    assert fmt_value(old, "procent", lang, 1) in text
    assert fmt_number(abs(round(values[LUDVIKA] - old, 1)), lang, 1) in text
    # Rank among the county's kommuner, counted from the nearer end.
    county = db.run("latest_values", con=con, indicator="arbetsloshet", regions=_kommuner(con)["code"].tolist())
    higher = int((county["value"] > values[LUDVIKA]).sum())
    lower = int((county["value"] < values[LUDVIKA]).sum())
    pos, end = (lower + 1, "lowest" if lang == "en" else "lägsta") if lower <= higher else \
        (higher + 1, "highest" if lang == "en" else "högsta")
    assert (f"{ordinal(pos, lang)} {end}" if pos > 1 else end) in text
    assert str(len(county)) in text
    # Highest unemployment in the kommun's own series.
    assert fmt_value(s["value"].max(), "procent", lang, 1) in text
    assert fmt_period(s["period"].iloc[0], lang) in text
    # Employment rate against Riket.
    _, emp = _latest_for_kommun(con, "sysselsattningsgrad", LUDVIKA)
    assert fmt_value(emp["00"], "procent", lang, 1) in text


def test_every_kommun_of_the_county_renders(built_db):
    con = db.connect(built_db)
    for code, name in zip(*_kommuner(con)[["code", "name"]].to_dict("list").values()):
        at = run_page(PAGE, {"kommun": code}, "sv", no_error=True)
        assert at.title[0].value.endswith(name)
        (rates, _counts) = _frame_with(at, t(P + "col_indicator", "sv"))
        _, values = _latest_for_kommun(con, "arbetsloshet", code)
        row = rates.set_index(t(P + "col_indicator", "sv")).loc["Arbetslöshet 20–64 år"]
        assert row[name] == fmt_value(values[code], "procent", "sv", 1)
        assert len(_findings(at).splitlines()) >= 3


# --- widgets write the URL ----------------------------------------------------------------------

def test_picking_a_kommun_updates_url_and_content(built_db):
    at = run_page(PAGE, {"kommun": LUDVIKA}, "sv", no_error=True)
    at.selectbox(key="kp_kommun").set_value("2062").run()
    assert not at.exception and not at.error
    assert qp(at, "kommun") == "2062"
    assert at.title[0].value.endswith("Mora")
    assert "Mora" in _frame_with(at, t(P + "col_indicator", "sv"))[0].columns


def test_a_new_link_in_the_same_session_is_followed(built_db):
    """The URL changed outside the page's widgets wins over their state. Before, the kommun was
    seeded from the URL once per session and a later ?kommun= was ignored (reachable in AppTest;
    in the browser every route to a new ?kommun= so far also cleared the widget's state)."""
    at = run_page(PAGE, {"kommun": LUDVIKA}, "sv", no_error=True)
    at.query_params["kommun"] = "2062"
    at.run()
    assert not at.exception and at.title[0].value.endswith("Mora") and qp(at, "kommun") == "2062"


def test_changing_the_county_is_no_bad_link(built_db):
    """Before: the notice named the old county's kommun (kommun='2085') as a bad link value."""
    at = run_page(PAGE, {"kommun": LUDVIKA, "lan": LAN}, "sv", county=LAN, no_error=True)
    at.session_state["county"] = "03"  # what the sidebar's county picker does
    at.query_params["lan"] = "03"
    at.run()
    assert not at.exception and url_notice(at) is None
    default = run_page(PAGE, {"lan": "03"}, "sv", county="03", no_error=True)
    assert qp(at, "kommun") == qp(default, "kommun") and at.title[0].value == default.title[0].value


def test_similarity_indicators_from_url_and_empty_choice(built_db):
    at = run_page(PAGE, {"kommun": LUDVIKA, "lik": "arbetsloshet"}, "en", no_error=True)
    assert at.multiselect(key="kp_lik").value == ["arbetsloshet"]
    (table,) = _frame_with(at, t(P + "col_distance", "en"))
    assert "Unemployment, age 20–64" in table.columns and "Employment rate, age 20–64" not in table.columns
    at.multiselect(key="kp_lik").set_value([]).run()
    assert not at.exception and not at.error
    assert any(i.value == t(P + "similar_pick_one", "en") for i in at.info)
    assert not _frame_with(at, t(P + "col_distance", "en"))


# --- malformed links ----------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"kommun": "9999"},
    {"kommun": "0180"},  # Stockholm: a real kommun, but not in the county
    {"kommun": "x' OR 1=1 --"},
    {"kommun": "2" * 5000},
    {"kommun": [LUDVIKA, "9999"]},  # repeated key: the last one counts
    {"ind": "befolkning_20_64"},  # a count, not a rate with a trend of three comparable lines
    {"ind": "x'); DROP TABLE observation; --"},
    {"lik": "arbetsloshet,x' OR 1=1 --"},
    {"lik": "a" * 5000},
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_malformed_links_fall_back_with_notice(built_db, params, lang):
    at = run_page(PAGE, params, lang, no_error=True)
    assert url_notice(at, lang), [i.value for i in at.info]
    assert at.get("plotly_chart")  # the page still draws its chart
    assert len(qp(at, "kommun")) == 4
    if "kommun" in params:
        default = run_page(PAGE, lang=lang, no_error=True)
        assert at.title[0].value == default.title[0].value
    if "ind" in params:
        assert qp(at, "ind") == "arbetsloshet"
    if params.get("lik", "").startswith("arbetsloshet,"):
        assert at.multiselect(key="kp_lik").value == ["arbetsloshet"]  # the valid part is kept
