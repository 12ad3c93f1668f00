"""The admin store on both engines, one code path: the embedded DuckDB file and a real PostgreSQL
server the tests start (skipped with the reason where none can be started). Same seed, same
audit and restore semantics, same refusal of a save made against a state another administrator
has changed; and on PostgreSQL: a server that is down or refuses the login, tables from another
version, and a network split in the middle of a save, each with a clear error and nothing
half-written."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pandas as pd
import pytest

from atlas import ROOT
from atlas.admin import backend, store, validate
from tests.admin.corpus import csv_bytes, valid_orgnr
from tests.pgserver import Proxy


@pytest.fixture(params=["duckdb", "postgresql"])
def where(request, admin_db):
    """The store's location on each engine (a fresh file, or a fresh database)."""
    if request.param == "duckdb":
        return admin_db
    return request.getfixturevalue("pg_url")


def _edited(where, kommun_codes, orgnr: str | None = None, town: str = "Testort") -> validate.Validation:
    """The current register with the first enterprise's town (and orgnr) changed, validated."""
    reg = store.register_frame(store.load(where))
    first = reg["id"] == reg["id"].iloc[0]
    reg.loc[first, "ort"] = town
    if orgnr:
        reg.loc[first, "organisationsnummer"] = orgnr
    res = validate.validate(csv_bytes(reg), "r.csv", kommun_codes)
    assert res.ok, res.problems[:3]
    return res


def test_seed_is_the_curated_register_on_both(where, admin_db):
    seeded = store.current_tables(where)
    if where != admin_db:  # the DuckDB reference store, for comparison
        assert store.register_digest(seeded) == store.register_digest(store.current_tables(store.ensure(admin_db)))
    log = store.audit_log(where)
    assert log["action"].tolist() == ["seed"] and log["id"].tolist() == [1]


def test_save_audit_and_restore_on_both(where, kommun_codes):
    before = store.load(where)
    res = _edited(where, kommun_codes, orgnr=valid_orgnr())
    first = before["enterprise"]["asf_id"].iloc[0]
    new_id = store.apply_register(res.enterprise, res.fact, who="anna", file_name="r.csv", sha256=res.sha256,
                                  path=where, expected=1)
    assert new_id == 2
    log = store.audit_log(where)
    assert log["id"].tolist() == [2, 1] and log.iloc[0]["who"] == "anna"
    summary = json.loads(log.iloc[0]["summary"])
    assert summary["enterprise"]["changed"][first] == {"orgnr": ["", valid_orgnr()],
                                                       "town": [before["enterprise"]["town"].iloc[0], "Testort"]}
    # restore brings the seed back byte for byte, and is itself logged
    assert store.restore(2, who="bo", path=where, expected=2) == 3
    after = store.load(where)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name])
    assert store.audit_log(where)["action"].tolist() == ["restore", "upload", "seed"]
    assert store.last_change(where)[0] == 3


def test_failed_write_rolls_back_on_both(where, kommun_codes, monkeypatch):
    before, log_before = store.load_with_log(where)
    res = _edited(where, kommun_codes)
    calls = []
    real = store._insert

    def boom(con, table, df):  # fails on the second table, after the first was replaced
        calls.append(table)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(con, table, df)

    monkeypatch.setattr(store, "_insert", boom)
    with pytest.raises(store.StoreError, match="nothing was changed"):
        store.apply_register(res.enterprise, res.fact, who="a", file_name="r.csv", sha256=res.sha256, path=where)
    monkeypatch.setattr(store, "_insert", real)
    after, log_after = store.load_with_log(where)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name])
    pd.testing.assert_frame_equal(log_after, log_before)


def test_second_admin_gets_what_changed_instead_of_overwriting(where, kommun_codes):
    """Two administrators open the page at entry #1; the first saves, the second's save (made
    against #1) is refused with the first one's change, and writes nothing."""
    _, log = store.load_with_log(where)
    seen = int(log["id"].max())
    first = store.load(where)["enterprise"]["asf_id"].iloc[0]
    a = _edited(where, kommun_codes, town="Annas ort")
    b = _edited(where, kommun_codes, town="Bos ort")
    store.apply_register(a.enterprise, a.fact, who="anna", file_name="a.csv", sha256=a.sha256, path=where,
                         expected=seen)
    state = store.load(where)
    with pytest.raises(store.StoreConflict) as err:
        store.apply_register(b.enterprise, b.fact, who="bo", file_name="b.csv", sha256=b.sha256, path=where,
                             expected=seen)
    c = err.value
    assert (c.expected, c.latest) == (1, 2)
    assert [e["who"] for e in c.entries] == ["anna"]
    assert c.summary["enterprise"]["changed"][first]["town"][1] == "Annas ort"
    assert "anna" in str(c)
    pd.testing.assert_frame_equal(store.load(where)["enterprise"], state["enterprise"])  # nothing of bo's
    with pytest.raises(store.StoreConflict):  # a restore made against an old state is refused too
        store.restore(2, who="bo", path=where, expected=seen)
    assert store.last_change(where)[0] == 2


_SAVE = """
import sys
from atlas.admin import store, validate
where, town, go = sys.argv[1], sys.argv[2], sys.argv[3]
reg = store.register_frame(store.load(where))
reg.loc[reg["id"] == reg["id"].iloc[0], "ort"] = town
import io
data = reg.to_csv(index=False).encode()
res = validate.validate(data, "r.csv", frozenset(sys.argv[4].split(",")))
import os, time
while not os.path.exists(go):  # start together
    time.sleep(0.005)
try:
    print("saved", store.apply_register(res.enterprise, res.fact, who=town, file_name="r.csv", sha256=res.sha256,
                                        path=where, expected=1))
except store.StoreConflict as exc:
    print("conflict", exc.latest)
"""


def test_two_hosts_saving_at_once(pg_url, kommun_codes, tmp_path):
    """Two processes (two replicas on two hosts) save against the same state at the same moment:
    exactly one is saved, the other is told; the audit log has one entry more."""
    store.ensure(pg_url)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _SAVE, pg_url, town, str(go), ",".join(sorted(kommun_codes))],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for town in ("Ort A", "Ort B")]
    time.sleep(3)  # both have read the store and wait for the signal
    go.write_text("go")
    outs = [p.communicate(timeout=120) for p in procs]
    results = sorted(o[0].split()[0] for o in outs if o[0])
    assert results == ["conflict", "saved"], outs
    assert store.audit_log(pg_url)["id"].tolist() == [2, 1]


# --- PostgreSQL: what can go wrong -------------------------------------------------------------------

def test_server_down_wrong_password_missing_database(pg_server):
    closed = pg_server.url(port=_closed_port())
    with pytest.raises(store.StoreUnavailable) as down:
        store.load(closed)
    assert down.value.reason == "down" and "test-only-password" not in str(down.value)
    with pytest.raises(store.StoreUnavailable) as login:
        store.load(pg_server.url(password="wrong"))
    assert login.value.reason == "login" and "wrong" not in str(login.value).split("(")[0]
    with pytest.raises(store.StoreUnavailable) as missing:
        store.load(pg_server.url("no_such_db"))
    assert missing.value.reason == "missing"
    assert "password" not in backend.describe(pg_server.url()).lower()


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.mark.parametrize("damage", ["older_version", "missing_column"])
def test_tables_from_another_version_are_refused(pg_url, kommun_codes, damage):
    import psycopg

    store.ensure(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        if damage == "older_version":
            con.execute("UPDATE store_meta SET value = '0' WHERE key = 'schema_version'")
        else:
            con.execute('ALTER TABLE enterprise DROP COLUMN "orgnr"')
    store._ready.clear()  # a new process meeting the store for the first time
    with pytest.raises(store.StoreSchemaError, match="another version|schema version 0"):
        store.load(pg_url)
    store._ready.clear()
    res = None
    with pytest.raises(store.StoreSchemaError):
        res = store.apply_register(pd.DataFrame(), pd.DataFrame(), who="a", file_name="x", sha256="", path=pg_url)
    assert res is None
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM audit").fetchone()[0] == 1  # still only the seed


@pytest.mark.parametrize("when", ["mid_transaction", "at_commit"])
def test_network_split_in_the_middle_of_a_save(pg_server, pg_url, kommun_codes, monkeypatch, when):
    """The connection is cut while the save runs (after the first table was replaced), or just as
    COMMIT is sent: an error that says so, and the store exactly as before."""
    store.ensure(pg_url)
    before, log_before = store.load_with_log(pg_url)
    res = _edited(pg_url, kommun_codes)
    proxy = Proxy(pg_server.port)
    through_proxy = pg_url.replace(f":{pg_server.port}/", f":{proxy.port}/")
    store._ready.add(through_proxy)  # the schema is checked already (directly)
    real_insert, real_execute = store._insert, backend.PgConn.execute
    if when == "mid_transaction":
        def cut_after_first(con, table, df):
            real_insert(con, table, df)
            proxy.cut()
        monkeypatch.setattr(store, "_insert", cut_after_first)
        expected_error = store.StoreError
    else:
        def cut_at_commit(self, sql, params=()):
            if sql == "COMMIT":
                proxy.cut()
            return real_execute(self, sql, params)
        monkeypatch.setattr(backend.PgConn, "execute", cut_at_commit)
        expected_error = store.StoreUncertain
    with pytest.raises(expected_error) as err:
        store.apply_register(res.enterprise, res.fact, who="a", file_name="r.csv", sha256=res.sha256,
                             path=through_proxy, expected=1)
    if when == "at_commit":
        assert "change log" in str(err.value)
    else:
        assert not isinstance(err.value, store.StoreUncertain) and "nothing was changed" in str(err.value)
    monkeypatch.undo()
    for _ in range(50):  # the server notices the dead connection and rolls its transaction back
        after, log_after = store.load_with_log(pg_url)
        if len(log_after) == len(log_before):
            break
        time.sleep(0.1)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name])
    pd.testing.assert_frame_equal(log_after, log_before)
