"""Data versions and the change log on small hand-built databases: every kind of change counted,
the largest revision found, the history carried forward, a same-day rebuild kept as one version."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from atlas import versions

KEY = ["indicator_id", "region_code", "period", "sex", "category"]


def make_db(path: Path, fingerprint: str, built_at: str, rows: list[tuple], sources: dict[str, str]) -> Path:
    """A database with the tables record() reads: meta, observation (preferred), indicator, source."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('fingerprint', ?), ('built_at', ?), ('schema_version', '1')",
                [fingerprint, built_at])
    con.execute("CREATE TABLE observation (indicator_id VARCHAR, region_code VARCHAR, period VARCHAR, sex VARCHAR, "
                "category VARCHAR, value DOUBLE, preferred BOOLEAN)")
    for row in rows:
        con.execute("INSERT INTO observation VALUES (?, ?, ?, ?, ?, ?, ?)", [*row, True] if len(row) == 6 else list(row))
    con.execute("CREATE TABLE indicator (id VARCHAR, label_sv VARCHAR, label_en VARCHAR)")
    con.execute("INSERT INTO indicator VALUES ('a', 'Arbetslöshet', 'Unemployment'), ('b', 'Befolkning', 'Population')")
    con.execute("CREATE TABLE source (id VARCHAR, sha256 VARCHAR)")
    for sid, sha in sources.items():
        con.execute("INSERT INTO source VALUES (?, ?)", [sid, sha])
    con.close()
    return path


OLD = [("a", "20", "2026M03", "T", "", 4.0), ("a", "20", "2026M04", "T", "", 4.1),
       ("a", "2080", "2026M04", "T", "", 3.0), ("a", "2080", "2026M04", "K", "", None),
       ("a", "2081", "2026M04", "T", "", 5.0),
       ("b", "20", "2025", "T", "", 100.0),
       ("a", "20", "2026M04", "M", "", 9.9, False)]  # not preferred: ignored


def test_version_id_is_the_date_and_the_fingerprint():
    assert versions.version_id("1a2b3c4d5e6f" + "0" * 52, "2026-12-03T04:21:47+00:00") == "2026-12-03.1a2b3c4d"


def test_every_kind_of_change_is_counted_and_the_largest_revision_found(tmp_path):
    prev = make_db(tmp_path / "prev.duckdb", "f" * 64, "2026-11-01T06:00:00+00:00", OLD,
                   {"bas": "1", "kolada": "2", "gone": "3"})
    new_rows = [("a", "20", "2026M03", "T", "", 4.0),          # unchanged
                ("a", "20", "2026M04", "T", "", 4.2),          # revised by 0.1
                ("a", "2080", "2026M04", "T", "", 3.6),        # revised by 0.6: the largest
                ("a", "2080", "2026M04", "K", "", 2.9),        # null -> value: revised (no size)
                ("a", "20", "2026M05", "T", "", 4.3),          # a new period
                ("a", "2080", "2026M05", "T", "", 3.5),
                ("b", "20", "2025", "T", "", 100.0 + 1e-12)]   # float noise: not a revision
    new = make_db(tmp_path / "new.duckdb", "e" * 64, "2026-12-03T06:00:00+00:00", new_rows,
                  {"bas": "9", "kolada": "2", "added": "4"})
    vid = versions.record(new, prev, trigger="update")
    con = duckdb.connect(str(new), read_only=True)
    log = con.execute("SELECT * FROM change_log").df().set_index("indicator_id")
    hist = con.execute("SELECT * FROM data_version ORDER BY built_at").df()
    meta = dict(con.execute("SELECT * FROM meta").fetchall())
    con.close()
    assert vid == "2026-12-03.eeeeeeee" == meta["version_id"]
    assert list(log.index) == ["a"]  # b unchanged
    a = log.loc["a"]
    assert a["periods_added"] == "2026M05" and a["n_added"] == 2
    assert a["n_revised"] == 3 and a["label_sv"] == "Arbetslöshet" and a["changed_at"] == "2026-12-03T06:00:00+00:00"
    assert (a["max_revision_region"], a["max_revision_period"], a["max_revision_sex"]) == ("2080", "2026M04", "T")
    assert a["max_revision_old"] == 3.0 and a["max_revision_new"] == 3.6
    assert a["n_removed"] == 1 and a["periods_removed"] == "" and a["n_series_gone"] == 1 and a["series_gone"] == "2081 T"
    assert versions.revision_text(a.to_dict() | {"max_revision_region": "2080"}) == "2080 2026M04: 3 → 3.6"
    assert hist["version_id"].tolist() == ["2026-11-01.ffffffff", "2026-12-03.eeeeeeee"]
    assert hist["note"].tolist() == ["built before version history was kept", ""]
    last = hist.iloc[-1]
    assert last["previous_id"] == "2026-11-01.ffffffff" and last["n_indicators_changed"] == 1
    assert (last["sources_added"], last["sources_changed"], last["sources_removed"]) == ("added", "bas", "gone")
    assert versions.version_summary(last, "sv") == ("1 indikatorer ändrade; nya källor: added; ändrade källor: bas; "
                                                    "borttagna källor: gone")


def test_history_is_carried_forward_and_a_same_day_rebuild_is_one_version(tmp_path):
    first = make_db(tmp_path / "1.duckdb", "a" * 64, "2026-11-01T06:00:00+00:00", OLD[:2], {"s": "1"})
    versions.record(first, None)
    second = make_db(tmp_path / "2.duckdb", "b" * 64, "2026-11-02T06:00:00+00:00", OLD[:1], {"s": "2"})
    versions.record(second, first, trigger="update")
    again = make_db(tmp_path / "3.duckdb", "b" * 64, "2026-11-02T09:00:00+00:00", OLD[:1], {"s": "2"})
    versions.record(again, second)  # the same inputs built again the same day
    con = duckdb.connect(str(again), read_only=True)
    hist = con.execute("SELECT version_id, trigger, previous_id FROM data_version ORDER BY built_at").fetchall()
    log = con.execute("SELECT version_id, indicator_id, n_removed, periods_removed, n_series_gone FROM change_log").fetchall()
    con.close()
    assert hist == [("2026-11-01.aaaaaaaa", "build", None), ("2026-11-02.bbbbbbbb", "update", "2026-11-01.aaaaaaaa")]
    assert log == [("2026-11-02.bbbbbbbb", "a", 1, "2026M04", 0)]  # the period went; the series stayed


def test_an_unreadable_previous_database_starts_a_new_history_and_says_why(tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 100)
    new = make_db(tmp_path / "new.duckdb", "c" * 64, "2026-12-01T06:00:00+00:00", OLD[:1], {"s": "1"})
    versions.record(new, broken)
    con = duckdb.connect(str(new), read_only=True)
    rows = con.execute("SELECT version_id, previous_id, note FROM data_version").fetchall()
    con.close()
    assert rows[0][:2] == ("2026-12-01.cccccccc", None) and "previous database unreadable" in rows[0][2]


def test_data_versions_reads_the_current_id_and_history(built_db):
    from atlas import db

    got = versions.data_versions(db.connect(built_db))
    con = duckdb.connect(str(built_db), read_only=True)
    fingerprint, built_at = (dict(con.execute("SELECT key, value FROM meta").fetchall())[k]
                             for k in ("fingerprint", "built_at"))
    con.close()
    assert got.current == versions.version_id(fingerprint, built_at)
    assert got.history["version_id"].tolist() == [got.current] and bool(got.history["is_current"].iloc[0])


@pytest.mark.parametrize("lang, first", [("sv", "första versionen"), ("en", "first version")])
def test_a_first_version_says_so(lang, first):
    assert versions.version_summary({"previous_id": None, "n_indicators_changed": 0}, lang) == first


def test_change_log_sql_lives_in_queries_with_its_header():
    from atlas import QUERIES_DIR

    files = sorted((QUERIES_DIR / "versions").glob("*.sql"))
    assert [f.stem for f in files] == ["change_per_indicator", "obs_diff"]
    for f in files:
        header = [l for l in f.read_text(encoding="utf-8").splitlines() if l.startswith("--")]
        assert any(l.startswith("-- reads: ") for l in header) and any(l.startswith("-- columns: ") for l in header)
