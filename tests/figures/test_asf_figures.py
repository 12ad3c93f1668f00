"""ASF figures: the kommun map draws exactly the counts it is given and says what 0 means; the
county statements are dots per dated statement, never a line, with approximate values marked."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from atlas import db
from atlas.figures.asf import build_county_totals, build_kommun_map
from atlas.i18n import t


def _square(x: float, y: float) -> str:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _counts() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["0001", "0002", "0003"], "name": ["Äby", "Bby", "Cby"], "name_en": ["Aby", "Bby", "Cby"],
        "n_asf": [2, 0, 1], "names": ["Ett; Två", "", "Tre"], "names_json": ['["Ett", "Två"]', "[]", '["Tre"]'],
        "geojson": [_square(14, 60), _square(15, 60), _square(16, 61)],
    })


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_map_draws_the_given_counts(lang):
    spec = build_kommun_map(_counts(), lang=lang, n_unknown=4, n_total=7, as_of="2017–2024")
    trace = spec.figure.data[0]
    assert trace.type == "choroplethmap"
    assert list(trace.locations) == ["0001", "0002", "0003"] and list(trace.z) == [2, 0, 1]
    assert spec.figure.layout.map.style == "white-bg"
    assert math.isfinite(spec.figure.layout.map.zoom)
    assert 15 < spec.figure.layout.map.center.lon < 17
    assert "Ett" in trace.text[0] and "Två" in trace.text[0]
    assert t("sociala_foretag.map_hover_none", lang) in trace.text[1]
    assert t("sociala_foretag.map_legend", lang) == trace.colorbar.title.text
    assert list(trace.colorbar.tickvals) == [0, 1, 2]
    # The data table is exactly what is drawn, ranked, with readable column names.
    col_n = t("sociala_foretag.map_legend_plain", lang)
    assert spec.data[col_n].tolist() == [2, 1, 0]
    assert "4" in spec.subtitle and "7" in spec.subtitle
    assert ("Äby" if lang == "sv" else "Aby") in spec.alt_text
    assert spec.source_ids == ["curated_asf", "kommun_polygoner"]


def test_map_gives_each_count_its_own_shade():
    trace = build_kommun_map(_counts(), lang="sv", n_unknown=0, n_total=3, as_of="x").figure.data[0]
    colours = [c for _, c in trace.colorscale]
    assert len(set(colours)) == 3  # 0, 1 and 2 each flat and different
    assert trace.zmin == -0.5 and trace.zmax == 2.5


def test_map_without_known_kommun_or_polygon():
    counts = _counts().assign(n_asf=0, names="", names_json="[]")
    counts.loc[2, "geojson"] = ""
    spec = build_kommun_map(counts, lang="sv", n_unknown=5, n_total=5, as_of="x")
    assert list(spec.figure.data[0].locations) == ["0001", "0002"]
    assert len(spec.data) == 3  # the kommun without polygon is still listed
    assert "5" in spec.alt_text


def test_map_hover_shows_register_names_as_text():
    """Names went raw into Plotly's HTML subset: a link or bold text in a name acted on the hover."""
    counts = _counts()
    names = ['<a href="https://evil.example">Klicka</a>', "<b>Fet</b> &amp; Co; AB"]
    counts.loc[0, "names"] = "; ".join(names)
    counts.loc[0, "names_json"] = json.dumps(names)
    spec = build_kommun_map(counts, lang="sv", n_unknown=0, n_total=3, as_of="x")
    hover = spec.figure.data[0].text[0]
    assert "· &lt;a href=\"https://evil.example\"&gt;Klicka&lt;/a&gt;<br>" in hover
    assert hover.endswith("· &lt;b&gt;Fet&lt;/b&gt; &amp;amp; Co; AB")  # one name, though it holds a '; '
    assert "<a" not in hover and hover.count("<b>") == 1  # only the kommun's own name is bold
    # The data table keeps the names as written: it is text, not HTML.
    assert counts.loc[0, "names"] in spec.data[t("sociala_foretag.col_enterprises", "sv")].tolist()


def test_statement_hover_and_legend_escape_publisher_and_quote():
    totals = _totals()
    totals.loc[0, "publisher"] = "<i>P1</i>"
    totals.loc[0, "quote"] = "cirka <a href='x'>16</a>"
    fig = build_county_totals(totals, lang="sv").figure
    texts = [h for tr in fig.data for h in (tr.hovertext or ())] + [tr.name for tr in fig.data]
    assert not any("<a" in x or "<i>P1" in x for x in texts)
    assert any("&lt;i&gt;P1&lt;/i&gt;" in x for x in texts)


def _totals() -> pd.DataFrame:
    return pd.DataFrame({
        "year": pd.array([2017, 2018, None, 2018], dtype="Int64"),
        "year_note": ["2017 (March)", "2018", "unknown", "2018 (autumn)"],
        "n_asf": pd.array([16, 19, 20, 18], dtype="Int64"),
        "n_asf_approx": ["true", "false", "true", "false"],
        "employees": pd.array([None, 1200, None, None], dtype="Int64"),
        "work_training": pd.array([None, None, None, None], dtype="Int64"),
        "people_occupied": pd.array([None, None, 300, None], dtype="Int64"),
        "turnover_msek": [None, None, 40.0, None],
        "approx": ["false", "true", "true", "false"],
        "quote": ["cirka 16", "19 företag", "ett 20-tal", "18"], "publisher": ["P1", "P2", "P2", "P3"],
        "source_url": ["u1", "u2", "u3", "u4"], "note": ["", "", "", ""],
    })


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_statements_are_dots_for_dated_rows_only(lang):
    spec = build_county_totals(_totals(), lang=lang)
    fig = spec.figure
    drawn = [tr for tr in fig.data if tr.x and tr.x[0] is not None]
    assert all("lines" not in (tr.mode or "") for tr in fig.data)
    xs = sorted(round(x) for tr in drawn for x in tr.x)
    assert xs == [2017, 2018, 2018, 2018]  # three n_asf dots and one employees dot, no undated
    # Two statements of the same year sit side by side, not on top of each other.
    same_year = sorted(x for tr in drawn if tr.yaxis == "y" for x in tr.x if round(x) == 2018)
    assert len(same_year) == 2 and same_year[0] != same_year[1]
    # Only measures with a dated value get a panel (work_training has none here).
    assert spec.meta["measures"] == ["n_asf", "employees"]
    assert spec.meta["n_undated"] == 1
    texts = [s for tr in drawn for s in tr.text]
    approx = t("sociala_foretag.approx_value", lang, value="16")
    assert approx in texts
    big = "1\u202f200" if lang == "sv" else "1,200"
    assert t("sociala_foretag.approx_value", lang, value=big) in texts
    symbols = [s for tr in drawn for s in tr.marker.symbol]
    assert sum(s.endswith("-open") for s in symbols) == 2  # the approximate 16 and 1 200
    assert fig.layout.separators == (", " if lang == "sv" else ".,")
    assert len(spec.data) == 4 and "P2" in spec.alt_text
    assert "1" in spec.subtitle and "2017" in spec.subtitle


def test_statements_without_any_dated_value():
    totals = _totals()
    totals["year"] = pd.array([None] * 4, dtype="Int64")
    spec = build_county_totals(totals, lang="sv")
    assert spec.meta["measures"] == [] and spec.data.empty
    assert spec.figure.layout.annotations[0].text == t("common.missing", "sv")


def test_figures_from_the_built_database(built_db):
    con = db.connect(built_db)
    counts = db.run("asf_kommun_counts", con=con, lan="20")
    reg = db.run("asf_register", con=con)
    n_unknown = int((reg["kommun_code"].fillna("") == "").sum())
    spec = build_kommun_map(counts, lang="sv", n_unknown=n_unknown, n_total=len(reg), as_of="x")
    assert sum(spec.figure.data[0].z) == len(reg) - n_unknown
    totals = db.run("asf_county_statements", con=con)
    spec = build_county_totals(totals, lang="en")
    dated = set(totals["year"].dropna().astype(int))
    assert {round(x) for tr in spec.figure.data for x in (tr.x or []) if x is not None} <= dated


def test_map_markers_sit_inside_their_kommun_with_the_count(built_db):
    """On the real polygons: one marker per kommun with known enterprises, at its stored label
    point, inside the kommun as drawn; the view is fitted to the polygons' bounds."""
    import shapely

    counts = db.run("asf_kommun_counts", con=db.connect(built_db), lan="20")
    spec = build_kommun_map(counts, lang="sv", n_unknown=0, n_total=int(counts["n_asf"].sum()), as_of="x")
    choropleth, markers = spec.figure.data
    assert markers.type == "scattermap"
    known = counts[counts["n_asf"] > 0].reset_index(drop=True)
    assert list(markers.customdata) == known["n_asf"].tolist()
    polygons = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in choropleth.geojson["features"]}
    for code, lon, lat in zip(known["code"], markers.lon, markers.lat):
        assert polygons[code].contains(shapely.Point(lon, lat)), code
    west, south, east, north = counts["west"].min(), counts["south"].min(), counts["east"].max(), counts["north"].max()
    centre = spec.figure.layout.map.center
    assert centre.lon == pytest.approx((west + east) / 2)
    assert south < centre.lat < north
    assert spec.meta["labels"]["2085"][0] == "Ludvika"
