"""The choropleth builder and the GeoJSON/view helpers: values, hover, missing data and colours,
checked against the database built from the mirror."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from atlas import db
from atlas.figures.labels import category_label
from atlas.figures.maps import SEQUENTIAL, MapView, build_map, sort_key
from atlas.figures.palette import MISSING
from atlas.geo import bounds, feature_collection, fit_view
from atlas.i18n import fmt_period, fmt_value, t

LAN = "20"


@pytest.fixture(scope="module")
def catalogue(karta_catalogue):
    return karta_catalogue


@pytest.fixture(scope="module")
def geojson(con):
    return feature_collection(db.run("karta_geometry", con=con, lan=LAN))


def _latest(con, indicator: str, category: str = "") -> str:
    opts = db.run("karta_options", con=con, indicator=indicator, lan=LAN)
    return opts.loc[opts["category"] == category, "period"].iloc[0]


def _view(con, catalogue, indicator="arbetsloshet", period=None, category="", lang="sv", drop=()):
    period = period or _latest(con, indicator, category)
    values = db.run("karta_values", con=con, indicator=indicator, lan=LAN, period=period, category=category)
    values.loc[values["region_code"].isin(drop), "value"] = np.nan  # a constructed gap
    return MapView(values, catalogue.loc[indicator], period, category, lang), values


# --- geo -------------------------------------------------------------------------------------

def test_feature_collection_has_one_feature_per_kommun(con, geojson):
    kommuner = db.run("regions", con=con, lan=LAN).query("level == 'kommun'")
    assert sorted(f["id"] for f in geojson["features"]) == sorted(kommuner["code"])
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geojson["features"])


def test_feature_collection_skips_broken_geometry():
    import pandas as pd

    rows = pd.DataFrame({"code": ["1", "2", "3"],
                         "geojson": ['{"type":"Point","coordinates":[15,60]}', "not json", None]})
    fc = feature_collection(rows)
    assert [f["id"] for f in fc["features"]] == ["1"]
    assert bounds(fc) == (15.0, 60.0, 15.0, 60.0)
    assert bounds({"type": "FeatureCollection", "features": []}) is None


def _pixels(box, centre, zoom):
    """Width and height in pixels that ``box`` takes at ``zoom`` (MapLibre, 512 px world)."""
    world = 512 * 2 ** zoom
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    return ((box[2] - box[0]) / 360 * world, (merc(box[3]) - merc(box[1])) / (2 * math.pi) * world)


def test_fit_view_fits_the_county_in_the_map(geojson):
    box = bounds(geojson)
    centre, zoom = fit_view(box, width_px=560, height_px=620)
    assert box[0] < centre["lon"] < box[2] and box[1] < centre["lat"] < box[3]
    w, h = _pixels(box, centre, zoom)
    assert w <= 560 and h <= 620
    assert max(w / 560, h / 620) > 0.7  # and fills most of it, not a speck


def test_fit_view_without_polygons_shows_sweden():
    centre, zoom = fit_view(None)
    assert 55 < centre["lat"] < 69 and 10 < centre["lon"] < 25 and 0 <= zoom < 6


# --- colours ----------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_sequential_scale_darkens_monotonically():
    lum = [_luminance(c) for _, c in SEQUENTIAL]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
    # Lightness alone orders the scale, so the order survives any colour-vision deficiency;
    # the lightest step stays apart from the grey used for "uppgift saknas".
    assert _luminance(SEQUENTIAL[0][1]) / _luminance(MISSING) > 1.15


# --- the map ---------------------------------------------------------------------------------

def test_map_draws_every_kommun_with_its_database_value(con, catalogue, geojson):
    view, values = _view(con, catalogue)
    spec = build_map(view, geojson, county_name="Dalarnas län")
    traces = spec.figure.data
    assert len(traces) == 1 and traces[0].type == "choroplethmap"
    kommuner = values[values["level"] == "kommun"]
    got = dict(zip(traces[0].locations, traces[0].z))
    assert got == dict(zip(kommuner["region_code"], kommuner["value"]))
    assert len(got) == 15
    assert spec.figure.layout.map.style == "white-bg"
    assert "kommun_polygoner" in spec.source_ids and set(kommuner["source_id"]) <= set(spec.source_ids)
    assert fmt_period(view.period, "sv") in spec.subtitle and "Procent" in spec.subtitle


def test_hover_shows_kommun_county_and_riket(con, catalogue, geojson):
    view, values = _view(con, catalogue)
    trace = build_map(view, geojson, county_name="Dalarnas län").figure.data[0]
    row = values[values["region_code"] == "2080"].iloc[0]
    lan = values[values["level"] == "lan"].iloc[0]
    riket = values[values["level"] == "riket"].iloc[0]
    hover = trace.text[list(trace.locations).index("2080")]
    assert hover == (f"<b>Falun</b>: {fmt_value(row['value'], 'procent', 'sv', 1)}"
                     f"<br>Dalarnas län: {fmt_value(lan['value'], 'procent', 'sv', 1)}"
                     f"<br>Riket: {fmt_value(riket['value'], 'procent', 'sv', 1)}")
    assert "," in hover and "\u00a0%" in hover  # Swedish decimal comma, unit after a no-break space


def test_missing_kommun_is_grey_with_a_legend_entry_never_zero(con, catalogue, geojson):
    view, values = _view(con, catalogue, drop=("2021",))
    spec = build_map(view, geojson, county_name="Dalarnas län")
    coloured, missing = spec.figure.data
    assert "2021" not in coloured.locations and len(coloured.locations) == 14
    assert list(missing.locations) == ["2021"]
    assert missing.showlegend and missing.name == t("karta.missing_legend", "sv")
    assert {c for _, c in missing.colorscale} == {MISSING} and missing.showscale is False
    assert "Vansbro</b>: uppgift saknas" in missing.text[0]
    assert "Uppgift saknas för Vansbro." in spec.alt_text
    table = spec.data.set_index(t("karta.col_code", "sv"))
    assert math.isnan(table.loc["2021", view.value_column()])


def test_no_values_at_all_draws_only_the_missing_layer(con, catalogue, geojson):
    codes = tuple(f["id"] for f in geojson["features"])
    view, _ = _view(con, catalogue, drop=codes)
    spec = build_map(view, geojson, county_name="Dalarnas län")
    assert [tr.name for tr in spec.figure.data] == [t("karta.missing_legend", "sv")]
    assert spec.alt_text == t("karta.alt_none", "sv", county="Dalarnas län", period=fmt_period(view.period, "sv"))


def test_summary_names_highest_and_lowest_from_the_data(con, catalogue):
    view, values = _view(con, catalogue)
    k = values[values["level"] == "kommun"].sort_values("value")
    fmt = lambda v: fmt_value(v, "procent", "sv", 1)  # noqa: E731
    lan = values[values["level"] == "lan"]["value"].iloc[0]
    summary = view.summary()
    assert summary.startswith(f"Arbetslöshet 20–64 år i {fmt_period(view.period, 'sv')} var högst i ")
    top = k[k["value"].map(fmt) == fmt(k["value"].iloc[-1])]["region_name"]
    low = k[k["value"].map(fmt) == fmt(k["value"].iloc[0])]["region_name"]
    assert all(name in summary.split(" och lägst")[0] for name in top)
    assert all(name in summary.split(" och lägst")[1] for name in low)
    assert f"({fmt(k['value'].iloc[-1])})" in summary and f"Dalarnas län: {fmt(lan)}" in summary


def test_english_map(con, catalogue, geojson):
    view, values = _view(con, catalogue, indicator="sysselsatta", lang="en")
    spec = build_map(view, geojson, county_name="Dalarna County")
    assert spec.title == "Employed, age 20–64 by municipality, Dalarna County"
    assert spec.figure.layout.separators == ".,"
    row = values[values["region_code"] == "2080"].iloc[0]
    trace = spec.figure.data[0]
    hover = trace.text[list(trace.locations).index("2080")]
    assert hover.startswith(f"<b>Falun</b>: {fmt_value(row['value'], 'antal', 'en', 0)}<br>Dalarna County: ")
    assert "<br>Sweden: " in hover and "," in hover  # thousands with a comma


def test_group_labels_and_keys(con, catalogue):
    view, _ = _view(con, catalogue, category="utrikes född")
    assert view.key("karta") == f"karta-arbetsloshet-{view.period}-20-utrikes-fodd"  # county too
    assert view.summary().startswith("Arbetslöshet 20–64 år (utrikes född) i ")
    ind = catalogue.loc["arbetsloshet"]
    assert category_label("utrikes född", "en", ind) == json.loads(ind["categories_en"])["utrikes född"].capitalize()
    assert category_label("", "sv", ind) == t("common.all_groups", "sv")
    assert category_label("okänd grupp", "en", ind) == "Okänd grupp"  # no translation: shown as stored


def test_swedish_sort_order():
    assert sorted(["Älvdalen", "Åre", "Örebro", "Avesta", "Zinkgruvan"], key=sort_key) == \
        ["Avesta", "Zinkgruvan", "Åre", "Älvdalen", "Örebro"]
