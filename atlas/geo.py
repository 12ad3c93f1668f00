"""GeoJSON for a county's kommuner and the map view (centre, zoom) that fits it; no Streamlit here.

Polygons come from the ``karta_geometry`` query (one GeoJSON geometry text per kommun code). The
map view is computed from the polygons' bounds, so any county fits without hard-coded coordinates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import pandas as pd

# MapLibre draws the whole world 512 px wide at zoom 0 (512 px tiles).
_WORLD_PX = 512.0
_MAX_LAT = 85.0511  # Web Mercator's limit


def feature_collection(rows: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection with one Feature per row, ``id`` = the region code.

    rows: columns ``code`` and ``geojson`` (geometry JSON text). Rows whose text is not a JSON
    geometry object are left out (the map then shows that kommun as absent, never crashes).
    """
    features = []
    for code, text in zip(rows["code"], rows["geojson"]):
        try:
            geometry = json.loads(text)
        except (TypeError, ValueError):
            continue
        if not isinstance(geometry, dict) or "coordinates" not in geometry:
            continue
        features.append({"type": "Feature", "id": str(code), "properties": {"code": str(code)},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _positions(coords) -> Iterable[tuple[float, float]]:
    """Every (lon, lat) pair in a nested GeoJSON coordinates array."""
    if isinstance(coords, (list, tuple)) and len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
        yield float(coords[0]), float(coords[1])
    elif isinstance(coords, (list, tuple)):
        for part in coords:
            yield from _positions(part)


def bounds(collection: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees over every feature, or None for an empty collection."""
    lons, lats = [], []
    for feature in collection.get("features", []):
        for lon, lat in _positions((feature.get("geometry") or {}).get("coordinates", [])):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def _merc_y(lat: float) -> float:
    lat = max(min(lat, _MAX_LAT), -_MAX_LAT)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(box: tuple[float, float, float, float] | None, *, width_px: float = 560,
             height_px: float = 600, padding: float = 0.08, max_zoom: float = 12.0) -> tuple[dict, float]:
    """Centre ({'lon', 'lat'}) and zoom that fit ``box`` inside a map of the given pixel size.

    padding: the share of the map left empty on each side. An empty box gives Sweden's view.
    """
    if box is None:
        box = (10.9, 55.3, 24.2, 69.1)  # Sweden: a sane fallback when no polygon is available
    west, south, east, north = box
    y_south, y_north = _merc_y(south), _merc_y(north)
    centre_lat = math.degrees(2 * math.atan(math.exp((y_south + y_north) / 2)) - math.pi / 2)
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_lon = max(east - west, 1e-6)
    span_y = max(y_north - y_south, 1e-9)
    zoom_x = math.log2(usable_w * 360.0 / (_WORLD_PX * span_lon))
    zoom_y = math.log2(usable_h * 2 * math.pi / (_WORLD_PX * span_y))
    zoom = max(min(zoom_x, zoom_y, max_zoom), 0.0)
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(zoom, 3)
