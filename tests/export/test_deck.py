"""The seminar deck: built from real figures, reopened with python-pptx and checked."""

from __future__ import annotations

import io
import json
from datetime import date

import plotly.graph_objects as go
import pytest
from pptx import Presentation

from atlas import db
from atlas.export.deck import DeckSource, build_deck, chart_data_from_figure, map_png
from atlas.figures.lines import build_trend
from atlas.figures.spec import FigureSpec


def _specs(con) -> list[FigureSpec]:
    specs = []
    for ind, regions in [("arbetsloshet", ["20", "00"]), ("sysselsattningsgrad", ["20", "00"]),
                         ("arbetskraftsdeltagande", ["2080", "20"]), ("langtidsarbetsloshet_25_64", ["20"]),
                         ("ekonomiskt_bistand_hushall", ["20"])]:
        s = db.run("series", con=con, indicator=ind, regions=regions, sex="T", category="")
        specs.append(FigureSpec(ind, build_trend(s, lang="sv", unit_label="%"), f"Titel {ind}", "Procent",
                                sorted(s["source_id"].unique()), s["period"].iloc[-1], "def", "alt", s,
                                finding=f"Fynd {ind}"))
    geo = con.execute("SELECT code, geojson FROM geometry WHERE level='kommun' AND code LIKE '20%'").df()
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": c}, "geometry": json.loads(g)} for c, g in zip(geo.code, geo.geojson)]}
    lv = db.run("latest_values", con=con, indicator="arbetsloshet", regions=list(geo.code))
    m = go.Figure(go.Choroplethmap(geojson=gj, locations=lv.region_code, z=lv.value, featureidkey="properties.id"))
    specs.append(FigureSpec("karta", m, "Karta", "Procent", ["bas_kommun"], "2026M04", "d", "a", lv, finding="Kartfynd"))
    return specs


def test_deck_with_native_charts_and_map(built_db):
    con = db.connect(built_db)
    specs = _specs(con)
    assert len(specs) >= 6
    sources = [DeckSource("SCB", "BAS", "https://example.org/bas", "2026M04"),
               DeckSource("Kolada", "N03926", "https://example.org/kolada", "2022")]
    raw = build_deck([(s, f"Källa: {','.join(s.source_ids)}") for s in specs], sources, "sv",
                     title="Arbetsmarknaden i Dalarna", subtitle="Seminarium", today=date(2026, 11, 27))
    prs = Presentation(io.BytesIO(raw))
    slides = list(prs.slides)
    assert len(slides) == len(specs) + 2
    assert round(prs.slide_width / prs.slide_height, 2) == 1.78  # 16:9

    def texts(slide):
        return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]

    assert "Arbetsmarknaden i Dalarna" in texts(slides[0]) and "2026-11-27" in texts(slides[0])
    for slide, spec in zip(slides[1:-1], specs):
        assert f"Fynd {spec.key}" in texts(slide) or spec.finding in texts(slide)
        assert any(t.startswith("Källa:") for t in texts(slide))
    # Native chart: the first figure's series values equal the database series.
    chart = next(sh for sh in slides[1].shapes if sh.has_chart).chart
    s = db.run("series", con=con, indicator="arbetsloshet", regions=["20", "00"], sex="T", category="")
    dal = s[s.region_code == "20"]["value"].tolist()
    assert [p.name for p in chart.plots[0].series] == ["Dalarnas län", "Riket"]
    assert list(chart.plots[0].series[0].values) == pytest.approx(dal)
    assert list(chart.plots[0].categories)[0] == "2020-01"
    # The yearly Kolada series is labelled by year.
    kolada_chart = next(sh for sh in slides[4].shapes if sh.has_chart).chart
    assert list(kolada_chart.plots[0].categories)[0] == "2011"
    # The map is a picture (rendered without a browser).
    assert any(sh.shape_type == 13 for sh in slides[len(specs)].shapes)
    # Sources slide lists every source with URL and as-of.
    last = "\n".join(texts(slides[-1]))
    assert "Källor" in last and "https://example.org/bas" in last and "2026M04" in last and "https://example.org/kolada" in last


def test_chart_data_kinds():
    line = go.Figure([go.Scatter(x=["2020", "2021"], y=[1, None], name="A")])
    kind, data = chart_data_from_figure(line)
    assert kind == "line" and [c.label for c in data.categories] == ["2020", "2021"]
    bar = go.Figure([go.Bar(y=["Falun", "Mora"], x=[3.0, 4.0], orientation="h", name="B")])
    assert chart_data_from_figure(bar)[0] == "barh"
    assert chart_data_from_figure(go.Figure(go.Choroplethmap())) is None
    assert map_png(line) is None


def test_map_slide_is_the_screen_map_projected_with_its_aspect(built_db):
    """A Karta map on a slide: drawn from the map's own polygons (atlas.geo.static), placed without
    stretching, with the map spec's note; the picture's aspect is the PNG's."""
    from PIL import Image

    from atlas.figures.maps import MapView, build_map
    from atlas.geo import Shapes

    con = db.connect(built_db)
    cat = db.run("karta_indicators", con=con, lan="20", level="kommun").set_index("id", drop=False)
    period = db.run("karta_options", con=con, indicator="arbetsloshet", lan="20", level="kommun")["period"].iloc[0]
    values = db.run("karta_values", con=con, indicator="arbetsloshet", lan="20", period=period, category="",
                    level="kommun")
    rows = db.run("karta_geometry", con=con, lan="20", level="kommun")
    spec = build_map(MapView(values, cat.loc["arbetsloshet"], period, "", "sv", county="20"),
                     Shapes.from_rows(rows[rows["code"] != "2021"]), county_name="Dalarnas län")
    png = map_png(spec.figure, labels=spec.meta["labels"], note=spec.meta["map_note"])
    width, height = Image.open(io.BytesIO(png)).size
    raw = build_deck([(spec, "Källa: SCB")], [], "sv", title="Karta", today=date(2026, 11, 27))
    slide = list(Presentation(io.BytesIO(raw)).slides)[1]
    pic = next(sh for sh in slide.shapes if sh.shape_type == 13)
    assert pic.width / pic.height == pytest.approx(width / height, rel=0.01)
    assert spec.finding in [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
