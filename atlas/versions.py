"""Citable data versions and the change log (what every build and update changed).

Every database the build writes gets a version id: the build date (UTC) and the first eight hex
digits of the build fingerprint, the hash of every input (source bytes, live files, curated files,
the admin register, the code that reads them), e.g. ``2026-12-03.1a2b3c4d``. The same inputs on
the same day give the same id, so a forced rebuild of unchanged inputs is the same version.

``record`` runs on the freshly written database before it replaces the one in use. It carries the
previous database's history forward (``data_version``, ``change_log``; a database from before
versions existed becomes the first entry) and adds the new version with what changed against the
previous database, per indicator over its preferred observations (one row per indicator, region,
period, sex and category):

* periods added (periods the indicator did not have before) and values added;
* values revised: how many, and the largest revision with its old and new value and where it is;
* values and series gone (a series is an indicator's region, sex and category).

Sources added, changed (another SHA-256) and removed are recorded with the version. Readers get
both through ``data_versions`` (one function, used by Om datan, the downloads and the deck).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from atlas import QUERIES_DIR

# Revisions smaller than this (relative to the old value) are float noise, not a revision.
REVISION_TOLERANCE = 1e-9
SERIES_GONE_EXAMPLES = 5

VERSION_COLUMNS = {
    "version_id": "VARCHAR", "built_at": "VARCHAR", "trigger": "VARCHAR", "fingerprint": "VARCHAR",
    "previous_id": "VARCHAR", "sources_added": "VARCHAR", "sources_changed": "VARCHAR",
    "sources_removed": "VARCHAR", "n_indicators_changed": "INTEGER", "note": "VARCHAR",
}
CHANGE_COLUMNS = {
    "version_id": "VARCHAR", "changed_at": "VARCHAR", "indicator_id": "VARCHAR", "label_sv": "VARCHAR",
    "label_en": "VARCHAR", "periods_added": "VARCHAR", "n_added": "INTEGER", "n_revised": "INTEGER",
    "max_revision_region": "VARCHAR", "max_revision_period": "VARCHAR", "max_revision_sex": "VARCHAR",
    "max_revision_category": "VARCHAR", "max_revision_old": "DOUBLE", "max_revision_new": "DOUBLE",
    "n_removed": "INTEGER", "periods_removed": "VARCHAR", "n_series_gone": "INTEGER", "series_gone": "VARCHAR",
}
# The two tables this module writes, each created from its fixed column list: the statements are
# made once here, from the constants above, never from a caller's text.
TABLES = {"data_version": VERSION_COLUMNS, "change_log": CHANGE_COLUMNS}
_CREATE = {name: "CREATE OR REPLACE TABLE {} ({})".format(name, ", ".join(f'"{c}" {t}' for c, t in cols.items()))
           for name, cols in TABLES.items()}
# meta of the database being built (main) and of the one it replaces (attached as prev)
_META = {schema: "SELECT key, value FROM {}.meta".format(schema) for schema in ("main", "prev")}

QUERIES = QUERIES_DIR / "versions"


def _sql(name: str) -> str:
    """A change-log statement from queries/versions/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def version_id(fingerprint: str, built_at: str) -> str:
    """"2026-12-03.1a2b3c4d": the build date (UTC, from built_at's ISO text) and the fingerprint's
    first eight hex digits."""
    return f"{built_at[:10]}.{fingerprint[:8]}"


def _meta(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, str]:
    return dict(con.execute(_META[schema]).fetchall())


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = ?",
                                      [catalog]).fetchall()}


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def record(new_db: Path, previous_db: Path | None, *, trigger: str = "build") -> str:
    """Add this build's version and change log to ``new_db`` (written, not yet in use), carrying the
    history of ``previous_db`` forward when it exists and can be read. Returns the version id.
    trigger: "build" | "update" | "admin" (what made this database)."""
    con = duckdb.connect(str(new_db))
    try:
        meta = _meta(con, "main")
        vid = version_id(meta["fingerprint"], meta["built_at"])
        history, changes, note = _empty(VERSION_COLUMNS), _empty(CHANGE_COLUMNS), ""
        row = {"version_id": vid, "built_at": meta["built_at"], "trigger": trigger, "fingerprint": meta["fingerprint"],
               "previous_id": None, "sources_added": "", "sources_changed": "", "sources_removed": "",
               "n_indicators_changed": 0, "note": ""}
        attached = False
        if previous_db is not None and Path(previous_db).exists():
            try:
                con.execute("ATTACH ? AS prev (READ_ONLY)", [str(previous_db)])
                attached = True
            except duckdb.Error as exc:  # damaged or locked: a new history, and the note says why
                note = f"previous database unreadable ({type(exc).__name__}); history starts here"
        same = False
        if attached:
            history, changes = _previous_history(con)
            # The same inputs built again the same day are the same version: its entry and change
            # log stay as they were (a diff against itself would be empty).
            same = not history.empty and history["version_id"].iloc[-1] == vid
            if not same:
                row["previous_id"] = history["version_id"].iloc[-1] if not history.empty else None
                diff = _diff(con, vid, meta["built_at"])
                changes = pd.concat([changes, diff], ignore_index=True) if not diff.empty else changes
                row.update(_source_changes(con))
                row["n_indicators_changed"] = len(diff)
            con.execute("DETACH prev")
        row["note"] = note
        if not same:
            history = pd.concat([history, pd.DataFrame([row])], ignore_index=True)
        _write(con, "data_version", history)
        _write(con, "change_log", changes)
        con.execute("DELETE FROM meta WHERE key = 'version_id'")
        con.execute("INSERT INTO meta VALUES ('version_id', ?)", [vid])
        con.execute("CHECKPOINT")
        return vid
    finally:
        con.close()


def _previous_history(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The previous database's versions and change log; a database from before versions existed
    becomes one version (its own fingerprint and build time)."""
    tables = _tables(con, "prev")
    if "data_version" in tables:
        history = con.execute("SELECT * FROM prev.data_version ORDER BY built_at, version_id").df()
        history = history.reindex(columns=list(VERSION_COLUMNS))
    else:
        meta = _meta(con, "prev")
        history = pd.DataFrame([{"version_id": version_id(meta.get("fingerprint", "unknown"), meta.get("built_at", "")),
                                 "built_at": meta.get("built_at", ""), "trigger": "build",
                                 "fingerprint": meta.get("fingerprint", ""), "previous_id": None,
                                 "sources_added": "", "sources_changed": "", "sources_removed": "",
                                 "n_indicators_changed": 0, "note": "built before version history was kept"}])
    changes = (con.execute("SELECT * FROM prev.change_log").df().reindex(columns=list(CHANGE_COLUMNS))
               if "change_log" in tables else _empty(CHANGE_COLUMNS))
    return history, changes


def _diff(con: duckdb.DuckDBPyConnection, vid: str, built_at: str) -> pd.DataFrame:
    con.execute("DROP TABLE IF EXISTS obs_diff")
    con.execute(_sql("obs_diff"))
    diff = con.execute(_sql("change_per_indicator"),
                       {"tolerance": REVISION_TOLERANCE, "examples": SERIES_GONE_EXAMPLES}).df()
    con.execute("DROP TABLE obs_diff")
    diff.insert(0, "changed_at", built_at)
    diff.insert(0, "version_id", vid)
    return diff.reindex(columns=list(CHANGE_COLUMNS))


def _source_changes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    old = dict(con.execute("SELECT id, sha256 FROM prev.source").fetchall())
    new = dict(con.execute("SELECT id, sha256 FROM main.source").fetchall())
    return {"sources_added": ",".join(sorted(set(new) - set(old))),
            "sources_changed": ",".join(sorted(k for k in set(new) & set(old) if new[k] != old[k])),
            "sources_removed": ",".join(sorted(set(old) - set(new)))}


def _write(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """(Re)create table ``name`` (a key of TABLES) with its typed columns, even when the frame is
    empty or all-NULL (pandas would give DuckDB NULL columns), and insert the frame's rows."""
    con.execute(_CREATE[name])
    if not frame.empty:
        con.from_df(frame.reindex(columns=list(TABLES[name]))).insert_into(name)


# --- reading ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DataVersions:
    """current: the version id of the database in use ("" when it has none); history: every
    version, newest first (queries/data_versions.sql's columns)."""

    current: str
    history: pd.DataFrame


def data_versions(con: duckdb.DuckDBPyConnection | None = None) -> DataVersions:
    """The database's version id and its version history (newest first). Issue 18's citations in
    every format read the id from here."""
    from atlas import db

    history = db.run("data_versions", con=con)
    current = history.loc[history["is_current"], "version_id"]
    return DataVersions(str(current.iloc[0]) if len(current) else "", history)


def revision_text(row: dict | pd.Series, fmt=lambda v: f"{v:g}") -> str:
    """"2080 2026M04: 4.1 → 4.3" for a change-log row's largest revision ("" when none)."""
    old, new = row.get("max_revision_old"), row.get("max_revision_new")
    if _blank(row.get("max_revision_region")):
        return ""

    def show(v):
        return ".." if _blank(v) else fmt(v)
    where = " ".join(str(row.get(k)) for k in ("max_revision_region", "max_revision_period")
                     if not _blank(row.get(k)))
    return f"{where}: {show(old)} \u2192 {show(new)}"


def _blank(value) -> bool:
    """None, NaN (a missing cell in a frame) or ""."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def version_summary(row: dict | pd.Series, lang: str) -> str:
    """What a version changed, in words: indicators changed and sources added/changed/removed."""
    from atlas.i18n import t

    parts = []
    n = 0 if _blank(row.get("n_indicators_changed")) else int(row.get("n_indicators_changed"))
    if _blank(row.get("previous_id")) and not n:
        parts.append(t("versions.first", lang))
    else:
        parts.append(t("versions.changed_indicators", lang, n=n) if n else t("versions.changed_none", lang))
    for key in ("sources_added", "sources_changed", "sources_removed"):
        ids = "" if _blank(row.get(key)) else str(row.get(key))
        if ids:
            parts.append(t(f"versions.{key}", lang, ids=ids.replace(",", ", ")))
    return "; ".join(parts)


def change_log_download(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The change log for the CSV download: stable English column names, the indicator's label in
    ``lang``, only rows that record a change (queries/change_log.sql's frame in, one row per
    version and indicator out)."""
    rows = log[log["indicator_id"].notna()].copy()
    rows.insert(rows.columns.get_loc("indicator_id") + 1, "indicator",
                rows["label_en" if lang == "en" else "label_sv"])
    return rows.drop(columns=["label_sv", "label_en"]).reset_index(drop=True)
