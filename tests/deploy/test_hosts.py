"""Several hosts, one truth: scripts/replicas.sh hosts runs two "hosts" (own folders, own databases,
own sync) against one real PostgreSQL behind nginx. Both build the same data from the same inputs
(table checksums, not bytes); an admin's save on one shows up in both databases; with PostgreSQL
gone, both keep serving their last good database. Skipped (failing in CI) without nginx or
PostgreSQL."""

from __future__ import annotations

import time

import duckdb
import pytest

from atlas import checksums
from atlas.admin import store, validate
from tests.deploy.conftest import deployment, need


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, built_db, pg_server):
    need("nginx", "apt-get install nginx")
    need("curl", "apt-get install curl")
    url = pg_server.create_database("hosts")
    d = deployment(tmp_path_factory.mktemp("hosts"), built_db, ATLAS_ADMIN_DATABASE_URL=url,
                   ATLAS_SYNC_INTERVAL="1")
    res = d.script("hosts", str(d.port), timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    d.admin_url = url
    yield d
    d.script("stop")


def _dbs(hosts):
    return [hosts.run / f"host-{h}" / "atlas.duckdb" for h in "ab"]


def _town(db, asf_id: str) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT town FROM asf_register WHERE asf_id = ?", [asf_id]).fetchone()[0]
    finally:
        con.close()


def test_two_hosts_build_the_same_data(hosts):
    a, b = _dbs(hosts)
    assert a.read_bytes() != b.read_bytes()  # two separate files...
    sums = [checksums.table_checksums(p) for p in (a, b)]
    assert checksums.differences(*sums) == []  # ...with the same data
    assert sums[0]["observation"].split(":")[0] != "0" and sums[0]["version_id"]
    res = hosts.script("check")
    assert res.returncode == 0 and "identical data" in res.stdout
    for port in (hosts.port + 11, hosts.port + 21):  # both hosts serve, and nginx in front of them
        assert hosts.curl("-f", "-o", "/dev/null", f"http://127.0.0.1:{port}/_stcore/health").returncode == 0
    assert hosts.curl("-f", "-o", "/dev/null", hosts.url + "/karta").returncode == 0


def test_a_saved_register_reaches_every_host(hosts):
    tables, log = store.load_with_log(hosts.admin_url)
    reg = store.register_frame(tables)
    first = reg["id"].iloc[0]
    reg.loc[reg["id"] == first, "ort"] = "Ort från värd A"
    res = validate.validate(reg.to_csv(index=False).encode(), "r.csv", frozenset(reg["kommunkod"]) - {""})
    assert res.ok, res.problems[:3]
    before = [checksums.table_checksums(p)["asf_register"] for p in _dbs(hosts)]
    store.apply_register(res.enterprise, res.fact, who="anna", file_name="r.csv", sha256=res.sha256,
                         path=hosts.admin_url, expected=int(log["id"].max()))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(_town(p, first) != "Ort från värd A" for p in _dbs(hosts)):
        time.sleep(0.5)
    assert [_town(p, first) for p in _dbs(hosts)] == ["Ort från värd A"] * 2
    after = [checksums.table_checksums(p) for p in _dbs(hosts)]
    assert checksums.differences(*after) == []
    assert after[0]["asf_register"] not in before


def test_store_down_keeps_every_host_serving(hosts, pg_server):
    stamps = [p.stat().st_mtime_ns for p in _dbs(hosts)]
    pg_server.stop()
    try:
        time.sleep(4)  # several polls
        assert [p.stat().st_mtime_ns for p in _dbs(hosts)] == stamps
        assert hosts.curl("-f", "-o", "/dev/null", hosts.url + "/karta").returncode == 0
        for h in "ab":
            assert "cannot be read" in (hosts.run / f"sync-{h}.log").read_text()
    finally:
        pg_server.start_again()
