"""Simplified municipality and county polygons from okfse/sweden-geojson."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import geometry_json, lan_table, read_json, region_code, regions


def _features(path: Path, properties: list[str]) -> list[dict]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise SourceFormatError(f"{path.name}: not a GeoJSON FeatureCollection")
    for i, feature in enumerate(data["features"]):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not feature.get("geometry"):
            raise SourceFormatError(f"{path.name}: feature {i} has no properties or geometry")
        missing = [p for p in properties if props.get(p) in (None, "")]
        if missing:
            raise SourceFormatError(f"{path.name}: feature {i} is missing property {missing}")
    return data["features"]


def parse_kommun_polygons(path: Path) -> pd.DataFrame:
    """All 290 municipalities; geo_point_2d is dropped (the app computes centroids if needed)."""
    rows = []
    for feature in _features(path, ["id", "kom_namn", "lan_code"]):
        props = feature["properties"]
        code = region_code(props["id"], path)
        if len(code) != 4:
            raise SourceFormatError(f"{path.name}: municipality code {props['id']!r} is not 4 digits")
        rows.append({
            "region_code": code,
            "name": str(props["kom_namn"]).strip(),
            "level": "kommun",
            "parent_code": region_code(props["lan_code"], path),
            "geojson": geometry_json(feature["geometry"]),
        })
    return regions(pd.DataFrame(rows), path)


def parse_lan_polygons(path: Path) -> pd.DataFrame:
    """All 21 counties, named with the official name from data/curated/lan.csv ("Dalarnas län")."""
    official = dict(zip(lan_table()["code"], lan_table()["name_sv"]))
    rows = []
    for feature in _features(path, ["l_id"]):
        code = region_code(feature["properties"]["l_id"], path)
        if code not in official:
            raise SourceFormatError(f"{path.name}: l_id {code!r} is not one of the 21 county codes")
        rows.append({
            "region_code": code,
            "name": official[code],
            "level": "lan",
            "parent_code": "00",
            "geojson": geometry_json(feature["geometry"]),
        })
    return regions(pd.DataFrame(rows), path)
