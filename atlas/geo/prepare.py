"""The build's geometry step: polygons as read from the okfse files -> the ``geometry`` table.

What it does, in order (every change is named in the build log, ``Prepared.notes``):
1. check each polygon: missing, not a polygon, outside lon/lat, or invalid (repaired with
   ``make_valid``, keeping the polygonal parts);
2. clean the kommun coverage in SWEREF 99 TM (metres): overlaps between neighbours are given to one
   of them and slivers narrower than ``GAP_WIDTH_M`` closed, so every shared border is one edge
   (the okfse file has 13 kommuner whose borders do not match their neighbours');
3. derive each län as the union of its kommuner (so län and kommun borders coincide); a län
   without kommun polygons falls back to the län file's own polygon;
4. simplify each coverage with ``coverage_simplify``, which moves a shared border once for both
   neighbours: no gaps or slivers appear;
5. store per region the screen geometry (WGS84, ``DECIMALS`` decimals), a label point inside it,
   its bounds and its true area (from the unsimplified polygon, in an equal-area projection).

Imports geopandas, so only the build (and the seminar map) load this module, never a page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.sources import SourceFormatError

SCREEN_CRS = "EPSG:4326"  # what MapLibre draws
WORK_CRS = "EPSG:3006"  # SWEREF 99 TM: metres, so tolerances mean the same everywhere in Sweden
AREA_CRS = "EPSG:3035"  # ETRS89 LAEA Europe: equal-area, for the stored area
# Simplification tolerances in metres (roughly the square root of the smallest triangle kept).
# Kommuner are drawn at county zoom: Blekinge, the smallest county, fits the map at about 240 m a
# pixel, so 100 m (at most 135 m displacement on the okfse file) stays under a pixel everywhere.
# Län are drawn only at Sweden's zoom (about 2.5 km a pixel).
TOLERANCE_M = {"kommun": 100.0, "lan": 1000.0}
GAP_WIDTH_M = 50.0  # slivers between neighbours are closed; lakes (hundreds of metres wide) are not
DECIMALS = 4  # 0.0001 degree: 11 m north-south, 6 m east-west at 60 degrees north
COLUMNS = ["code", "level", "geojson", "label_lon", "label_lat", "west", "south", "east", "north",
           "area_km2", "note"]


@dataclass(frozen=True)
class Note:
    """One repair or omission: the region (level, code, name) and what was done, in English."""

    level: str
    code: str
    name: str
    text: str

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.name}".rstrip() + f": {self.text}"


@dataclass
class Prepared:
    """table: one row per region with a polygon (COLUMNS); notes: every repair or omission, for
    the build log (``str(note)`` is one line naming the region)."""

    table: pd.DataFrame
    notes: list[Note] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------

def read_polygons(path: Path) -> gpd.GeoDataFrame:
    """The features of a GeoJSON file as a GeoDataFrame in WGS84 (pyogrio engine); a feature without
    geometry has geometry None. The okfse ``geo_point_2d`` column is dropped. Raises
    SourceFormatError naming the file when it cannot be read as vector data."""
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and GDAL's own errors
        raise SourceFormatError(f"{path.name}: cannot be read as GeoJSON ({exc})") from exc
    frame = frame.drop(columns=["geo_point_2d"], errors="ignore")
    if frame.crs is None:
        frame = frame.set_crs(SCREEN_CRS)  # GeoJSON is WGS84 by definition (RFC 7946)
    elif not frame.crs.equals(SCREEN_CRS):
        frame = frame.to_crs(SCREEN_CRS)
    return frame


# --- 1. checking ------------------------------------------------------------------------------------

def _polygonal(geom):
    """The polygonal part of ``geom`` (Polygon or MultiPolygon), or None when it has none."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for g in parts for p in getattr(g, "geoms", [g])]
    return shapely.MultiPolygon(polys) if len(polys) > 1 else (polys[0] if polys else None)


def _checked(geom) -> tuple[object, str]:
    """(the usable polygon or None, what was wrong with it and done: '' when nothing)."""
    if geom is None or geom.is_empty:
        return None, "no polygon in the file; not drawn on maps"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"geometry is a {geom.geom_type}, not a polygon; not drawn on maps"
    west, south, east, north = geom.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None, "coordinates are not longitude/latitude; not drawn on maps"
    if geom.is_valid:
        return geom, ""
    reason = shapely.is_valid_reason(geom)
    repaired = _polygonal(shapely.make_valid(geom))
    if repaired is None:
        return None, f"invalid polygon ({reason}) that could not be repaired; not drawn on maps"
    return repaired, f"invalid polygon ({reason}); repaired"


def check(regions: pd.DataFrame, level: str, notes: list[Note]) -> gpd.GeoSeries:
    """The usable polygons of ``regions`` (columns region_code, name, geometry in WGS84), indexed by
    code; a missing, non-polygonal or out-of-range geometry is left out and an invalid one repaired,
    each with a note."""
    kept: dict[str, object] = {}
    for code, name, geom in zip(regions["region_code"], regions["name"], regions["geometry"]):
        usable, problem = _checked(geom)
        if problem:
            notes.append(Note(level, code, name, problem))
        if usable is not None:
            kept[code] = usable
    return gpd.GeoSeries(kept, crs=SCREEN_CRS, dtype="geometry")


# --- 2. cleaning ------------------------------------------------------------------------------------

def clean(polygons: gpd.GeoSeries, level: str, notes: list[Note], names: dict[str, str]) -> gpd.GeoSeries:
    """The coverage in WORK_CRS with overlaps resolved, slivers closed and shared borders made
    identical (``coverage_clean``); each region whose borders had to be matched is named with the
    change in its area. names: code -> name, for the notes."""
    projected = polygons.to_crs(WORK_CRS)
    before = projected.values
    mismatched = ~shapely.is_empty(shapely.coverage_invalid_edges(before)) if len(before) else np.array([], bool)
    after = shapely.coverage_clean(before, gap_width=GAP_WIDTH_M) if len(before) else before
    after = np.array([_polygonal(g) for g in after], dtype=object)
    keep = np.array([g is not None for g in after], dtype=bool)
    for code, ok, bad, old, new in zip(projected.index, keep, mismatched, before, after):
        if not ok:
            notes.append(Note(level, code, names.get(code, ""), "wholly covered by neighbouring polygons; not drawn on maps"))
        elif bad:
            change = (shapely.area(new) - shapely.area(old)) / 1e6
            notes.append(Note(level, code, names.get(code, ""),
                              f"borders did not match its neighbours'; matched (area {change:+.2f} km²)"))
    return gpd.GeoSeries(after[keep], index=projected.index[keep], crs=WORK_CRS, dtype="geometry")


# --- 3. län from kommuner ---------------------------------------------------------------------------

def lan_from_kommuner(kommuner: gpd.GeoSeries, parent: pd.Series) -> gpd.GeoSeries:
    """Each län as the union of its (cleaned) kommuner, in the kommuner's CRS; parent: kommun code
    -> län code."""
    groups = pd.Series(kommuner.index, index=kommuner.index).map(parent)
    merged = {lan: shapely.coverage_union_all(kommuner[groups == lan].values) for lan in sorted(groups.dropna().unique())}
    return gpd.GeoSeries(merged, crs=kommuner.crs, dtype="geometry")


# --- 4-5. simplification and the stored columns ---------------------------------------------------

def _round(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))


def _label_points(work: np.ndarray, screen: np.ndarray) -> np.ndarray:
    """(lon, lat) per region: the centre of the largest circle inside its largest part (a label or
    marker there sits well inside, unlike a centroid, which can fall outside a curved kommun or in
    an enclave); the surface point of the screen polygon when rounding moved it outside."""
    out = np.empty((len(work), 2))
    centres = []
    for geom in work:
        parts = list(getattr(geom, "geoms", [geom]))
        largest = max(parts, key=lambda p: p.area)
        circle = shapely.maximum_inscribed_circle(largest, tolerance=max(largest.length / 1000, 10.0))
        centres.append(shapely.get_point(circle, 0))
    lonlat = gpd.GeoSeries(centres, crs=WORK_CRS).to_crs(SCREEN_CRS)
    for i, (point, polygon) in enumerate(zip(lonlat.values, screen)):
        if not shapely.contains_xy(polygon, point.x, point.y):
            point = shapely.point_on_surface(polygon)
        out[i] = point.x, point.y
    return out


def _geojson(geom) -> str:
    """Compact GeoJSON text; exteriors counter-clockwise as RFC 7946 asks."""
    return json.dumps(json.loads(shapely.to_geojson(shapely.orient_polygons(geom))), separators=(",", ":"))


def simplify(cleaned: gpd.GeoSeries, level: str, notes: list[Note], *, true_area: gpd.GeoSeries | None = None) -> pd.DataFrame:
    """The stored rows (COLUMNS) for a clean coverage in WORK_CRS: simplified with
    ``coverage_simplify`` at the level's tolerance, in WGS84 rounded to DECIMALS. true_area: the
    geometries the area is measured on (default ``cleaned``)."""
    if cleaned.empty:
        return pd.DataFrame(columns=COLUMNS)
    simplified = shapely.coverage_simplify(cleaned.values, TOLERANCE_M[level])
    screen = _round(gpd.GeoSeries(simplified, crs=WORK_CRS).to_crs(SCREEN_CRS).values)
    if not (shapely.is_valid(screen).all() and shapely.coverage_is_valid(screen)):
        # A shared vertex a hair from a rounding boundary can round two ways (seen once, on a
        # län border): match the borders again on the rounded coordinates, without moving more.
        screen = _round(shapely.coverage_clean(screen, snapping_distance=0))
    for i in np.flatnonzero(~shapely.is_valid(screen)):  # still folded: repair that polygon and say so
        notes.append(Note(level, cleaned.index[i], "", f"polygon folded when rounded to {DECIMALS} decimals; repaired"))
        screen[i] = _polygonal(shapely.make_valid(screen[i]))
    labels = _label_points(simplified, screen)
    box = shapely.bounds(screen)
    area = (true_area if true_area is not None else cleaned).to_crs(AREA_CRS).area / 1e6
    return pd.DataFrame({
        "code": cleaned.index.astype(str), "level": level, "geojson": [_geojson(g) for g in screen],
        "label_lon": labels[:, 0], "label_lat": labels[:, 1],
        "west": box[:, 0], "south": box[:, 1], "east": box[:, 2], "north": box[:, 3],
        "area_km2": area.reindex(cleaned.index).to_numpy(), "note": "",
    })


def prepare(kommuner: pd.DataFrame, lan: pd.DataFrame) -> Prepared:
    """The geometry table from the parsed polygon files. kommuner / lan: region_code, name,
    parent_code, geometry (shapely, WGS84, None when the file has none). Each note names a region
    and what was done; the same text is kept in the row's ``note`` column."""
    notes: list[Note] = []
    names = dict(zip(kommuner["region_code"], kommuner["name"]))
    k_clean = clean(check(kommuner, "kommun", notes), "kommun", notes, names)
    k_rows = simplify(k_clean, "kommun", notes)

    parent = pd.Series(kommuner["parent_code"].to_numpy(), index=kommuner["region_code"].to_numpy())
    from_kommuner = lan_from_kommuner(k_clean, parent)
    own = check(lan, "lan", [])  # the län file's polygons: a fallback only, so its faults need no note
    missing = [c for c in lan["region_code"] if c not in from_kommuner.index]
    fallback = own[own.index.isin(missing)].to_crs(WORK_CRS)
    lan_names = dict(zip(lan["region_code"], lan["name"]))
    for code in missing:
        notes.append(Note("lan", code, lan_names.get(code, ""), "no kommun polygons; " + (
            "drawn from the county file's own polygon" if code in fallback.index else "not drawn on maps")))
    lan_work = pd.concat([from_kommuner, fallback]).sort_index()
    lan_work = lan_work[lan_work.index.isin(lan["region_code"])]
    l_rows = simplify(gpd.GeoSeries(lan_work, crs=WORK_CRS), "lan", notes)

    table = pd.concat([k_rows, l_rows], ignore_index=True)
    by_region: dict[tuple[str, str], list[str]] = {}
    for n in notes:
        by_region.setdefault((n.level, n.code), []).append(n.text)
    table["note"] = ["; ".join(by_region.get((lv, c), [])) for lv, c in zip(table["level"], table["code"])]
    return Prepared(table[COLUMNS], notes)
