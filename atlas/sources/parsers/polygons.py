"""Municipality and county polygons from okfse/sweden-geojson, read with geopandas (pyogrio).

The parsers return the regions with their geometry as read (shapely, WGS84; None where a feature
has none); the build's geometry step (atlas.geo.prepare) checks, repairs and simplifies them, so a
bad polygon costs that region its map shape, never the build. A feature without a usable code or
name is still a format error: without it there is no region to attach anything to.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import lan_table, region_code, regions


def _read(path: Path, properties: list[str]):
    from atlas.geo.prepare import read_polygons  # geopandas: loaded by the build only

    frame = read_polygons(path)
    missing_cols = [p for p in properties if p not in frame.columns]
    if missing_cols or frame.empty:
        raise SourceFormatError(f"{path.name}: not a GeoJSON FeatureCollection with properties {properties} "
                                f"(missing {missing_cols or 'every feature'})")
    for i, row in enumerate(frame[properties].itertuples(index=False)):
        missing = [p for p, v in zip(properties, row) if v is None or pd.isna(v) or str(v).strip() == ""]
        if missing:
            raise SourceFormatError(f"{path.name}: feature {i} is missing property {missing}")
    return frame


def parse_kommun_polygons(path: Path) -> pd.DataFrame:
    """All 290 municipalities: region_code, name, level 'kommun', parent_code (län), geometry."""
    frame = _read(path, ["id", "kom_namn", "lan_code"])
    codes = [region_code(v, path) for v in frame["id"]]
    bad = [c for c in codes if len(c) != 4]
    if bad:
        raise SourceFormatError(f"{path.name}: municipality code {bad[0]!r} is not 4 digits")
    out = pd.DataFrame({
        "region_code": codes,
        "name": frame["kom_namn"].astype(str).str.strip().to_numpy(),
        "level": "kommun",
        "parent_code": [region_code(v, path) for v in frame["lan_code"]],
        "geometry": frame.geometry.to_numpy(),
    })
    return regions(out, path)


def parse_lan_polygons(path: Path) -> pd.DataFrame:
    """All 21 counties, named with the official name from data/curated/lan.csv ("Dalarnas län")."""
    official = dict(zip(lan_table()["code"], lan_table()["name_sv"]))
    frame = _read(path, ["l_id"])
    codes = [region_code(v, path) for v in frame["l_id"]]
    unknown = [c for c in codes if c not in official]
    if unknown:
        raise SourceFormatError(f"{path.name}: l_id {unknown[0]!r} is not one of the 21 county codes")
    out = pd.DataFrame({
        "region_code": codes, "name": [official[c] for c in codes], "level": "lan", "parent_code": "00",
        "geometry": frame.geometry.to_numpy(),
    })
    return regions(out, path)
