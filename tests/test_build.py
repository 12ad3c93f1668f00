"""The build: complete tables from the mirror, atomic failure, no-op rebuild, clear errors."""

from __future__ import annotations

import hashlib
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
import yaml

from atlas import CURATED_DIR
from atlas.build import BuildError, build
from atlas.sources import SourceError
from atlas.sources.fetch import fetch
from atlas.sources.manifest import Source, get_source, load_manifest
from atlas.sources.parsers import PARSERS


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_lists_every_source_with_provenance():
    sources = load_manifest()
    assert len(sources) == 17  # SOURCES.md's download manifest
    assert len({s.id for s in sources}) == 17
    for s in sources:
        assert s.url.startswith("https://"), s.id
        assert s.publisher and s.licence and s.title_sv and s.title_en, s.id
        assert s.parser in PARSERS, s.id
        assert len(s.sha256) in (0, 64), s.id
    assert [s.id for s in sources if not s.sha256] == ["yrkesbarometer"]  # the live file changes


def test_full_build_tables_and_counts(built_db, mirror):
    con = duckdb.connect(str(built_db), read_only=True)
    count = lambda table: con.table(table).shape[0]  # noqa: E731
    # Regions: Riket + 21 län + 290 kommuner; polygons for every län and kommun.
    assert count("region") == 1 + 21 + 290
    assert count("geometry") == 21 + 290
    assert con.execute("SELECT count(*) FROM region WHERE level='kommun' AND parent_code='20'").fetchall()[0][0] == 15
    assert count("source") == 17 + 1  # every manifest file + the curated ASF compilation
    assert count("occupation_outlook") == 438
    catalogue = yaml.safe_load((CURATED_DIR / "indicators.yml").read_text(encoding="utf-8"))
    assert count("indicator") == len(catalogue)
    # Observations: every parsed row is kept; where sources overlap, the first in manifest order
    # is the preferred one (exactly one preferred row per key).
    total, keys = 0, set()
    for s in load_manifest():
        df = PARSERS[s.parser](mirror / s.relative_path, **s.options)
        if {"indicator_id", "value"} <= set(df.columns):
            total += len(df)
            keys |= set(map(tuple, df[["indicator_id", "region_code", "period", "sex", "category"]].values))
    assert count("observation") == total
    assert con.execute("SELECT count(*) FROM observation WHERE preferred").fetchall()[0][0] == len(keys)
    # The older county series overlaps bas_kommun for Riket and Dalarna: bas_kommun (newer) wins.
    assert con.execute("""SELECT DISTINCT source_id FROM observation WHERE preferred AND indicator_id='arbetsloshet'
                          AND region_code='20' AND period='2022M06' AND category=''""").fetchall() == [("bas_kommun",)]
    # Provenance: each source row carries URL, sha256 and retrieval time.
    rows = con.execute("SELECT id, url, sha256, retrieved_at FROM source WHERE kind <> 'curated'").fetchall()
    for sid, url, sha, retrieved in rows:
        assert url.startswith("https://") and len(sha) == 64 and retrieved, sid
    pinned = get_source("bas_kommun")
    assert con.execute("SELECT sha256 FROM source WHERE id='bas_kommun'").fetchall()[0][0] == pinned.sha256
    # Every observation's indicator is in the catalogue and every region is known.
    assert con.execute("SELECT count(*) FROM observation WHERE indicator_id NOT IN (SELECT id FROM indicator)").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM observation WHERE region_code NOT IN (SELECT code FROM region)").fetchall()[0][0] == 0
    for table in ("asf_register", "asf_facts", "asf_county_totals"):
        assert count(table) > 0
    con.close()


def test_observation_wide_is_every_observation_with_its_labels(built_db):
    """The derived table the page queries read holds exactly the observations, each with the
    region, indicator and source columns of its own row."""
    con = duckdb.connect(str(built_db), read_only=True)
    assert con.execute("""SELECT count(*) FROM (
        SELECT * EXCLUDE (region_name, region_name_en, short_name, short_name_en, level, parent_code, label_sv,
                          label_en, unit, publisher, region_order, in_comparison) FROM observation_wide
        EXCEPT ALL SELECT * FROM observation)""").fetchall()[0][0] == 0
    assert con.table("observation_wide").shape[0] == con.table("observation").shape[0] > 20_000
    wrong = con.execute("""
        SELECT count(*) FROM observation_wide w
        JOIN region r ON r.code = w.region_code JOIN indicator i ON i.id = w.indicator_id
        JOIN source s ON s.id = w.source_id
        WHERE (w.region_name, w.region_name_en, w.short_name, w.level, w.parent_code, w.label_sv, w.label_en,
               w.unit, w.publisher)
              IS DISTINCT FROM (r.name, r.name_en, r.short_name, r.level, r.parent_code, i.label_sv, i.label_en,
                                i.unit, s.publisher)""").fetchall()[0][0]
    assert wrong == 0
    assert con.execute("SELECT count(*) FROM observation_wide WHERE publisher IS NULL").fetchall()[0][0] == 0
    # coverage per indicator, and one comparison source per indicator, sex and category
    stats = con.execute("SELECT sum(n_values), count(*) FROM indicator_stats").fetchall()[0]
    assert stats == (con.execute("SELECT count(value) FROM observation").fetchall()[0][0],
                     con.execute("SELECT count(DISTINCT indicator_id) FROM observation").fetchall()[0][0])
    assert con.execute("SELECT count(*) FROM comparison_source").fetchall()[0][0] == con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT indicator_id, sex, category FROM observation WHERE value IS NOT NULL)"
    ).fetchall()[0][0]
    # the county comparison's unemployment comes from the monthly county table (21 län), not bas_kommun
    assert con.execute("""SELECT source_id, n_lan FROM comparison_source WHERE indicator_id = 'arbetsloshet'
                          AND sex = 'T' AND category = ''""").fetchall() == [("bas_lan_manad", 21)]
    # Kommunprofil: Ludvika's latest unemployment, with Dalarna's and Riket's for the same month
    latest = con.execute("""SELECT period, value FROM observation WHERE indicator_id = 'arbetsloshet'
                            AND region_code = '2085' AND sex = 'T' AND category = '' AND preferred
                            AND value IS NOT NULL ORDER BY period_date DESC LIMIT 1""").fetchall()[0]
    def at(code):
        return con.execute("""SELECT value FROM observation WHERE indicator_id = 'arbetsloshet'
                              AND region_code = $c AND period = $p AND sex = 'T' AND category = ''
                              AND preferred""", {"c": code, "p": latest[0]}).fetchall()[0][0]

    row = con.execute("""SELECT period, kommun_value, lan_value, riket_value FROM kommun_profile
                         WHERE kommun = '2085' AND indicator_id = 'arbetsloshet' AND lan = '20'""").fetchall()
    assert row == [(latest[0], latest[1], at("20"), at("00"))]
    con.close()


def test_rebuild_with_unchanged_inputs_is_a_noop(built_db, mirror):
    before = _sha(built_db)
    result = build(built_db, mirror=mirror)
    assert result.skipped
    assert _sha(built_db) == before


@pytest.fixture()
def mirror_copy(tmp_path, mirror) -> Path:
    dest = tmp_path / "mirror"
    shutil.copytree(mirror, dest)
    for p in dest.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)  # the shared mirror is read-only
    return dest


def test_corrupt_source_fails_naming_it_and_keeps_previous_db(tmp_path, built_db, mirror_copy):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    before = _sha(db)
    target = mirror_copy / get_source("varsel_manad").relative_path
    target.write_bytes(target.read_bytes()[:-10] + b"corrupted!")
    with pytest.raises(BuildError) as err:
        build(db, mirror=mirror_copy, force=True)
    assert "varsel_manad" in str(err.value) and "checksum" in str(err.value)
    assert _sha(db) == before
    assert not list(tmp_path.glob(".atlas.duckdb.tmp-*"))


def test_unparseable_unpinned_source_fails_naming_it(tmp_path, built_db, mirror_copy):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    before = _sha(db)
    (mirror_copy / get_source("yrkesbarometer").relative_path).write_text('{"not": "an array"}')
    with pytest.raises(BuildError) as err:
        build(db, mirror=mirror_copy, force=True)
    assert "yrkesbarometer" in str(err.value)
    assert _sha(db) == before


def test_unknown_mirror_path_gives_clear_error(tmp_path):
    with pytest.raises(BuildError) as err:
        build(tmp_path / "x.duckdb", mirror=tmp_path / "no-such-folder")
    assert "no-such-folder" in str(err.value) and "ATLAS_MIRROR" in str(err.value)
    assert not (tmp_path / "x.duckdb").exists()


def test_source_missing_from_mirror_names_it(tmp_path, mirror_copy):
    (mirror_copy / get_source("pendling").relative_path).unlink()
    with pytest.raises(BuildError) as err:
        build(tmp_path / "x.duckdb", mirror=mirror_copy)
    assert "pendling" in str(err.value) and "not found in the mirror" in str(err.value)


class _FlakyHandler(SimpleHTTPRequestHandler):
    """Serves a folder; the first request for each path fails with 503 to exercise the retry."""

    failed: set = set()

    def do_GET(self):  # noqa: N802
        if self.path not in self.failed:
            self.failed.add(self.path)
            self.send_error(503, "try again")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def test_network_fetch_retries_and_verifies(tmp_path, mirror, monkeypatch):
    monkeypatch.setattr("atlas.sources.fetch.time.sleep", lambda s: None)
    real = get_source("pendling")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_FlakyHandler, directory=str(mirror / real.relative_path.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{real.relative_path.name}"
        src = Source(**{**real.__dict__, "url": url})
        got = fetch(src, mirror=None, raw_dir=tmp_path / "raw")
        assert got.origin == "network" and got.sha256 == real.sha256
        assert got.path.read_bytes() == (mirror / real.relative_path).read_bytes()
        bad = Source(**{**real.__dict__, "url": url, "sha256": "0" * 64})
        with pytest.raises(SourceError, match="checksum mismatch"):
            fetch(bad, mirror=None, raw_dir=tmp_path / "raw2")
        missing = Source(**{**real.__dict__, "url": url + ".nope"})
        with pytest.raises(SourceError, match="404"):
            fetch(missing, mirror=None, raw_dir=tmp_path / "raw3")
    finally:
        server.shutdown()
