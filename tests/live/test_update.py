"""``run_update`` end to end against the local fake APIs: commit + rebuild, preferred live rows,
idempotence, and every failure leaving data/live and the database untouched."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from atlas.build import build, fingerprint_path
from atlas.live.datasets import DEFAULT_KEYS
from atlas.live.update import run_update
from atlas.sources.parsers.yrkesbarometer import parse_yrkesbarometer

from .fakeapi import (ARBSTATUSM, FIXTURES, SCB_ROOT, SCB_START, FakeApis, Reply, fixture, quick_http,
                      serve)

KEY = ["indicator_id", "region_code", "period", "sex", "category"]
IDS = ["live_scb_arbstatusm_20", "live_kolada_n03926_20", "live_kolada_n00914_20", "live_af_yrkesbarometer",
       "live_scb_arregarbstatus_20", "live_scb_befolkningny_20", "live_scb_dagsni07konkn_20"]
BAS_PATH = SCB_START + ARBSTATUSM


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in a folder (name -> content hash, mtime): proves nothing was touched."""
    if not folder.exists():
        return {}
    return {p.name: (_sha(p), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


def _query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def api(built_db):
    """One fake for the module (stable page URLs, so a second run sees identical bytes)."""
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        yield SimpleNamespace(fake=fake, urls=urls)


@pytest.fixture(scope="module")
def updated(api, tmp_path_factory, mirror):
    """A normal update for county 20 into a fresh live folder and database; SCB first answers 429."""
    tmp = tmp_path_factory.mktemp("updated")
    api.fake.queue("POST", BAS_PATH, Reply(429, b"Too Many Requests", {"Retry-After": "0"}))
    t0 = time.perf_counter()
    result = run_update("20", live_dir=tmp / "live", db=tmp / "atlas.duckdb", base_urls=api.urls,
                        http=quick_http(), mirror=mirror, api="v1")
    return SimpleNamespace(result=result, live=tmp / "live", db=tmp / "atlas.duckdb", seconds=time.perf_counter() - t0,
                           log=list(api.fake.log))


@pytest.fixture()
def copy_of_updated(updated, tmp_path):
    """The updated live folder and database, copied so a failing run can be checked for changes."""
    live, db = tmp_path / "live", tmp_path / "atlas.duckdb"
    shutil.copytree(updated.live, live)
    shutil.copy2(updated.db, db)
    shutil.copy2(fingerprint_path(updated.db), fingerprint_path(db))
    return SimpleNamespace(live=live, db=db, before=_snapshot(live), db_sha=_sha(db))


def _unchanged(state) -> None:
    assert _snapshot(state.live) == state.before
    assert _sha(state.db) == state.db_sha
    assert not list(state.live.parent.glob(".live-staging-*")) and not list(state.db.parent.glob(".atlas.duckdb.*"))


# --- a normal update ---------------------------------------------------------------------------------

def test_update_commits_every_dataset_and_rebuilds(updated):
    r = updated.result
    assert r.ok and r.rebuilt, r.message
    assert [(s.id, s.status) for s in r.datasets] == [(i, "updated") for i in IDS]
    assert "databasen är ombyggd" in r.message_sv and "rebuilt" in r.message_en
    assert ("POST", BAS_PATH, 429) in updated.log and ("POST", BAS_PATH, 200) in updated.log  # 429, then retried
    assert (updated.live / ".gitignore").read_text().strip().endswith("*")
    for status in r.datasets:
        frame = pd.read_parquet(updated.live / f"{status.id}.parquet")
        side = json.loads((updated.live / f"{status.id}.json").read_text(encoding="utf-8"))
        assert side["id"] == status.id and side["rows"] == len(frame) == status.rows > 0
        assert side["sha256"] == status.sha256 and len(side["sha256"]) == 64
        assert side["url"].startswith("http://127.0.0.1:") and side["publisher"] and side["licence"]
        assert side["retrieved_at"].endswith("+00:00") and side["kind"] in ("observation", "occupation")
    sources = {row[0]: row[1:] for row in _query(updated.db, "SELECT id, origin, sha256 FROM source")}
    for status in r.datasets:
        assert sources[status.id][0] == "live" and sources[status.id][1] == status.sha256
    assert "bas_kommun" in sources and sources["bas_kommun"][0] == "mirror"


def test_live_value_for_a_new_month_appears_exactly_and_is_preferred(updated, api):
    """The fixture's arbetslöshet for Falun in 2026M05 (a month the mirror does not have)."""
    variables = fixture("scb_arbstatusm_metadata.json")["variables"]
    meta = {v["code"]: dict(zip(v["valueTexts"], v["values"])) for v in variables}
    cell = ("2080", meta["Kon"]["totalt"], meta["Alder"]["20-64 år"], meta["Fodelseregion"]["totalt"],
            meta["ContentsCode"]["arbetslöshet"], "2026M05")
    expected = api.fake.cubes[ARBSTATUSM][cell]
    assert expected is not None
    rows = _query(updated.db, "SELECT value, source_id, preferred FROM observation WHERE indicator_id='arbetsloshet' "
                              "AND region_code='2080' AND period='2026M05' AND sex='T' AND category=''")
    assert rows == [(expected, "live_scb_arbstatusm_20", True)]
    dupes = _query(updated.db, "SELECT count(*) FROM (SELECT indicator_id, region_code, period, sex, category "
                               "FROM observation WHERE preferred GROUP BY ALL HAVING count(*) > 1)")
    assert dupes == [(0,)]


def test_overlapping_month_equals_the_mirror_build(updated, built_db):
    """2026M04 for Dalarna and Ludvika: the live rows (fixture generated from the mirror's values)
    are preferred and identical in value to the mirror-only build, derived utanför included."""
    sql = ("SELECT indicator_id, region_code, period, sex, category, value FROM observation WHERE preferred "
           "AND region_code IN ('20', '2085') AND period = '2026M04' AND sex = 'T' AND category = '' "
           "AND indicator_id NOT LIKE '%\\_16\\_64' ESCAPE '\\' ORDER BY ALL")
    mirror_rows, live_rows = _query(built_db, sql), _query(updated.db, sql)
    assert len(mirror_rows) == 24 and live_rows == mirror_rows
    sources = _query(updated.db, sql.replace("indicator_id, region_code, period, sex, category, value",
                                             "DISTINCT source_id").replace(" ORDER BY ALL", ""))
    assert sources == [("live_scb_arbstatusm_20",)]
    kolada = ("SELECT indicator_id, period, sex, value FROM observation WHERE preferred AND region_code = '20' "
              "AND indicator_id IN ('langtidsarbetsloshet_25_64', 'forvarvsfrekvens_20_64') ORDER BY ALL")
    assert _query(updated.db, kolada) == _query(built_db, kolada)


def test_kolada_pages_followed_and_null_is_missing(updated):
    pages = [p for m, p, s in updated.log if p.startswith("/v3/data/kpi/N03926/")]
    assert len(pages) == 2 and pages[1].endswith("?page=2")
    rows = _query(updated.db, "SELECT value, source_id FROM observation WHERE region_code = '2080' "
                              "AND indicator_id = 'langtidsarbetsloshet_25_64'")
    assert rows == [(None, "live_kolada_n03926_20")]


def test_yrkesbarometer_live_rows_replace_the_mirror_copies(updated):
    sample = parse_yrkesbarometer(FIXTURES / "yrkesbarometer_sample.json")
    assert _query(updated.db, "SELECT count(*) FROM occupation_outlook") == [(438,)]  # no duplicates
    live = _query(updated.db, "SELECT region_code, yb_concept_id FROM occupation_outlook "
                              "WHERE source_id = 'live_af_yrkesbarometer' ORDER BY ALL")
    assert live == sorted(zip(sample["region_code"], sample["yb_concept_id"]))


def test_rerun_with_same_responses_is_unchanged_and_does_not_rebuild(updated, api, mirror):
    before_live, before_db = _snapshot(updated.live), _sha(updated.db)
    before_fp = fingerprint_path(updated.db).read_bytes()
    result = run_update("20", live_dir=updated.live, db=updated.db, base_urls=api.urls, http=quick_http(),
                        mirror=mirror, api="v1")
    assert result.ok and not result.rebuilt
    assert [s.status for s in result.datasets] == ["unchanged"] * len(IDS)
    assert "Inga nya data" in result.message_sv and "No new data" in result.message_en
    assert _snapshot(updated.live) == before_live and _sha(updated.db) == before_db
    assert fingerprint_path(updated.db).read_bytes() == before_fp


def test_build_fingerprint_includes_live_files(copy_of_updated, mirror):
    live, db = copy_of_updated.live, copy_of_updated.db
    assert build(db, mirror=mirror, live_dir=live).skipped  # same live files: nothing to do
    path = live / "live_kolada_n00914_20.parquet"
    frame = pd.read_parquet(path)
    frame = frame[frame["region_code"] != "2080"]  # drop the null row: the file changes
    frame.to_parquet(path, index=False)
    result = build(db, mirror=mirror, live_dir=live)
    assert not result.skipped
    assert _query(db, "SELECT count(*) FROM observation WHERE source_id = 'live_kolada_n00914_20'") == [(len(frame),)]


def test_broken_live_file_stops_the_build_naming_it(copy_of_updated, mirror):
    (copy_of_updated.live / "live_kolada_n00914_20.json").unlink()
    from atlas.build import BuildError
    with pytest.raises(BuildError, match="live_kolada_n00914_20"):
        build(copy_of_updated.db, mirror=mirror, live_dir=copy_of_updated.live)
    assert _sha(copy_of_updated.db) == copy_of_updated.db_sha


# --- failures: nothing changes ------------------------------------------------------------------------

@pytest.fixture()
def fresh(built_db):
    """A new fake (its own port) for one failing run."""
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        yield SimpleNamespace(fake=fake, urls=urls)


def _run(state, fresh, mirror, **kw):
    options = {"live_dir": state.live, "db": state.db, "base_urls": fresh.urls, "http": quick_http(), "mirror": mirror,
               "api": "v1"}
    return run_update("20", **{**options, **kw})


def _failed(result, dataset_id: str, *words: str) -> str:
    assert not result.ok and not result.rebuilt
    failed = [s for s in result.datasets if s.status == "failed"]
    assert [s.id for s in failed] == [dataset_id]
    for w in words:
        assert w in result.message, result.message
    assert "Inget har ändrats" in result.message_sv and "Nothing was changed" in result.message_en
    return failed[0].message


def test_timeout_fails_with_message_and_changes_nothing(copy_of_updated, fresh, mirror):
    fresh.fake.queue("GET", BAS_PATH, *[Reply(200, b"{}", delay_s=3)] * 2)
    t0 = time.perf_counter()
    result = _run(copy_of_updated, fresh, mirror, http=quick_http(read_timeout=0.5))
    assert time.perf_counter() - t0 < 5
    _failed(result, "live_scb_arbstatusm_20", "svarade inte inom 0.5 s", "did not answer within")
    assert [s.status for s in result.datasets[1:]] == ["skipped"] * (len(IDS) - 1)
    _unchanged(copy_of_updated)


def test_invalid_json_fails_and_changes_nothing(copy_of_updated, fresh, mirror):
    fresh.fake.queue("POST", BAS_PATH, Reply(200, b'{"class": "dataset", "id": ["Region",'))
    result = _run(copy_of_updated, fresh, mirror)
    _failed(result, "live_scb_arbstatusm_20", "inte giltig JSON", "not valid JSON")
    _unchanged(copy_of_updated)


def test_jsonstat_without_value_fails_and_changes_nothing(copy_of_updated, fresh, mirror):
    doc = fixture("scb_arbstatusm_2085_2026M04.jsonstat2.json")
    del doc["value"]
    fresh.fake.queue("POST", BAS_PATH, Reply(200, json.dumps(doc).encode()))
    result = _run(copy_of_updated, fresh, mirror)
    _failed(result, "live_scb_arbstatusm_20", "saknar 'value'", "has no 'value'")
    _unchanged(copy_of_updated)


@pytest.mark.parametrize("change, named", [
    (lambda m: m["variables"].insert(2, {"code": "Utbildningsniva", "text": "utbildningsnivå",
                                        "values": ["3"], "valueTexts": ["eftergymnasial"]}), "Utbildningsniva"),
    (lambda m: (m["variables"][4]["values"].append("000006ZZ"),
                m["variables"][4]["valueTexts"].append("antal i arbetsmarknadspolitiska program")),
     "antal i arbetsmarknadspolitiska program"),
])
def test_schema_change_fails_naming_it_and_changes_nothing(copy_of_updated, fresh, mirror, change, named):
    meta = copy.deepcopy(fresh.fake.scb_meta[ARBSTATUSM])
    change(meta)
    fresh.fake.scb_meta[ARBSTATUSM] = meta
    result = _run(copy_of_updated, fresh, mirror)
    message = _failed(result, "live_scb_arbstatusm_20", named, "Tabellen har ändrats", "The table has changed")
    assert named in message
    assert fresh.fake.count("POST", SCB_START) == 0  # stopped before asking for data
    _unchanged(copy_of_updated)


def test_offline_fails_fast_and_changes_nothing(copy_of_updated, mirror):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    result = run_update("20", live_dir=copy_of_updated.live, db=copy_of_updated.db, mirror=mirror,
                        base_urls={"scb": dead + SCB_START, "scb_v2": dead + "/api/v2", "kolada": dead + "/v3",
                                   "af": dead + "/yb.json"})
    assert time.perf_counter() - t0 < 10
    _failed(result, "live_scb_arbstatusm_20", f"Kunde inte nå 127.0.0.1:{port}", "Could not reach")
    assert [s.status for s in result.datasets[1:]] == ["skipped"] * (len(IDS) - 1)
    _unchanged(copy_of_updated)


def test_failure_discards_datasets_already_fetched(tmp_path, fresh, mirror):
    """Kolada succeeds first, SCB fails: the staged Kolada files are dropped; data/live is never made."""
    fresh.fake.queue("POST", BAS_PATH, Reply(200, b"not json"))
    state = SimpleNamespace(live=tmp_path / "live", db=tmp_path / "atlas.duckdb")
    result = _run(state, fresh, mirror, datasets=["kolada_n03926", "scb_arbstatusm"])
    assert [s.status for s in result.datasets] == ["discarded", "failed"]
    assert not state.live.exists() and not state.db.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.duckdb.update.lock"]  # no staging left behind


def test_data_the_build_rejects_is_not_committed(copy_of_updated, fresh, mirror):
    """A kommun code the region table does not know (2099): the trial build fails, so nothing is
    committed and the database in use stays as it was."""
    fresh.fake.kolada_munis["values"].append({"id": "2099", "title": "Ny kommun", "type": "K"})
    record = copy.deepcopy(fresh.fake.kolada["N03926"][0])
    fresh.fake.kolada["N03926"].append({**record, "municipality": "2099"})
    result = _run(copy_of_updated, fresh, mirror, datasets=["kolada_n03926"])
    message = _failed(result, "live_kolada_n03926_20", "kunde inte byggas", "could not be built")
    assert "2099" in message
    _unchanged(copy_of_updated)


def test_a_second_update_waits_for_none_and_changes_nothing(copy_of_updated, fresh, mirror):
    import fcntl
    with open(copy_of_updated.db.with_name("atlas.duckdb.update.lock"), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running update would
        result = _run(copy_of_updated, fresh, mirror)
    assert result.busy and not result.ok and "En annan uppdatering pågår redan" in result.message_sv
    assert [s.status for s in result.datasets] == ["skipped"] * len(IDS) and fresh.fake.log == []
    _unchanged(copy_of_updated)


def test_partial_commits_what_succeeded(tmp_path, fresh, mirror):
    fresh.fake.queue("POST", BAS_PATH, Reply(200, b"not json"))
    state = SimpleNamespace(live=tmp_path / "live", db=tmp_path / "atlas.duckdb")
    result = _run(state, fresh, mirror, datasets=["scb_arbstatusm", "kolada_n03926"], partial=True)
    assert [s.status for s in result.datasets] == ["failed", "updated"] and result.rebuilt and not result.ok
    assert "1 andra dataset sparades" in result.message_sv
    assert sorted(p.name for p in state.live.glob("*.parquet")) == ["live_kolada_n03926_20.parquet"]
    assert _query(state.db, "SELECT count(*) FROM source WHERE origin = 'live'") == [(1,)]


def test_ages_16_64_come_from_a_second_query_of_the_same_table(updated, api):
    """The three rates for 16-64 (live_only indicators): their own POST (Alder 16-64, three
    measures), values exactly the fake's 16-64 cells, same source row as the 20-64 series."""
    variables = fixture("scb_arbstatusm_metadata.json")["variables"]
    meta = {v["code"]: dict(zip(v["valueTexts"], v["values"])) for v in variables}
    differs = []
    for text, indicator in [("arbetslöshet", "arbetsloshet_16_64"), ("sysselsättningsgrad", "sysselsattningsgrad_16_64"),
                            ("arbetskraftsdeltagande", "arbetskraftsdeltagande_16_64")]:
        cell = ("2085", meta["Kon"]["totalt"], meta["Alder"]["16-64 år"], meta["Fodelseregion"]["totalt"],
                meta["ContentsCode"][text], "2026M04")
        expected = api.fake.cubes[ARBSTATUSM][cell]
        twenty = api.fake.cubes[ARBSTATUSM][cell[:2] + (meta["Alder"]["20-64 år"],) + cell[3:]]
        assert expected is not None
        differs.append(expected != twenty)
        rows = _query(updated.db, "SELECT value, source_id FROM observation WHERE preferred AND indicator_id=? "
                                  "AND region_code='2085' AND period='2026M04' AND sex='T' AND category=''", [indicator])
        assert rows == [(expected, "live_scb_arbstatusm_20")]
    assert any(differs)  # the two age groups' cells are told apart
    posts = [p for m, p, s in updated.log if m == "POST" and p == BAS_PATH and s == 200]
    assert len(posts) == 2  # 20-64 and 16-64 (the first answer was a 429, retried)


def test_annual_bas_population_and_industry_land_with_their_sources(updated, built_db):
    """The three extra SCB tables, end to end: values as the fake derived them from the mirror."""
    def one(sql, params=None):
        rows = _query(updated.db, sql, params)
        assert len(rows) == 1, rows
        return rows[0]
    mirror = {(i, p): v for i, p, v in _query(built_db, "SELECT indicator_id, period, value FROM observation WHERE "
                                                        "preferred AND region_code='2085' AND sex='T' AND category=''")}
    # Annual BAS: the November value of each year, 20-64, every measure of BAS_YEAR_CONTENTS
    for year in ("2023", "2024"):
        for bas, monthly in [("bas_ar_arbetsloshet", "arbetsloshet"), ("bas_ar_sysselsatta", "sysselsatta"),
                             ("bas_ar_befolkning_20_64", "befolkning_20_64")]:
            value, source = one("SELECT value, source_id FROM observation WHERE indicator_id=? AND region_code='2085' "
                                "AND period=? AND sex='T' AND category=''", [bas, year])
            assert value == mirror[(monthly, f"{year}M11")] and source == "live_scb_arregarbstatus_20"
    # Population: 45 single ages x 2 sexes summed back to the December total; T = K + M
    by_sex = dict(_query(updated.db, "SELECT sex, value FROM observation WHERE indicator_id='befolkning_20_64_ar' "
                                     "AND region_code='2085' AND period='2024'"))
    assert by_sex["T"] == mirror[("befolkning_20_64", "2024M12")] == by_sex["K"] + by_sex["M"]
    # Industry: the industries (day population) add up to the November total; T = K + M per industry
    total = one("SELECT sum(value) FROM observation WHERE indicator_id='sysselsatta_bransch_dag' AND "
                "region_code='2085' AND period='2024' AND sex='T'")[0]
    assert total == mirror[("sysselsatta", "2024M11")]
    cats = {c for (c,) in _query(updated.db, "SELECT DISTINCT category FROM observation "
                                             "WHERE indicator_id='sysselsatta_bransch_dag'")}
    from tests.sources.test_parsers import catalogue
    assert len(cats) == 16 and cats <= set(catalogue()["sysselsatta_bransch_dag"]["categories_en"])
    # every live_only indicator now has data, and its source_ids name the loaded live dataset
    live_only = [i for i, e in catalogue().items() if e.get("live_only")]
    got = dict(_query(updated.db, "SELECT id, source_ids FROM indicator WHERE live_only"))
    assert sorted(got) == sorted(live_only)
    for iid in live_only:
        assert one("SELECT count(value) FROM observation WHERE indicator_id=?", [iid])[0] > 0, iid
        assert got[iid].startswith("live_scb_") and got[iid].endswith("_20"), got[iid]
    assert _query(updated.db, "SELECT source_ids FROM indicator WHERE id='arbetsloshet'")[0][0].startswith(
        "live_scb_arbstatusm_20,")  # the live source first, then the mirror files


def test_mirror_build_lists_live_only_indicators_without_data(built_db):
    rows = _query(built_db, "SELECT id, source_ids FROM indicator WHERE live_only ORDER BY id")
    assert len(rows) == 11 and ("befolkning_20_64_ar", "live_scb_befolkningny") in rows
    assert _query(built_db, "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id "
                            "WHERE i.live_only") == [(0,)]
    from tests.pages.helpers import run_page  # Om datan says which are not loaded, and how to load them
    about = run_page(Path(__file__).resolve().parents[2] / "pages" / "om_datan.py")
    notes = [c.value for c in about.caption if "Uppgift saknas för 11 indikatorer" in c.value]
    assert len(notes) == 1 and "python -m atlas update" in notes[0] and "Folkmängd 20–64 år" in notes[0]
    catalogue = next(d.value for d in about.dataframe if "levels" in d.value.columns)
    assert (catalogue["levels"] == "..").sum() == 11 and not catalogue["levels"].isna().any()  # not "None"


def test_an_indicator_missing_from_the_catalogue_is_refused_before_any_request(fresh, tmp_path, mirror, monkeypatch):
    from atlas.live import update
    monkeypatch.setattr(update, "_catalogue_ids", lambda: {"arbetsloshet"})
    state = SimpleNamespace(live=tmp_path / "live", db=tmp_path / "atlas.duckdb")
    result = _run(state, fresh, mirror, datasets=["scb_befolkningny", "kolada_n03926"])
    assert [s.status for s in result.datasets] == ["failed", "failed"] and not result.ok
    assert all("indicators.yml" in s.message for s in result.datasets)
    assert fresh.fake.log == [] and not state.db.exists()


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="county"):
        run_update("99")
    with pytest.raises(ValueError, match="Unknown dataset"):
        run_update("20", datasets=["scb_nope"])
    assert DEFAULT_KEYS == ["scb_arbstatusm", "kolada_n03926", "kolada_n00914", "af_yrkesbarometer",
                            "scb_arregarbstatus", "scb_befolkningny", "scb_dagsni07konkn"]


# --- the command line ---------------------------------------------------------------------------------

def test_cli_plan_and_bad_county(capsys):
    from atlas.__main__ import main
    assert main(["update", "--plan"]) == 0
    out = capsys.readouterr().out
    assert "PxWebApi 2" in out and "35 calls" in out and "4 719 312 cells" in out
    assert main(["update", "--county", "99", "--live-dir", "/nonexistent/live"]) == 2
    assert "Unknown county" in capsys.readouterr().err


def test_cli_offline_exits_1_with_message(copy_of_updated, monkeypatch, capsys, mirror):
    from atlas.__main__ import main
    from atlas.live import datasets
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(datasets.DEFAULT_BASE_URLS, "scb", f"http://127.0.0.1:{port}{SCB_START}")
    monkeypatch.setitem(datasets.DEFAULT_BASE_URLS, "scb_v2", f"http://127.0.0.1:{port}/api/v2")
    monkeypatch.setenv("ATLAS_MIRROR", str(mirror))
    code = main(["update", "--live-dir", str(copy_of_updated.live), "--db", str(copy_of_updated.db)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"Kunde inte nå 127.0.0.1:{port}" in captured.err and "Inget har ändrats" in captured.err
    assert "failed" in captured.out and "skipped" in captured.out
    _unchanged(copy_of_updated)
    assert SCB_ROOT in SCB_START


# --- the pages after an update ------------------------------------------------------------------------

def test_pages_show_the_live_only_indicators_once_loaded(updated, monkeypatch):
    """With the updated database, every live_only indicator is offered and drawn (AppTest): on the
    map (kommun level), in Trender, in the downloads; the profile lists the annual BAS rows; Om
    datan no longer reports them as not loaded. Nothing raises or shows an error box."""
    from tests.pages.helpers import run_page
    from tests.sources.test_parsers import catalogue

    monkeypatch.setenv("ATLAS_DB", str(updated.db))
    root = Path(__file__).resolve().parents[2] / "pages"
    live_only = [i for i, e in catalogue().items() if e.get("live_only")]
    for iid in live_only:
        karta = run_page(root / "karta.py", {"ind": iid})
        assert karta.selectbox(key="karta_ind").value == iid and not karta.error, iid
        assert not [w for w in karta.warning if "ind" in str(w.value)], iid  # no "unknown indicator" notice
        trend = run_page(root / "trender.py", {"ind": iid})
        assert not trend.error and iid in [s.value for s in trend.selectbox], iid
    data = run_page(root / "data.py", {"ind": ",".join(live_only)})
    assert not data.error and set(data.multiselect[0].value) == set(live_only)
    profile = run_page(root / "kommunprofil.py", {"kommun": "2085"})
    shown = " ".join(str(df.value.to_csv()) for df in profile.dataframe)
    assert "BAS årsstatistik" in shown and "16–64 år" in shown
    about = run_page(root / "om_datan.py")
    assert not [c for c in about.caption if "Uppgift saknas för" in c.value]
