"""The build's geometry step on the real okfse files (the mirror) and on small broken inputs:
valid polygons, a gap-free coverage after simplification, enclaves kept as holes, label points
inside, the payload the screen gets, and every repair or omission named."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from atlas.geo.prepare import AREA_CRS, DECIMALS, prepare
from atlas.sources.manifest import get_source
from atlas.sources.parsers import PARSERS

DALARNA = "20"
LEKSAND, RATTVIK, FALUN = "2029", "2031", "2080"


@pytest.fixture(scope="module")
def source(mirror):
    def parsed(source_id):
        src = get_source(source_id)
        return PARSERS[src.parser](mirror / src.relative_path)

    return parsed("kommun_polygoner"), parsed("lan_polygoner")


@pytest.fixture(scope="module")
def prepared(source):
    return prepare(*source)


def _stored(table: pd.DataFrame, level: str) -> gpd.GeoSeries:
    rows = table[table["level"] == level]
    return gpd.GeoSeries(shapely.from_geojson(rows["geojson"].to_numpy()), index=rows["code"].to_numpy(), crs=4326)


def _raw_file(mirror, source_id: str) -> dict:
    return json.loads((mirror / get_source(source_id).relative_path).read_text(encoding="utf-8"))


def test_every_region_has_a_valid_polygon_a_label_inside_bounds_and_area(prepared, source):
    table = prepared.table
    assert (table["level"] == "kommun").sum() == 290 and (table["level"] == "lan").sum() == 21
    geoms = shapely.from_geojson(table["geojson"].to_numpy())
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon
    assert all(shapely.contains_xy(g, x, y) for g, x, y in zip(geoms, table["label_lon"], table["label_lat"]))
    assert (shapely.bounds(geoms) == table[["west", "south", "east", "north"]].to_numpy()).all()
    # Coordinates are stored with DECIMALS decimals (what makes the payload small).
    coords = shapely.get_coordinates(geoms)
    assert (abs(coords * 10 ** DECIMALS - (coords * 10 ** DECIMALS).round()) < 1e-6).all()
    # The area is the unsimplified polygon's, in an equal-area projection: equal to the file's own
    # polygon except where borders were matched to a neighbour (at most 1.3 km², Trosa).
    kommuner = source[0].set_index("region_code")
    original = gpd.GeoSeries(kommuner["geometry"], crs=4326).to_crs(AREA_CRS).area / 1e6
    stored = table[table["level"] == "kommun"].set_index("code")["area_km2"]
    assert (stored - original.reindex(stored.index)).abs().max() < 1.3
    assert stored["2080"] == pytest.approx(original["2080"], rel=1e-9)  # Falun needed no repair


@pytest.mark.parametrize("level", ["kommun", "lan"])
def test_simplified_coverage_has_no_gaps_or_overlaps(prepared, source, level):
    stored = _stored(prepared.table, level)
    assert shapely.coverage_is_valid(stored.to_numpy())  # neighbours share identical borders
    equal_area = stored.to_crs(AREA_CRS)
    union = shapely.union_all(equal_area.to_numpy()).area
    assert equal_area.area.sum() == pytest.approx(union, rel=1e-4)  # no overlaps
    original = shapely.union_all(gpd.GeoSeries(source[0]["geometry"], crs=4326).to_crs(AREA_CRS).to_numpy()).area
    assert union == pytest.approx(original, rel=0.005)  # no gaps: within 0.5 % of the file's coverage


def test_lan_borders_are_the_union_of_their_kommuner(prepared, source):
    kommuner = source[0].set_index("region_code")
    stored = _stored(prepared.table, "kommun").to_crs(AREA_CRS)
    lan = _stored(prepared.table, "lan").to_crs(AREA_CRS)
    dalarna_kommuner = stored[kommuner.loc[stored.index, "parent_code"].eq(DALARNA).to_numpy()]
    assert len(dalarna_kommuner) == 15
    assert lan[DALARNA].area == pytest.approx(dalarna_kommuner.area.sum(), rel=0.002)
    assert not prepared.table.loc[prepared.table["level"] == "lan", "note"].any()  # none needed the county file


def test_enclaves_inside_leksand_survive_as_holes(prepared):
    stored = _stored(prepared.table, "kommun")
    leksand = stored[LEKSAND]
    holes = [shapely.Polygon(ring) for part in getattr(leksand, "geoms", [leksand]) for ring in part.interiors]
    assert len(holes) == 2
    owners = sorted(code for hole in holes for code, g in stored.items()
                    if g.contains(shapely.point_on_surface(hole)))
    assert owners == sorted([RATTVIK, FALUN])


def _payload(features: list[dict]) -> int:
    return len(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))


def test_payload_of_the_county_map_is_at_most_60_percent_of_the_file_geometry(prepared, mirror):
    """What the map sends to the browser: before, the file's own coordinates (15 and 16 digits) in
    features carrying their code twice; now the stored geometry in the features Shapes makes."""
    from atlas.geo import Shapes

    raw = [f for f in _raw_file(mirror, "kommun_polygoner")["features"] if f["properties"]["lan_code"] == DALARNA]
    before = _payload([{"type": "Feature", "id": f["properties"]["id"], "properties": {"code": f["properties"]["id"]},
                        "geometry": f["geometry"]} for f in raw])
    assert before == 38_921  # Dalarna, as measured on the app before the geometry step (38.9 KB)
    table = prepared.table
    codes = {f["properties"]["id"] for f in raw}
    after = _payload(Shapes.from_rows(table[(table["level"] == "kommun") & table["code"].isin(codes)]).collection()["features"])
    assert after <= 0.6 * before
    assert after < 17_000  # 16,251 bytes when written (gzip: 12.9 -> 4.3 KB)


def test_payload_of_sweden_maps(prepared, mirror):
    """All 290 kommuner (the national map) and the 21 län: measured sizes, with a ceiling."""
    from atlas.geo import Shapes

    raw = _raw_file(mirror, "kommun_polygoner")["features"]
    before = _payload([{"type": "Feature", "id": f["properties"]["id"], "properties": {"code": f["properties"]["id"]},
                        "geometry": f["geometry"]} for f in raw])
    table = prepared.table
    kommuner = _payload(Shapes.from_rows(table[table["level"] == "kommun"]).collection()["features"])
    lan = _payload(Shapes.from_rows(table[table["level"] == "lan"]).collection()["features"])
    assert kommuner <= 0.45 * before and kommuner < 320_000  # 310,781 of 797,835 bytes when written
    assert lan < 70_000


# --- bad input ------------------------------------------------------------------------------------

def _square(x: float, y: float, size: float = 0.5) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def _regions(rows: list[tuple[str, str, object]], parent: str = "20") -> pd.DataFrame:
    return pd.DataFrame({"region_code": [r[0] for r in rows], "name": [r[1] for r in rows],
                         "parent_code": parent, "geometry": [r[2] for r in rows]})


def test_bad_polygons_are_named_and_the_rest_is_kept():
    bowtie = shapely.Polygon([(15, 61), (15.5, 61.5), (15.5, 61), (15, 61.5), (15, 61)])  # self-intersecting
    kommuner = _regions([
        ("2001", "Fyrkant", _square(14, 60)),
        ("2002", "Granne", shapely.box(14.45, 60, 15, 60.5)),  # overlaps Fyrkant by 0.05 degree
        ("2003", "Utan", None),
        ("2004", "Punkt", shapely.Point(14, 60)),
        ("2005", "Fluga", bowtie),
        ("2006", "Fel", _square(200, 60)),  # not longitude/latitude
    ])
    lan = pd.DataFrame({"region_code": ["20", "21"], "name": ["Dalarnas län", "Gävleborgs län"], "parent_code": "00",
                        "geometry": [_square(13, 59, 3), _square(16, 60, 2)]})
    result = prepare(kommuner, lan)
    notes = {n.code: str(n) for n in result.notes}
    assert notes["2003"] == "kommun 2003 Utan: no polygon in the file; not drawn on maps"
    assert notes["2004"] == "kommun 2004 Punkt: geometry is a Point, not a polygon; not drawn on maps"
    assert notes["2005"].startswith("kommun 2005 Fluga: invalid polygon (Self-intersection") and notes["2005"].endswith("; repaired")
    assert notes["2006"] == "kommun 2006 Fel: coordinates are not longitude/latitude; not drawn on maps"
    assert "borders did not match its neighbours'; matched" in notes["2001"] + notes.get("2002", "")
    assert notes["21"] == "lan 21 Gävleborgs län: no kommun polygons; drawn from the county file's own polygon"
    table = result.table.set_index(["level", "code"])
    assert sorted(table.loc["kommun"].index) == ["2001", "2002", "2005"]
    assert sorted(table.loc["lan"].index) == ["20", "21"]
    kommun = _stored(result.table, "kommun")
    assert shapely.coverage_is_valid(kommun.to_numpy()) and shapely.is_valid(kommun.to_numpy()).all()
    assert table.loc[("kommun", "2005"), "note"].endswith("repaired")
    assert table.loc[("kommun", "2001"), "note"] == "" or "matched" in table.loc[("kommun", "2001"), "note"]
