"""One writer at a time: two builds and an update started together in separate processes, with an
admin saving a register change meanwhile and another process reading all along. Every writer
succeeds or waits its turn, the reader never sees an error, the final database passes its checksum,
and the admin's change is in it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from atlas import ROOT
from atlas.admin import store
from atlas.build import build
from atlas.locking import LockTimeout, writer_lock
from atlas.paths import fingerprint_path

from tests.live.fakeapi import FakeApis, serve


def _worker(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.quality.concurrency_worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_builds_update_admin_save_and_reader_together(tmp_path, built_db, mirror, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    shutil.copy(fingerprint_path(built_db), fingerprint_path(db))
    admin_db = tmp_path / "asf_admin.duckdb"
    live = tmp_path / "live"
    for name, value in {"ATLAS_DB": db, "ATLAS_ADMIN_DB": admin_db, "ATLAS_MIRROR": mirror, "ATLAS_LIVE_DIR": live}.items():
        monkeypatch.setenv(name, str(value))
    env = dict(os.environ)
    store.ensure(admin_db)
    stop = tmp_path / "stop"
    with serve(FakeApis(built_db)) as urls:
        reader = _worker("read", str(db), str(stop), env=env)
        time.sleep(1.0)  # the reader is reading before the writers start
        writers = [_worker("build", str(db), env=env), _worker("build", str(db), env=env),
                   _worker("update", str(db), urls["kolada"], str(live), env=env)]
        # Meanwhile an administrator saves a change and rebuilds, as pages/admin.py does.
        time.sleep(0.5)
        tables = store.load(admin_db)
        enterprise = tables["enterprise"].copy()
        first = enterprise["asf_id"].iloc[0]
        enterprise.loc[enterprise["asf_id"] == first, "name"] = "Namnbyte under samtidiga byggen"
        new = {"enterprise": enterprise, "fact": tables["fact"]}
        store._write(admin_db, lambda old: new, who="test", action="edit", file_name="test", sha="")
        build(db, force=True)
        outcomes = [(w.wait(240), w.stdout.read(), w.stderr.read()) for w in writers]
        stop.touch()
        reader.wait(60)
        seen = json.loads(reader.stdout.read().strip().splitlines()[-1])

    for code, out, err in outcomes:
        assert code == 0, out + err
    assert seen["n_errors"] == 0, seen["errors"]
    assert seen["reads"] > 50 and seen["versions_seen"] >= 2  # it read across several swaps
    expected = json.loads(fingerprint_path(db).read_text())["db_sha256"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == expected
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = dict(con.execute("SELECT asf_id, name FROM asf_register").fetchall())
        live_rows = con.execute("SELECT count(*) FROM source WHERE id LIKE 'live_kolada_n03926%'").fetchone()[0]
    finally:
        con.close()
    assert names[first] == "Namnbyte under samtidiga byggen"  # the admin's change was not lost
    assert live_rows == 1  # nor the update's
    assert not [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".update-" in p.name]


def test_writer_lock_excludes_threads_and_times_out(tmp_path):
    db = tmp_path / "atlas.duckdb"
    held, waited = threading.Event(), []

    def other() -> None:
        try:
            with writer_lock(db, timeout=0.2, on_wait=lambda: waited.append(True)):
                pass
        except LockTimeout:
            waited.append("timeout")

    with writer_lock(db):
        with writer_lock(db):  # re-entrant in the holding thread
            held.set()
        th = threading.Thread(target=other)
        th.start()
        th.join()
    assert waited == [True, "timeout"]
    with writer_lock(db, timeout=0.2):  # free again once released
        pass


@pytest.mark.parametrize("n", [2])
def test_two_builds_in_one_process_both_succeed(tmp_path, mirror, n):
    """Two forced builds from two threads of one process (the temp name was per process id, so they
    overwrote each other's file and both failed)."""
    db = tmp_path / "atlas.duckdb"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            build(db, force=True, mirror=mirror, live_dir=None)
        except BaseException as exc:  # noqa: BLE001 - the finding
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert hashlib.sha256(db.read_bytes()).hexdigest() == json.loads(fingerprint_path(db).read_text())["db_sha256"]
