"""``run_update`` through PxWebApi 2 end to end: every dataset committed with the API that delivered
it, the v1 fallback, bad v2 answers changing nothing, and the change log and data versions of an
update that revises one value and adds one month (numbers from the mirror, as the fake serves them)."""

from __future__ import annotations

import copy
import json
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from atlas.build import fingerprint_path
from atlas.live.update import run_update
from atlas.versions import change_log_download, revision_text, version_id

from .fakeapi import FakeApis, Reply, quick_http, serve, v2_fixture
from .test_update import _query, _sha, _snapshot

BAS_V2 = "/api/v2/tables/TAB6260/data"


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def state(built_db, tmp_path):
    """The mirror-built database (with its fingerprint) and an empty live folder, in a tmp folder."""
    db = tmp_path / "atlas.duckdb"
    shutil.copy2(built_db, db)
    shutil.copy2(fingerprint_path(built_db), fingerprint_path(db))
    return SimpleNamespace(db=db, live=tmp_path / "live", before=_snapshot(tmp_path / "live"), db_sha=_sha(db))


def _unchanged(state) -> None:
    assert _snapshot(state.live) == state.before and _sha(state.db) == state.db_sha
    assert not list(state.db.parent.glob(".live-staging-*")) and not list(state.db.parent.glob(".atlas.duckdb.*"))


def _run(state, urls, mirror, **kw):
    options = {"live_dir": state.live, "db": state.db, "base_urls": urls, "http": quick_http(), "mirror": mirror}
    return run_update("20", **{**options, **kw})


# --- a full update through v2 ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def v2_update(built_db, tmp_path_factory, mirror):
    tmp = tmp_path_factory.mktemp("v2")
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        result = run_update("20", live_dir=tmp / "live", db=tmp / "atlas.duckdb", base_urls=urls,
                            http=quick_http(), mirror=mirror)  # api "auto": v2 answers
    return SimpleNamespace(result=result, db=tmp / "atlas.duckdb", live=tmp / "live", log=list(fake.log), fake=fake)


def test_v2_update_commits_every_dataset_and_records_the_api(v2_update):
    r = v2_update.result
    assert r.ok and r.rebuilt, r.message
    assert all(s.status == "updated" for s in r.datasets)
    assert not [p for m, p, s in v2_update.log if p.startswith("/OV0104")]  # v1 never asked
    apis = dict(_query(v2_update.db, "SELECT id, api FROM source"))
    assert apis["live_scb_arbstatusm_20"].startswith("PxWebApi 2 2.2.0: TAB6260 = ArbStatusM (fast id) · 127.0.0.1:")
    assert apis["live_scb_arbstatusm_20"].split(" · ")[0].endswith(": TAB6260 = ArbStatusM (fast id)")
    assert apis["live_scb_befolkningny_20"].split(" · ")[0].endswith(": TAB638 = BefolkningNy (fast id)")
    assert apis["live_scb_arregarbstatus_20"].split(" · ")[0].endswith(": TAB99001 = ArRegArbStatus (funnen via sökning)")
    assert apis["live_scb_dagsni07konkn_20"].split(" · ")[0].endswith(": TAB5837 = DagSni07KonKN (funnen via sökning)")
    assert apis["live_kolada_n03926_20"].startswith("Kolada API v3") and apis["bas_kommun"] == ""
    side = json.loads((v2_update.live / "live_scb_arbstatusm_20.json").read_text(encoding="utf-8"))
    assert side["api"] == apis["live_scb_arbstatusm_20"] and "/api/v2/tables/TAB6260/data" in side["url"]


def test_v2_values_are_the_mirror_numbers(v2_update, built_db):
    """Population 20-64 (TAB638, ages summed back) and industry (TAB5837, 2020-2021) equal the
    mirror totals the fake split; the new month's arbetslöshet is the fake's cube cell."""
    mirror = {(i, p): v for i, p, v in _query(built_db, "SELECT indicator_id, period, value FROM observation "
                                                        "WHERE preferred AND region_code='2085' AND sex='T' AND category=''")}
    by_sex = dict(_query(v2_update.db, "SELECT sex, value FROM observation WHERE indicator_id='befolkning_20_64_ar' "
                                       "AND region_code='2085' AND period='2024'"))
    assert by_sex["T"] == mirror[("befolkning_20_64", "2024M12")] == by_sex["K"] + by_sex["M"]
    total = _query(v2_update.db, "SELECT sum(value) FROM observation WHERE indicator_id='sysselsatta_bransch_dag' "
                                 "AND region_code='2085' AND period='2021' AND sex='T'")[0][0]
    assert total == mirror[("sysselsatta", "2021M11")]
    assert _query(v2_update.db, "SELECT value FROM observation WHERE preferred AND indicator_id='arbetsloshet' AND "
                                "region_code='2085' AND period='2026M05' AND sex='T' AND category=''") == \
        [(mirror[("arbetsloshet", "2025M05")],)]


def test_a_first_update_without_a_previous_database_starts_the_history(v2_update):
    rows = _query(v2_update.db, "SELECT version_id, trigger, previous_id, note FROM data_version")
    meta = dict(_query(v2_update.db, "SELECT key, value FROM meta"))
    assert rows == [(version_id(meta["fingerprint"], meta["built_at"]), "update", None, "")]
    assert meta["version_id"] == rows[0][0] and len(rows[0][0]) == 19 and rows[0][0][10] == "."


# --- API choice and fallback ---------------------------------------------------------------------------

def test_auto_falls_back_to_v1_only_when_v2_cannot_be_reached(state, built_db, mirror):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        dead = {**urls, "scb_v2": f"http://127.0.0.1:{_dead_port()}/api/v2"}
        result = _run(state, dead, mirror, datasets=["scb_arbstatusm"])
    assert result.ok and result.rebuilt, result.message
    api = dict(_query(state.db, "SELECT id, api FROM source"))["live_scb_arbstatusm_20"]
    assert api.startswith("PxWeb API v1: AM0210A/ArbStatusM · 127.0.0.1:")
    assert "PxWebApi 2 kunde inte nås / could not be reached: SCB PxWebApi 2 /config: Could not reach 127.0.0.1:" in api
    assert fake.count("POST", "/OV0104/") == 2 and fake.count("GET", "/api/v2") == 0


def test_auto_falls_back_on_a_failing_v2_server_but_not_on_a_wrong_answer(state, built_db, mirror):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        fake.queue("GET", "/api/v2/config", *[Reply(503, b"busy")] * 3)
        result = _run(state, urls, mirror, datasets=["scb_arbstatusm"], live_dir=state.live.with_name("other"),
                      db=state.db.with_name("other.duckdb"))
        assert result.ok and "v1" in _query(state.db.with_name("other.duckdb"),
                                            "SELECT api FROM source WHERE id='live_scb_arbstatusm_20'")[0][0]
        fake.queue("GET", "/api/v2/config", Reply(200, b'{"maxDataCells": 150000}', {"Content-Type": "application/json"}))
        posts_before = fake.count("POST", "/OV0104/")
        wrong = _run(state, urls, mirror, datasets=["scb_arbstatusm"])
    assert not wrong.ok and "apiVersion" in wrong.message and fake.count("POST", "/OV0104/") == posts_before
    _unchanged(state)


def test_api_v2_does_not_fall_back(state, built_db, mirror):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        dead = {**urls, "scb_v2": f"http://127.0.0.1:{_dead_port()}/api/v2"}
        result = _run(state, dead, mirror, datasets=["scb_arbstatusm"], api="v2")
    assert not result.ok and "Kunde inte nå 127.0.0.1:" in result.message_sv and "Inget har ändrats" in result.message_sv
    assert fake.count("GET", "/OV0104/") == 0
    _unchanged(state)


# --- bad v2 answers: a clear message naming the table, nothing committed --------------------------------

def _problem(name: str, status: int) -> Reply:
    return Reply(status, json.dumps(v2_fixture(name)).encode(), {"Content-Type": "application/problem+json"})


@pytest.mark.parametrize("path, reply, words", [
    (BAS_V2, Reply(200, b'{"version":"2.0","class":"dataset","id":["Region"],"size":[1],"dimension":{"Region":'
                        b'{"category":{"index":{"00":0},"label":{"00":"Riket"}}}},"value":[1]}',
                   {"Content-Type": "application/json"}), ("dimensionerna", "the response has dimensions")),
    ("/api/v2/tables/TAB6260", _problem("problem_404.json", 404), ("Non-existent table", "cannot find")),
    (BAS_V2, _problem("problem_too_many_cells.json", 400), ("för många celler", "too many cells")),
    (BAS_V2, Reply(200, b'{"version":"2.0","class":"dataset",', {"Content-Type": "application/json",
                                                                   "Content-Length": "9000"}),
     ("bröts av", "cut off")),
    (BAS_V2, Reply(200, b"<html>underhall</html>", {"Content-Type": "text/html"}), ("'text/html'", "not JSON")),
])
def test_bad_v2_answers_change_nothing_and_name_the_table(state, built_db, mirror, path, reply, words):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        fake.queue("GET" if "data" not in path else "POST", path, reply, reply, reply)
        result = _run(state, urls, mirror, datasets=["kolada_n03926", "scb_arbstatusm"])
    assert [s.status for s in result.datasets] == ["discarded", "failed"] and not result.rebuilt
    failed = result.datasets[1]
    assert failed.message_sv.startswith("SCB ArbStatusM (TAB6260)"), failed.message_sv
    assert words[0] in failed.message_sv and words[1] in failed.message_en
    assert "Inget har ändrats" in result.message_sv and "Nothing was changed" in result.message_en
    _unchanged(state)


def test_the_update_deadline_stops_everything(state, built_db, mirror):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        fake.queue("POST", BAS_V2, Reply(200, b"[]", {"Content-Type": "application/json"}, delay_s=2))
        result = _run(state, urls, mirror, datasets=["scb_arbstatusm"], deadline_s=1.0,
                      http=quick_http(read_timeout=5.0))
    assert not result.ok and "tidsgräns på 1 s" in result.message_sv and "time limit of 1 s" in result.message_en
    _unchanged(state)


def test_bad_api_and_table_arguments_raise():
    with pytest.raises(ValueError, match="SCB API"):
        run_update("20", api="v3")
    with pytest.raises(ValueError, match="Unknown SCB table"):
        run_update("20", scb_tables={"Nope": "TAB1"})
    with pytest.raises(ValueError, match="not a PxWebApi 2 table id"):
        run_update("20", scb_tables={"ArRegArbStatus": "1234; DROP"})


# --- the change log and data versions -------------------------------------------------------------------

def _falun_cell(meta: dict, month: str) -> tuple:
    """The fake cube's key for Falun's total arbetslöshet 20-64 in ``month`` (codes found by text)."""
    code = {d: {lab: c for c, lab in meta["dimension"][d]["category"]["label"].items()} for d in meta["id"]}
    want = {"Region": "2080", "Kon": code["Kon"]["totalt"], "Alder": code["Alder"]["20\u201364 år"],
            "Fodelseregion": code["Fodelseregion"]["totalt"], "ContentsCode": code["ContentsCode"]["arbetslöshet"],
            "Tid": month}
    return tuple(want[d] for d in meta["id"])


@pytest.fixture(scope="module")
def revised(built_db, tmp_path_factory, mirror):
    """Mirror database -> update 1 (ArbStatusM through 2026M04) -> update 2 (one value revised, 2026M05
    added; both numbers from the mirror) -> update 3 with the same answers (no new data)."""
    tmp = tmp_path_factory.mktemp("revised")
    db, live = tmp / "atlas.duckdb", tmp / "live"
    shutil.copy2(built_db, db)
    shutil.copy2(fingerprint_path(built_db), fingerprint_path(db))
    fake = FakeApis(built_db)
    meta = fake.v2_meta["TAB6260"]
    full = copy.deepcopy(meta)
    tid = meta["dimension"]["Tid"]["category"]
    tid["index"], tid["label"] = {"2026M04": 0}, {"2026M04": "2026M04"}
    meta["size"][meta["id"].index("Tid")] = 1
    cell = _falun_cell(full, "2026M04")
    old = fake.v2_cube[cell]
    new = _query(built_db, "SELECT value FROM observation WHERE preferred AND indicator_id='arbetsloshet' AND "
                           "region_code='2080' AND period='2026M03' AND sex='T' AND category=''")[0][0]
    assert old is not None and new is not None and old != new
    with serve(fake) as urls:
        def run():
            return run_update("20", datasets=["scb_arbstatusm"], live_dir=live, db=db, base_urls=urls,
                              http=quick_http(), mirror=mirror)
        first = run()
        fake.v2_meta["TAB6260"] = full
        fake.v2_cube[cell] = new  # SCB revised Falun's 2026M04 figure ...
        second = run()            # ... and published 2026M05
        snapshot = (_snapshot(live), _sha(db), fingerprint_path(db).read_bytes())
        third = run()
    return SimpleNamespace(first=first, second=second, third=third, db=db, live=live, old=old, new=new,
                           snapshot=snapshot, fake=fake)


def test_change_log_of_an_update_that_revises_one_value_and_adds_one_month(revised):
    assert revised.first.ok and revised.first.rebuilt and revised.second.ok and revised.second.rebuilt
    versions = _query(revised.db, "SELECT version_id, trigger, previous_id, sources_changed FROM data_version "
                                  "ORDER BY built_at, version_id")
    assert [v[1] for v in versions] == ["build", "update", "update"]  # the mirror build, then two updates
    assert versions[1][2] == versions[0][0] and versions[2][2] == versions[1][0]
    assert versions[2][3] == "live_scb_arbstatusm_20"
    latest = versions[2][0]
    log = pd.DataFrame(_query(revised.db, "SELECT indicator_id, periods_added, n_added, n_revised, max_revision_region, "
                                          "max_revision_period, max_revision_sex, max_revision_category, "
                                          "max_revision_old, max_revision_new, n_removed, n_series_gone "
                                          "FROM change_log WHERE version_id = ? ORDER BY indicator_id", [latest]),
                       columns=["indicator_id", "periods_added", "n_added", "n_revised", "region", "period", "sex",
                                "category", "old", "new", "n_removed", "n_series_gone"]).set_index("indicator_id")
    row = log.loc["arbetsloshet"]
    assert row["n_revised"] == 1
    assert (row["region"], row["period"], row["sex"], row["category"]) == ("2080", "2026M04", "T", "")
    assert (row["old"], row["new"]) == (revised.old, revised.new)
    assert row["periods_added"] == "2026M05" and row["n_added"] == 17 * 3 * 3  # regions x sexes x birth regions
    assert row["n_removed"] == 0 and row["n_series_gone"] == 0
    others = log.drop(index="arbetsloshet")
    assert (others["n_revised"] == 0).all() and (others["periods_added"] == "2026M05").all()
    assert len(log) == 15  # 11 measures + utanför arbetskraften + three 16-64 rates


def test_change_log_in_the_query_the_csv_and_om_datan(revised, monkeypatch):
    from atlas import db
    from tests.pages.helpers import run_page

    log = db.run("change_log", con=db.connect(revised.db))
    latest = log.iloc[0]["version_id"]
    assert (log["version_id"] == latest).sum() == 15 and log.iloc[0]["trigger"] == "update"
    csv = change_log_download(log, "en")
    hit = csv[(csv["version_id"] == latest) & (csv["indicator_id"] == "arbetsloshet")].iloc[0]
    assert hit["indicator"] == "Unemployment, age 20–64"
    assert hit["max_revision_old"] == revised.old and hit["max_revision_new"] == revised.new
    assert revision_text(hit) == f"2080 2026M04: {revised.old:g} → {revised.new:g}"
    monkeypatch.setenv("ATLAS_DB", str(revised.db))
    root = Path(__file__).resolve().parents[2] / "pages"
    for lang, title in (("sv", "Ändringslogg"), ("en", "Change log")):
        page = run_page(root / "om_datan.py", lang=lang)
        assert not page.error and title in [s.value for s in page.subheader]
        frames = [df.value for df in page.dataframe]
        shown = next(f for f in frames if any("revision" in str(c).lower() for c in f.columns))
        assert len(shown) == 15 + 15  # this update, and the first one (mirror -> live)
        assert any(latest in str(v) for v in shown.iloc[:, -1])
        versions = next(f for f in frames if "✓" in f.iloc[:, -1].tolist())
        assert versions.iloc[0, 0] == latest and len(versions) == 3
        revision = shown[shown.iloc[:, 5] != ""].iloc[:, 5].tolist()  # only arbetslöshet's, never "nan"
        assert len(revision) == 1 and revision[0].startswith("2080 2026M04: ") and "nan" not in " ".join(shown.iloc[:, 5])
        assert versions.iloc[-1, 3] == ("första versionen" if lang == "sv" else "first version")


def test_an_update_with_no_new_data_changes_nothing_and_says_so(revised):
    r = revised.third
    assert r.ok and not r.rebuilt and [s.status for s in r.datasets] == ["unchanged"]
    assert "Inga nya data; inget har ändrats" in r.message_sv and "No new data" in r.message_en
    assert (_snapshot(revised.live), _sha(revised.db), fingerprint_path(revised.db).read_bytes()) == revised.snapshot
    assert _query(revised.db, "SELECT count(*) FROM data_version") == [(3,)]



def test_online_plan_counts_the_calls_an_update_makes(built_db, capsys):
    """--plan --online reads config and metadata (no data calls) and predicts the data calls the
    update then makes, table by table."""
    import io

    from atlas.live.cli import print_online_plan

    fake = FakeApis(built_db)
    fake.v2_config = {**fake.v2_config, "maxDataCells": 1000}  # small enough to page
    out = io.StringIO()
    with serve(fake) as urls:
        assert print_online_plan("20", "v2", {}, out=out, base_urls=urls, http=quick_http()) == 0
        assert fake.count("POST", "/api/v2/") == 0
        from atlas.live.datasets import SCB_SELECTIONS
        from atlas.live.pxweb2 import PxWeb2Client
        client = PxWeb2Client(quick_http(), urls["scb_v2"])
        made = 0
        for table, selections in SCB_SELECTIONS.values():
            meta, _ = client.metadata(table)
            made += sum(client.data(table, sel).calls for sel in selections(meta, "20"))
    text = out.getvalue()
    assert "SCB PxWebApi 2 plan for county 20 (cell limit 1 000 per call" in text
    assert f"SCB data calls in total: {made} for " in text and made == fake.count("POST", "/api/v2/") > 5
    assert "ArbStatusM (TAB6260)" in text and "ArRegArbStatus (TAB99001)" in text


def test_both_apis_unreachable_names_both(state, mirror):
    dead = f"http://127.0.0.1:{_dead_port()}"
    result = _run(state, {"scb": dead + "/OV0104/v1/doris/sv/ssd/START/", "scb_v2": dead + "/api/v2",
                          "kolada": dead + "/v3", "af": dead + "/yb.json"}, mirror, datasets=["scb_arbstatusm"])
    assert not result.ok and "PxWebApi 2 kunde inte heller nås" in result.message_sv
    assert "PxWebApi 2 could not be reached either" in result.message_en
    _unchanged(state)
