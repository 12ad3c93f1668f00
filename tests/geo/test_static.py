"""The seminar map drawn from the screen map's own polygons: projected to SWEREF 99 TM with its
true aspect, enclaves in their own colour, every region and the colour bar in the screen's colours,
Swedish tick labels, kommun labels, and the note for a region without a polygon."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
import shapely

from atlas import db
from atlas.figures.asf import build_kommun_map
from atlas.figures.maps import SEQUENTIAL, MapView, build_map, colour_at
from atlas.geo import Shapes
from atlas.geo.static import SLIDE_CRS, draw_map, projected_bounds, region_colours

LAN = "20"
LEKSAND, RATTVIK, FALUN = "2029", "2031", "2080"


def _spec(con, level="kommun", indicator="arbetsloshet", set_values=None, drop_shapes=()):
    catalogue = db.run("karta_indicators", con=con, lan=LAN, level=level).set_index("id", drop=False)
    period = db.run("karta_options", con=con, indicator=indicator, lan=LAN, level=level)["period"].iloc[0]
    values = db.run("karta_values", con=con, indicator=indicator, lan=LAN, period=period, category="", level=level)
    for code, value in (set_values or {}).items():  # constructed values, so colours surely differ
        values.loc[values["region_code"] == code, "value"] = value
    rows = db.run("karta_geometry", con=con, lan=LAN, level=level)
    shapes = Shapes.from_rows(rows[~rows["code"].isin(drop_shapes)])
    view = MapView(values, catalogue.loc[indicator], period, "", "sv", level=level, county=LAN)
    return build_map(view, shapes, county_name="Dalarnas län"), view


def _rendered(fig_m, dpi=300):
    fig_m.set_dpi(dpi)
    fig_m.canvas.draw()
    return np.asarray(fig_m.canvas.buffer_rgba())[..., :3]


def _pixel(image, ax, x, y) -> str:
    px, py = ax.transData.transform((x, y))
    r, g, b = image[int(round(image.shape[0] - py)), int(round(px))]
    return f"#{r:02x}{g:02x}{b:02x}"


def _close(a: str, b: str, tol: int = 2) -> bool:
    return all(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) <= tol for i in (1, 3, 5))


def _axes(fig_m, gid):
    return next(ax for ax in fig_m.axes if ax.get_gid() == gid)


@pytest.mark.parametrize("level", ["kommun", "lan"])
def test_slide_map_keeps_the_projected_aspect(con, level):
    spec, _ = _spec(con, level)
    fig_m = draw_map(spec.figure, labels=spec.meta["labels"])
    fig_m.canvas.draw()
    box = _axes(fig_m, "map").get_window_extent()
    xmin, ymin, xmax, ymax = projected_bounds(spec.figure)
    assert box.width / box.height == pytest.approx((xmax - xmin) / (ymax - ymin), rel=0.02)
    # True shape: Dalarna is taller than wide in metres; Sweden about 2.2 times taller than wide.
    assert (ymax - ymin) > (xmax - xmin)


def test_enclaves_in_leksand_are_drawn_in_their_own_kommun_colour(con):
    spec, view = _spec(con, set_values={LEKSAND: 1.0, RATTVIK: 9.0, FALUN: 6.0})
    colours = region_colours(spec.figure)
    assert colours[LEKSAND][0] != colours[RATTVIK][0] != colours[FALUN][0]
    fig_m = draw_map(spec.figure)
    image = _rendered(fig_m, dpi=600)  # Rättvik's enclave is a thin triangle of 3 km²
    ax = _axes(fig_m, "map")
    leksand = shapely.from_geojson(db.run("karta_geometry", con=con, lan=LAN, level="kommun")
                                   .set_index("code").loc[LEKSAND, "geojson"])
    import geopandas as gpd

    projected = gpd.GeoSeries([leksand], crs=4326).to_crs(SLIDE_CRS).iloc[0]
    holes = [shapely.Polygon(r) for p in getattr(projected, "geoms", [projected]) for r in p.interiors]
    assert len(holes) == 2
    seen = {}
    for hole in holes:
        centre = shapely.get_point(shapely.maximum_inscribed_circle(hole), 0)
        seen[_pixel(image, ax, centre.x, centre.y)] = hole
    # One hole shows Rättvik's colour, the other Falun's; neither shows Leksand's.
    assert any(_close(c, colours[RATTVIK][0]) for c in seen) and any(_close(c, colours[FALUN][0]) for c in seen)
    assert not any(_close(c, colours[LEKSAND][0], tol=10) for c in seen)


def test_region_fills_and_colour_bar_equal_the_screen(con):
    spec, view = _spec(con)
    trace = spec.figure.data[0]
    fig_m = draw_map(spec.figure, labels=spec.meta["labels"])
    image = _rendered(fig_m)
    ax, bar = _axes(fig_m, "map"), _axes(fig_m, "colourbar")
    # Each kommun: the slide's pixel at its label point is the colour Plotly gives its value.
    import geopandas as gpd

    labels = spec.meta["labels"]
    points = gpd.GeoSeries(gpd.points_from_xy([v[1] for v in labels.values()], [v[2] for v in labels.values()]),
                           index=list(labels), crs=4326).to_crs(SLIDE_CRS)
    fig_unlabelled = draw_map(spec.figure)  # the label text would cover the fill
    plain = _rendered(fig_unlabelled)
    plain_ax = _axes(fig_unlabelled, "map")
    for code, z in zip(trace.locations, trace.z):
        want = colour_at(SEQUENTIAL, (z - trace.zmin) / (trace.zmax - trace.zmin))
        assert want == view.colour(z)
        assert _close(_pixel(plain, plain_ax, points[code].x, points[code].y), want), code
    # The colour bar: the screen's tick values and Swedish labels, and at each tick the screen's colour.
    assert [t.get_text() for t in bar.get_yticklabels()] == list(trace.colorbar.ticktext)
    assert list(bar.get_yticks()) == pytest.approx(list(trace.colorbar.tickvals))
    x_mid = np.mean(bar.get_xlim())
    for value in trace.colorbar.tickvals:
        want = colour_at(SEQUENTIAL, (value - trace.zmin) / (trace.zmax - trace.zmin))
        assert _close(_pixel(image, bar, x_mid, value), want), value
    assert all("." not in label for label in trace.colorbar.ticktext)  # Swedish: '2,5', never '2.5'


def test_swedish_tick_labels_with_decimals(con):
    codes = db.run("karta_geometry", con=con, lan=LAN, level="kommun")["code"]
    spec, _ = _spec(con, set_values=dict(zip(codes, np.linspace(2.0, 3.2, len(codes)))))
    labels = list(spec.figure.data[0].colorbar.ticktext)
    assert labels == ["2,00", "2,25", "2,50", "2,75", "3,00"]  # not '2.25': Swedish decimal comma
    fig_m = draw_map(spec.figure)
    bar = _axes(fig_m, "colourbar")
    assert [t.get_text() for t in bar.get_yticklabels()] == labels


def test_kommun_labels_and_the_missing_polygon_note(con):
    spec, _ = _spec(con, drop_shapes=("2021",))
    assert spec.meta["not_drawn"] == ["2021"] and "Vansbro" in spec.meta["map_note"]
    fig_m = draw_map(spec.figure, labels=spec.meta["labels"], note=spec.meta["map_note"])
    fig_m.canvas.draw()
    texts = [t.get_text() for t in fig_m.texts]
    assert spec.meta["map_note"] in texts
    ax = _axes(fig_m, "map")
    names = {t.get_text() for t in ax.texts}
    assert {"Falun", "Leksand", "Rättvik", "Malung-Sälen"} <= names and "Vansbro" not in names
    assert not any(t.get_parse_math() for t in [*ax.texts, *fig_m.texts])  # a '$' in a name stays a '$'
    assert {p.get_gid() for p in ax.patches} == set(spec.meta["regions"])


def test_missing_values_are_grey_and_hatched_with_the_legend_entry(con):
    spec, _ = _spec(con, set_values={"2021": np.nan})
    fig_m = draw_map(spec.figure)
    ax = _axes(fig_m, "map")
    vansbro = next(p for p in ax.patches if p.get_gid() == "2021")
    assert vansbro.get_hatch() and vansbro.get_facecolor()[:3] == pytest.approx((0xd9 / 255,) * 3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [".. uppgift saknas"]


def test_asf_map_keeps_its_classes_and_draws_counts_at_label_points(con):
    counts = db.run("asf_kommun_counts", con=con, lan=LAN)
    spec = build_kommun_map(counts, lang="sv", n_unknown=0, n_total=int(counts["n_asf"].sum()), as_of="x")
    colours = region_colours(spec.figure)
    trace = spec.figure.data[0]
    for code, n in zip(trace.locations, trace.z):  # one flat colour per count, as on screen
        assert colours[code][0] == colour_at([[float(p), c] for p, c in trace.colorscale], (n + 0.5) / (trace.zmax + 0.5))
    fig_m = draw_map(spec.figure, labels=spec.meta["labels"])
    ax = _axes(fig_m, "map")
    marked = counts[counts["n_asf"] > 0]
    shown = {t.get_text() for t in ax.texts}
    assert {str(n) for n in marked["n_asf"]} <= shown


def test_a_figure_without_a_map_gives_none():
    assert draw_map(go.Figure(go.Scatter(x=[1], y=[2]))) is None
