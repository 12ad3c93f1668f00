"""Every download's metadata names the data version it was drawn from: metadata.json and README of
each ZIP (observations, Yrkesbarometern, ASF tables), the citation, the XLSX about sheet, and the
data page's citation line."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from atlas import db
from atlas.downloads import observation_bundle, shape_observations, table_bundle
from atlas.export.metadata import citation
from atlas.export.tables import to_xlsx_bytes
from atlas.versions import data_versions


@pytest.fixture()
def current(built_db) -> str:
    version = data_versions(db.connect(built_db)).current
    assert len(version) == 19 and version[:4] == "2026"
    return version


def _meta(raw: bytes) -> tuple[dict, str]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return json.loads(zf.read("metadata.json")), zf.read("README.md").decode("utf-8")


def test_every_zip_bundle_names_the_version(built_db, current):
    con = db.connect(built_db)
    params = {"indicators": ["arbetsloshet"], "regions": ["20"], "from_year": 2025, "to_year": 2026,
              "sexes": ["T"], "with_categories": False}
    data = shape_observations(db.run("download_observations", con=con, **params), "sv")
    src = db.run("sources", con=con)
    bundles = [
        observation_bundle(data, db.run("indicator_coverage", con=con), src, "sv", sql="SELECT 1", params=params,
                           version=current),
        table_bundle(db.run("download_occupations", con=con, regions=["00", "20"]), "en",
                     query_name="download_occupations", sql="SELECT 1", source_rows=src[src["id"] == "yrkesbarometer"],
                     description="Yrkesbarometern", version=current),
        table_bundle(db.run("download_asf_register", con=con), "sv", query_name="download_asf_register", sql="SELECT 1",
                     source_rows=src[src["id"] == "curated_asf"], description="ASF", version=current),
    ]
    for raw in bundles:
        meta, readme = _meta(raw)
        assert meta["data_version"] == current
        assert current in meta["citation"] and current in readme
    assert "dataversion " + current in _meta(bundles[0])[0]["citation"]
    assert "data version " + current in _meta(bundles[1])[0]["citation"]


def test_citation_without_a_version_stays_as_before():
    assert "version" not in citation("en") and "Inkluderingsatlas" in citation("sv")


def test_xlsx_about_sheet_can_carry_the_version(current):
    import pandas as pd

    raw = to_xlsx_bytes(pd.DataFrame({"a": [1]}), sheet="x", about={"Dataversion": current})
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "Dataversion" in cells and current in cells


def test_data_page_citation_names_the_version(built_db, current):
    from tests.pages.helpers import run_page

    page = run_page(Path(__file__).resolve().parents[2] / "pages" / "data.py",
                    {"ind": "arbetsloshet", "reg": "20", "fran": "2025", "till": "2026", "kon": "T"})
    lines = [c.value for c in page.caption if "Inkluderingsatlas (" in c.value]
    assert lines and all(f"dataversion {current}" in line for line in lines)
