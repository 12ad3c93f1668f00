"""Server-side PNG/SVG with burned-in captions; metadata.json, README and the ZIP bundle."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import date

import pandas as pd
import pytest
from PIL import Image

from atlas import db
from atlas.export import images
from atlas.export.metadata import bundle_zip, indicator_metadata, metadata_document, source_text
from atlas.figures.lines import build_trend
from atlas.figures.spec import FigureSpec


@pytest.fixture()
def spec(built_db) -> FigureSpec:
    s = db.run("series", con=db.connect(built_db), indicator="arbetsloshet", regions=["20", "00"], sex="T", category="")
    return FigureSpec("arbetsloshet", build_trend(s, lang="sv", unit_label="%"), "Arbetslöshet 20–64 år",
                      "Procent av arbetskraften, 2020–2026", ["bas_kommun"], "april 2026", "def", "alt", s)


needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("google-chrome")),
                                    reason="kaleido needs a Chromium on the machine")


@needs_chromium
def test_png_at_slide_size(spec):
    png = images.render_image(spec, "Källa: SCB, BAS. Bearbetning: Inkluderingsatlas.", "png")
    im = Image.open(io.BytesIO(png))
    assert im.format == "PNG" and im.size == images.SLIDE_SIZE


@needs_chromium
def test_svg_has_title_unit_and_source(spec):
    svg = images.render_image(spec, "Källa: SCB, BAS. Bearbetning: Inkluderingsatlas.", "svg").decode("utf-8")
    assert "Arbetslöshet 20–64 år" in svg
    assert "Procent av arbetskraften" in svg
    assert "Källa: SCB, BAS. Bearbetning: Inkluderingsatlas." in svg


def test_captions_do_not_change_the_page_figure(spec):
    before = spec.figure.to_json()
    images.with_captions(spec, "Källa: x", width=1600, height=900)
    assert spec.figure.to_json() == before


def test_missing_browser_is_a_clear_error(spec, monkeypatch):
    def no_chrome():
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr(images, "_ensure_server", no_chrome)
    with pytest.raises(images.ImageExportUnavailable, match="apt-get install chromium"):
        images.render_image(spec, "Källa: x", "png")
    with pytest.raises(ValueError):
        images.render_image(spec, "Källa: x", "gif")


def test_metadata_bundle(built_db):
    con = db.connect(built_db)
    cat = db.run("indicator_coverage", con=con)
    src = db.run("sources", con=con)
    line = source_text(["bas_kommun", "yrkesbarometer"], src, "sv")
    assert line.startswith("Källa: SCB, BAS") and "Arbetsförmedlingen" in line and line.endswith("Bearbetning: Inkluderingsatlas.")
    inds = indicator_metadata(["arbetsloshet", "langtidsarbetsloshet_25_64"], cat, src, "en",
                              as_of={"arbetsloshet": "2026M04"})
    assert [i["id"] for i in inds] == ["arbetsloshet", "langtidsarbetsloshet_25_64"]
    first = inds[0]
    assert first["unit"] == "procent" and first["as_of"] == "2026M04" and first["definition"]
    bas = next(s for s in first["sources"] if s["id"] == "bas_kommun")
    assert bas["url"].startswith("https://raw.githubusercontent.com/") and len(bas["sha256"]) == 64
    assert bas["licence"] and bas["retrieved_at"]
    data = pd.DataFrame({"region": ["Falun", "=cmd"], "value": [4.1, None]})
    meta = metadata_document({"region": "Region", "value": "Värde (%)"}, inds, "en", query_name="series",
                             params={"indicator": "arbetsloshet"}, today=date(2026, 11, 27))
    raw = bundle_zip(data, meta, "en", sql="SELECT 1", stem="data")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert sorted(zf.namelist()) == ["README.md", "data.csv", "metadata.json", "query.sql"]
        m = json.loads(zf.read("metadata.json"))
        assert m["created"] == "2026-11-27" and m["query"]["parameters"] == {"indicator": "arbetsloshet"}
        assert [c["name"] for c in m["columns"]] == ["region", "value"]
        readme = zf.read("README.md").decode("utf-8")
        assert "How to cite" in readme and "Inkluderingsatlas (2026)" in readme and bas["url"] in readme
        assert zf.read("data.csv").decode("utf-8-sig").splitlines()[2] == "'=cmd,"
