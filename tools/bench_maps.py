"""Map benchmark: ``python -m tools.bench_maps [--runs N] [--skip-browser]`` prints, for each Karta
level, what the map sends to the browser (its polygons, and the whole figure) and the time to first
chart in Chromium against the bare app, on the national synthetic database (tools.bench: every
indicator for Riket, 21 län and 290 kommuner, so Sweden's kommun map is offered).

Numbers, not pass/fail: the first-chart target is tools.bench's (ours/bare <= 1.2).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
from pathlib import Path

from tools.bench import TARGETS, _time_to_chart, app_and_bare, bench_build, make_national_db
from tools.stats import percentile

LEVELS = ("kommun", "lan", "sverige")


def payloads(db: Path, lan: str = "20") -> dict:
    """Per level: bytes of the map's polygons (every trace's GeoJSON) and of the whole figure JSON,
    plain and gzipped, for the first indicator in its latest period."""
    from atlas import db as atlas_db
    from atlas.figures.maps import MapView, build_map
    from atlas.geo import Shapes

    con = atlas_db.connect(db)
    out = {}
    for level in LEVELS:
        catalogue = atlas_db.run("karta_indicators", con=con, lan=lan, level=level)
        if catalogue.empty:
            continue
        indicator = catalogue.iloc[0]
        period = atlas_db.run("karta_options", con=con, indicator=indicator["id"], lan=lan, level=level)["period"].iloc[0]
        values = atlas_db.run("karta_values", con=con, indicator=indicator["id"], lan=lan, period=period,
                              category="", level=level)
        shapes = Shapes.from_rows(atlas_db.run("karta_geometry", con=con, lan=lan, level=level))
        spec = build_map(MapView(values, indicator, period, "", "sv", level=level, county=lan), shapes, county_name=lan)
        geo = json.dumps([tr.geojson for tr in spec.figure.data], separators=(",", ":")).encode()
        whole = spec.figure.to_json().encode()
        out[level] = {"regions": len(shapes.geometries), "geometry_bytes": len(geo), "geometry_gzip": len(gzip.compress(geo)),
                      "figure_bytes": len(whole), "figure_gzip": len(gzip.compress(whole))}
    return out


def first_chart(db: Path, runs: int) -> dict:
    """p50 seconds to the first chart of Karta at each level and of the bare app, interleaved."""
    times: dict[str, list[float]] = {k: [] for k in (*LEVELS, "bare")}
    with app_and_bare(db) as (browser, url, bare_url, _):
        urls = {level: f"{url}/karta?lang=sv&lan=20&niva={level}" for level in LEVELS}
        for target in (*urls.values(), bare_url):  # warm both servers and every level's caches
            _time_to_chart(browser, target, 1)
        for _ in range(runs):
            for level, target in urls.items():
                times[level] += _time_to_chart(browser, target, 1)
            times["bare"] += _time_to_chart(browser, bare_url, 1)
    return {k: percentile(v, 0.5) for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench_maps")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-maps-"))
    real = Path(bench_build(tmp)["db"])
    national = tmp / "national.duckdb"
    make_national_db(real, national, years=2)
    for name, db in (("real", real), ("national", national)):
        for level, p in payloads(db).items():
            print(f"{name:8s} {level:8s} {p['regions']:4d} regions: polygons {p['geometry_bytes']:>8,} B "
                  f"(gzip {p['geometry_gzip']:>7,}), figure {p['figure_bytes']:>8,} B (gzip {p['figure_gzip']:>7,})")
    if not args.skip_browser and shutil.which("chromium"):
        p50 = first_chart(national, args.runs)
        for level in LEVELS:
            print(f"first chart, Karta niva={level:8s} p50 {p50[level]:.2f} s, ratio to bare {p50[level] / p50['bare']:.2f} "
                  f"(target <= {TARGETS['time_to_chart_ratio']})")
        print(f"first chart, bare app          p50 {p50['bare']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
