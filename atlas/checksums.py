"""Table checksums of a built database: two builds of the same inputs (on two hosts, or twice on one)
must hold the same data, whatever their files' bytes (DuckDB's layout, the build time).

    python -m atlas checksums DB [DB ...]     prints one line per table; with two or more databases,
                                              the tables that differ, and exits 1 if any does

A table's checksum is the md5 of its rows' text, sorted, so row order does not count. Left out, as
they describe the build and not the data:
- meta's built_at row, source.retrieved_at (when this host's copy of a file was fetched or written);
- the version history (data_version, change_log): each host's own record of what its builds
  changed, which depends on which registers it happened to see; the current version id (the build
  date and the hash of every input) is compared instead.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

VOLATILE_COLUMNS = {"source": ["retrieved_at"]}
VOLATILE_META_KEYS = ("built_at",)
HISTORY_TABLES = ("data_version", "change_log")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_checksums(db: Path | str) -> dict[str, str]:
    """{table: "<rows>:<md5>"} for every table but the history, plus "version_id": the current id."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            if table in HISTORY_TABLES:
                continue
            skip = VOLATILE_COLUMNS.get(table, [])
            cols = ("* EXCLUDE (" + ", ".join(_quote(c) for c in skip) + ")") if skip else "*"
            where = (" WHERE key NOT IN (" + ", ".join("?" for _ in VOLATILE_META_KEYS) + ")") if table == "meta" else ""
            params = list(VOLATILE_META_KEYS) if table == "meta" else []
            # names come from the database's own catalogue, quoted; values are bound
            n, digest = con.execute(
                "SELECT count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) FROM "
                "(SELECT md5(CAST(row_to_text AS VARCHAR)) AS h FROM (SELECT " + cols + " FROM " + _quote(table)
                + where + ") AS row_to_text)", params).fetchone()
            out[table] = f"{n}:{digest}"
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        out["version_id"] = meta.get("version_id", "")
        return out
    finally:
        con.close()


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """The names (tables, or "version_id") whose checksums differ or that only one side has."""
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def main(paths: list[str]) -> int:
    sums = [table_checksums(p) for p in paths]
    for name in sorted(set().union(*sums)):
        print(f"{name:28s} " + "  ".join(s.get(name, "-") for s in sums))
    if len(sums) < 2:
        return 0
    diff = sorted({d for s in sums[1:] for d in differences(sums[0], s)})
    print("identical data" if not diff else f"DIFFERENT: {', '.join(diff)}")
    return 1 if diff else 0
