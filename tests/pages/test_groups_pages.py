"""Own comparison groups on Trender and Kommunprofil (AppTest): the group's line against a hand
computation, the link, the messages for bad groups, the similarity weights, and the group in the
downloads' metadata."""

from __future__ import annotations

import io
import json
import zipfile

import plotly.io as pio
import pytest

from atlas import ROOT, db
from atlas.i18n import t
from tests.pages.helpers import figure_keys, named_in_notice, page_runner, plotly_values, qp

trender = page_runner(ROOT / "pages" / "trender.py", no_error=True)
profil = page_runner(ROOT / "pages" / "kommunprofil.py", no_error=True)


def _figure(at):
    return pio.from_json(at.get("plotly_chart")[0].proto.spec)


def _last(trace) -> float:
    return plotly_values(trace.to_plotly_json()["y"])[-1]


def _by_hand(con, members: list[str], period: str = "2026M04") -> float:
    rows = db.run("group_values", con=con, indicators=["arbetslosa", "arbetskraften"], regions=members, sex="T",
                  category="")
    at = rows[rows["period"] == period].groupby("indicator_id")["value"].sum()
    return 100 * at["arbetslosa"] / at["arbetskraften"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_trender_draws_the_group_beside_the_regions(built_db, lang):
    at = trender({"ind": "arbetsloshet", "reg": "20,00", "egen": "2085,2084,2061", "egen_namn": "Bergslagen"}, lang)
    fig = _figure(at)
    assert [tr.name for tr in fig.data] == [("Dalarnas län" if lang == "sv" else "Dalarna County"),
                                             ("Riket" if lang == "sv" else "Sweden"), "Bergslagen"]
    group = fig.data[-1]
    assert _last(group) == pytest.approx(_by_hand(db.connect(built_db), ["2085", "2084", "2061"]))
    note = at.caption[-1].value
    assert note.startswith("Bergslagen (3 ") and t("groups.method_counts", lang, indicator="", num="", den="")[5:25] in note
    (key,) = figure_keys(at)
    assert key.endswith("-egen-2085+2084+2061-Bergslagen")
    assert qp(at, "egen") == "2085,2084,2061" and qp(at, "egen_namn") == "Bergslagen"


def test_a_breakdown_without_counts_is_an_unweighted_mean_and_says_so(built_db):
    at = trender({"ind": "arbetsloshet", "reg": "20", "kat": "utrikes född", "egen": "2085,2084"}, "sv")
    fig = _figure(at)
    rows = db.run("series", con=db.connect(built_db), indicator="arbetsloshet", regions=["2085", "2084"], sex="T",
                  category="utrikes född")
    last = rows[rows["period"] == rows["period"].max()]
    assert _last(fig.data[-1]) == pytest.approx(last["value"].mean())
    assert "ovägt medelvärde" in at.caption[-1].value and fig.data[-1].name == "Egen grupp"


def test_a_group_naming_a_county_or_riket_gets_its_own_message():
    params = {"ind": "arbetsloshet", "egen": "2085,20,00,9999"}
    at = trender(params, "en")
    assert any("20, 00" in w.value and "only hold municipalities" in w.value for w in at.warning)
    assert named_in_notice(at, params, "en") == {"egen"}
    assert _figure(at).data[-1].name == "Own group" and qp(at, "egen") == "2085"


@pytest.mark.parametrize("params", [{"egen_namn": "Tom grupp"}, {"egen": "20,00"}, {"egen": "x,y", "egen_namn": "Q"}])
def test_an_empty_group_says_so_and_draws_no_group_line(params):
    at = trender({"ind": "arbetsloshet", "reg": "20,00", **params}, "sv")
    assert any(i.value.startswith("Gruppen ") and "är tom" in i.value for i in at.info)
    assert len(_figure(at).data) == 2


def test_group_name_is_escaped_where_it_is_shown():
    at = trender({"ind": "arbetsloshet", "reg": "20", "egen": "2085", "egen_namn": "*fet* [x](javascript:1) <b>"}, "sv")
    assert _figure(at).data[-1].name == "*fet* [x](javascript:1) b"  # no HTML for Plotly's legend
    assert at.caption[-1].value.startswith("\\*fet\\* \\[x\\]\\(javascript\\:1\\)")  # literal in Markdown


def test_kommunprofil_group_line_and_weighted_similarity(built_db):
    at = profil({"kommun": "2085", "egen": "2084,2080", "egen_namn": "Grannar", "lik": "arbetsloshet,sysselsattningsgrad",
                 "vikter": "3,1"}, "sv")
    fig = _figure(at)
    assert [tr.name for tr in fig.data][-1] == "Grannar" and len(fig.data) == 4
    assert _last(fig.data[-1]) == pytest.approx(_by_hand(db.connect(built_db), ["2084", "2080"]))
    table = at.dataframe[-1].value
    assert t("kommunprofil.col_made_of", "sv") in table.columns
    assert any("Vikter: Arbetslöshet 20–64 år 3; Sysselsättningsgrad 20–64 år 1" in c.value for c in at.caption)
    assert at.number_input(key="kp_w_arbetsloshet").value == 3 and qp(at, "vikter") == "3,1"


def test_bad_weights_in_a_link_fall_back_with_the_notice():
    params = {"kommun": "2085", "lik": "arbetsloshet,sysselsattningsgrad", "vikter": "9,1"}
    at = profil(params, "en")
    assert named_in_notice(at, params, "en") == {"vikter"} and at.number_input(key="kp_w_arbetsloshet").value == 1


def test_the_group_is_in_the_downloads_metadata(built_db):
    import pandas as pd

    from atlas.groups import aggregate, download_meta, needed_indicators
    from atlas.ui.figure_card import figure_bundle
    from atlas.ui.groups import Group, with_group
    from atlas.figures.lines import trend_spec
    from atlas.export.cite import make_citation

    con = db.connect(built_db)
    members = ["2085", "2084"]
    agg = aggregate(db.run("group_values", con=con, indicators=needed_indicators("arbetsloshet"), regions=members,
                           sex="T", category=""), indicator="arbetsloshet", unit="procent", members=members)
    meta = download_meta(agg, name="G", members=members, names={"2085": "Ludvika", "2084": "Avesta"}, text="how", lang="sv")
    series = db.run("series", con=con, indicator="arbetsloshet", regions=["20"], sex="T", category="")
    row = db.run("indicator_coverage", con=con).set_index("id", drop=False).loc["arbetsloshet"].to_dict()
    spec = with_group(trend_spec(series, row, lang="sv", key="k"), Group("G", members), meta, "how")
    raw = figure_bundle(spec, "sv", make_citation("sv", title=spec.title, url="https://a.se/trender?egen=2085%2C2084",
                                                  version="2026-12-03.abcdef12"), db.run("sources", con=con))
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        doc = json.loads(zf.read("metadata.json"))
        data = pd.read_csv(zf.open("data.csv"))
    assert doc["comparison_group"]["members"] == members and doc["comparison_group"]["method"] == "counts"
    assert doc["comparison_group"]["member_names"] == ["Ludvika", "Avesta"]
    assert doc["view_url"] == "https://a.se/trender?egen=2085%2C2084" and "egen=2085" in doc["cite"]["bibtex"]
    assert doc["data_version"] == "2026-12-03.abcdef12" and len(data) == len(spec.data)
