"""What the screen maps need from the geometry table, without geopandas: the polygons as a GeoJSON
FeatureCollection, the stored label points and bounds, and the map view (centre, zoom) that fits
them. Rows come from ``karta_geometry`` or ``asf_kommun_counts`` (atlas.geo.prepare made them).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

# MapLibre draws the whole world 512 px wide at zoom 0 (512 px tiles).
_WORLD_PX = 512.0
_MAX_LAT = 85.0511  # Web Mercator's limit
SWEDEN = (10.9, 55.3, 24.2, 69.1)  # (west, south, east, north): the view when nothing is drawn
_BOX = ("west", "south", "east", "north")


@dataclass(frozen=True)
class Shapes:
    """The polygons of a set of regions as the maps use them.

    geometries: code -> GeoJSON geometry dict; labels: code -> (lon, lat) inside the polygon (the
    build's label point: markers and slide labels go there); boxes: code -> (west, south, east, north)."""

    geometries: dict[str, dict] = field(default_factory=dict)
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> "Shapes":
        """From rows with ``code`` and ``geojson`` (text; empty or broken text = no polygon) and,
        when present, label_lon/label_lat and west/south/east/north (else derived from the polygon)."""
        geometries, labels, boxes = {}, {}, {}
        cols = set(rows.columns)
        n = len(rows)
        lon, lat = (rows[c].to_numpy(dtype=float) if c in cols else [math.nan] * n for c in ("label_lon", "label_lat"))
        stored = list(zip(*(rows[c].to_numpy(dtype=float) for c in _BOX))) if set(_BOX) <= cols else [None] * n
        for code, text, x, y, box in zip(rows["code"].astype(str), rows["geojson"], lon, lat, stored):
            geometry = _geometry(text)
            if geometry is None:
                continue
            geometries[code] = geometry
            if box is None or any(math.isnan(v) for v in box):
                box = _box(_positions(geometry["coordinates"]))
            if box is not None:
                boxes[code] = tuple(float(v) for v in box)
            if not (math.isnan(x) or math.isnan(y)):
                labels[code] = (float(x), float(y))
        return cls(geometries, labels, boxes)

    def collection(self, codes: Iterable[str] | None = None) -> dict:
        """A GeoJSON FeatureCollection with one Feature per code (``id`` = the code), in the given
        order; codes without a polygon are left out. Each map trace gets only the features it
        draws: Plotly sends a trace's whole GeoJSON to the browser."""
        chosen = self.geometries if codes is None else [c for c in codes if c in self.geometries]
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": c, "properties": None, "geometry": self.geometries[c]} for c in chosen]}

    def bounds(self, codes: Iterable[str] | None = None) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) over the given codes (default all), or None when none is drawn."""
        boxes = [self.boxes[c] for c in (self.boxes if codes is None else codes) if c in self.boxes]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def __contains__(self, code: object) -> bool:
        return code in self.geometries


def _geometry(text: object) -> dict | None:
    try:
        geometry = json.loads(text) if isinstance(text, str) and text.strip() else None
    except ValueError:
        return None
    return geometry if isinstance(geometry, dict) and "coordinates" in geometry else None


def feature_collection(rows: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection with one Feature per row, ``id`` = the region code.

    rows: columns ``code`` and ``geojson`` (geometry JSON text). Rows whose text is not a JSON
    geometry object are left out (the map then shows that kommun as absent, never crashes).
    """
    return Shapes.from_rows(rows).collection()


def _positions(coords) -> Iterable[tuple[float, float]]:
    """Every (lon, lat) pair in a nested GeoJSON coordinates array."""
    if isinstance(coords, (list, tuple)) and len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
        yield float(coords[0]), float(coords[1])
    elif isinstance(coords, (list, tuple)):
        for part in coords:
            yield from _positions(part)


def _box(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    lons, lats = [], []
    for lon, lat in points:
        lons.append(lon)
        lats.append(lat)
    return (min(lons), min(lats), max(lons), max(lats)) if lons else None


def bounds(collection: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees over every feature, or None for an empty collection."""
    return _box(pos for feature in collection.get("features", [])
                for pos in _positions((feature.get("geometry") or {}).get("coordinates", [])))


def _merc_y(lat: float) -> float:
    lat = max(min(lat, _MAX_LAT), -_MAX_LAT)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(box: tuple[float, float, float, float] | None, *, width_px: float = 560,
             height_px: float = 600, padding: float = 0.08, max_zoom: float = 12.0) -> tuple[dict, float]:
    """Centre ({'lon', 'lat'}) and zoom that fit ``box`` inside a map of the given pixel size.

    padding: the share of the map left empty on each side. An empty box gives Sweden's view.
    """
    west, south, east, north = box or SWEDEN
    y_south, y_north = _merc_y(south), _merc_y(north)
    centre_lat = math.degrees(2 * math.atan(math.exp((y_south + y_north) / 2)) - math.pi / 2)
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_lon = max(east - west, 1e-6)
    span_y = max(y_north - y_south, 1e-9)
    zoom_x = math.log2(usable_w * 360.0 / (_WORLD_PX * span_lon))
    zoom_y = math.log2(usable_h * 2 * math.pi / (_WORLD_PX * span_y))
    zoom = max(min(zoom_x, zoom_y, max_zoom), 0.0)
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(zoom, 3)
