"""A polygon file with a missing and an invalid geometry, through the whole build and onto Karta:
the build names both, keeps the region, repairs the invalid polygon, and the map draws the rest
with a visible note naming the kommun it cannot draw."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from atlas import ROOT, db
from atlas.build import build
from atlas.i18n import t
from atlas.sources.manifest import get_source
from tests.pages.helpers import run_in_app

VANSBRO, LEKSAND = "2021", "2029"


@pytest.fixture(scope="module")
def broken_db(tmp_path_factory, mirror):
    tmp = tmp_path_factory.mktemp("badpoly")
    copy = tmp / "mirror"
    shutil.copytree(mirror, copy)
    for p in copy.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)  # the shared mirror is read-only
    path = copy / get_source("kommun_polygoner").relative_path
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        code = feature["properties"]["id"]
        if code == VANSBRO:
            feature["geometry"] = None
        elif code == LEKSAND:  # swap two vertices of the outer ring: the ring crosses itself
            ring = feature["geometry"]["coordinates"][0][0]
            ring[3], ring[10] = ring[10], ring[3]
    path.write_text(json.dumps(data), encoding="utf-8")
    # The edited file no longer has the pinned checksum: a manifest copy with it unpinned.
    manifest = (ROOT / "data" / "sources.toml").read_text(encoding="utf-8")
    pinned = get_source("kommun_polygoner").sha256
    (tmp / "sources.toml").write_text(manifest.replace(f'sha256 = "{pinned}"', 'sha256 = ""'), encoding="utf-8")
    out = tmp / "atlas.duckdb"
    result = build(out, mirror=copy, manifest=tmp / "sources.toml", live_dir=None)
    return out, result


def test_the_build_names_the_missing_and_the_repaired_polygon(broken_db):
    path, result = broken_db
    assert "kommun 2021 Vansbro: no polygon in the file; not drawn on maps" in result.notes
    assert any(re.match(r"kommun 2029 Leksand: invalid polygon \(.+\); repaired", n) for n in result.notes)
    con = db.connect(path)
    kommuner = db.run("regions", con=con, lan="20").query("level == 'kommun'")
    assert VANSBRO in set(kommuner["code"])  # the region and its values stay
    drawn = db.run("karta_geometry", con=con, lan="20", level="kommun")
    assert VANSBRO not in set(drawn["code"]) and LEKSAND in set(drawn["code"]) and len(drawn) == 14
    note = con.execute("SELECT note FROM geometry WHERE code = ?", [LEKSAND]).fetchall()[0][0]
    assert note.startswith("invalid polygon (") and note.endswith("; repaired")


def test_karta_draws_the_rest_with_a_visible_note(broken_db, built_db, monkeypatch):
    path, _ = broken_db
    monkeypatch.setenv("ATLAS_DB", str(path))
    at = run_in_app("pages/karta.py", {"ind": "arbetsloshet"})
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = [loc for trace in spec["data"] for loc in trace["locations"]]
    assert len(drawn) == 14 and VANSBRO not in drawn
    note = t("karta.not_drawn", "sv", names="Vansbro")
    assert note in [a["text"] for a in spec["layout"]["annotations"]]  # on the map (and its PNG)
    assert any(note in c.value for c in at.caption)  # and in the card's subtitle
    bars = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert "Vansbro" in bars["data"][0]["y"]  # the value is still ranked
