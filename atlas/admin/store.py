"""The admin store: a writable DuckDB file with the current ASF register, its audit log and the
state before every change, so any earlier state can be restored.

Tables (all text, "" for empty, so a snapshot restores byte for byte):
- enterprise: validate.ENTERPRISE_COLS + updated_at + the curated columns the register file does
  not carry (CARRY_ENTERPRISE), kept from the seed while the row exists.
- fact: validate.FACT_COLS + the curated fact columns (CARRY_FACT). Facts with a measure the admin
  does not manage, or without a year or an exact value (ranges, "ett 20-tal"), come from the seed
  and are kept as they are ("curated facts") until their enterprise is removed.
- audit: id, at (UTC ISO 8601), who, action (seed|upload|edit|restore), file_name, file_sha256,
  summary (JSON diff: per table, added / removed keys and changed fields old -> new).
- snapshot: audit_id, table_name, state (JSON records of the whole table before that change).

Every write is one transaction (BEGIN; snapshot; apply; audit; COMMIT; ROLLBACK on any error).
The store is SEEDED from data/curated/asf_register.csv + asf_facts.csv on first use. Public pages
read it through ``current_tables`` once the build loads it in place of the curated CSVs.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from atlas import CURATED_DIR
from atlas.admin.validate import (COMPANY_SOURCE, ENTERPRISE_COLS, ENTERPRISE_FIELDS, FACT_COLS,
                                  FILE_COLUMNS, MEASURES, COLUMN_OF)
from atlas.paths import admin_store_path
from atlas.timestamps import utc_now

CARRY_ENTERPRISE = ["name_note", "kommun_note", "line_of_business_en", "asf_status_note",
                    "other_source_urls", "year_of_statement", "year_note"]
CARRY_FACT = ["year_note", "value_low", "value_high", "value_nominal", "approx", "quote", "note"]
STORE_ENTERPRISE = ENTERPRISE_COLS + ["updated_at"] + CARRY_ENTERPRISE
STORE_FACT = FACT_COLS + CARRY_FACT
REGISTER_COLS = ["asf_id", "name", "name_note", "kommun_code", "kommun_note", "town", "line_of_business_sv",
                 "line_of_business_en", "asf_status_note", "source_url", "other_source_urls",
                 "year_of_statement", "year_note"]
FACTS_COLS = ["asf_id", "year", "year_note", "measure", "value", "value_low", "value_high", "value_nominal",
              "approx", "quote", "source_url", "note"]
EXTRA_REGISTER = ["orgnr", "services", "contact_url", "legal_form", "founded_year", "source_note",
                  "source_date", "updated_at"]
EXTRA_FACTS = ["source_note", "source_date"]
TABLES = {"enterprise": STORE_ENTERPRISE, "fact": STORE_FACT}
SEED_FILES = "data/curated/asf_register.csv + data/curated/asf_facts.csv"


class StoreError(RuntimeError):
    """A write failed and was rolled back; the store is unchanged."""


class StoreBusy(StoreError):
    """Another process held the store for longer than BUSY_WAIT_S (an administrator saving on
    another replica, or a build reading the register); nothing was written. Try again."""


# DuckDB lets one process at a time open a file for writing, and none read it meanwhile: a second
# replica's save, or a build reading the register, waits this long for the first to finish.
BUSY_WAIT_S = 10.0


def store_path(path: Path | str | None = None, *, beside: Path | None = None) -> Path:
    """``path``, else $ATLAS_ADMIN_DB, else asf_admin.duckdb beside ``beside`` (the database being
    built) or beside the main database ($ATLAS_DB / data/atlas.duckdb)."""
    return admin_store_path(path, beside=beside)



def _text(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.reindex(columns=cols).astype(object)
    return out.where(out.notna(), "").astype(str).reset_index(drop=True)


def managed(fact: pd.DataFrame) -> pd.Series:
    """True for facts the register file manages: an admin measure with a year and an exact value."""
    return fact["measure"].isin(MEASURES) & (fact["year"] != "") & (fact["value"] != "")


# --- Seed ---------------------------------------------------------------------------------------

def seed_tables(curated_dir: Path = CURATED_DIR) -> dict[str, pd.DataFrame]:
    """The store's tables built from the committed curated register (orgnr and other fields the
    curated data lacks stay empty)."""
    reg = pd.read_csv(curated_dir / "asf_register.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    facts = pd.read_csv(curated_dir / "asf_facts.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    ent = reg.rename(columns={"line_of_business_sv": "lines_of_business"})
    ent["updated_at"] = ""
    return {"enterprise": _text(ent, STORE_ENTERPRISE), "fact": _text(facts, STORE_FACT)}


# --- Reading ------------------------------------------------------------------------------------

# DuckDB refuses a read-only and a read-write connection to one file at the same time in one
# process; connections here are short-lived and taken one at a time (Streamlit serves sessions from
# several threads), which also serialises concurrent admins' writes.
_LOCK = threading.RLock()


@contextmanager
def _connect(path: Path, *, read_only: bool):
    with _LOCK:
        con = _open(path, read_only)
        try:
            yield con
        finally:
            con.close()


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the store, waiting (up to BUSY_WAIT_S) while another process holds its file lock."""
    deadline = time.monotonic() + BUSY_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(f"The admin store {path} is in use by another process (another administrator "
                                f"saving, or a build reading the register); nothing was changed. Try again.") from exc
            time.sleep(0.05 + random.random() * 0.05)


def _read(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    cols = TABLES[table]
    df = con.execute("SELECT * FROM " + table + " ORDER BY rowid").df()  # table from TABLES only
    return _text(df, cols)


def exists(path: Path | str | None = None) -> bool:
    return store_path(path).exists()


def load(path: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The store's enterprise and fact tables (seeding the store first if it does not exist)."""
    with _connect(ensure(path), read_only=True) as con:
        return {t: _read(con, t) for t in TABLES}


def audit_log(path: Path | str | None = None) -> pd.DataFrame:
    """The audit log, newest first: id, at, who, action, file_name, file_sha256, summary (JSON)."""
    with _connect(ensure(path), read_only=True) as con:
        return con.execute("SELECT id, \"at\", who, action, file_name, file_sha256, summary FROM audit "
                           "ORDER BY id DESC").df()


def current_tables(path: Path | str | None = None) -> dict[str, pd.DataFrame] | None:
    """None when no admin store exists (the build then reads the curated CSVs); else
    {"asf_register": ..., "asf_facts": ...} with exactly the curated CSVs' columns (text, "" for
    empty) followed by the admin's extra columns (EXTRA_REGISTER, EXTRA_FACTS)."""
    p = store_path(path)
    if not p.exists():
        return None
    with _connect(p, read_only=True) as con:
        ent, fact = _read(con, "enterprise"), _read(con, "fact")
    ent = ent.rename(columns={"lines_of_business": "line_of_business_sv"})
    return {"asf_register": ent[REGISTER_COLS + EXTRA_REGISTER].copy(),
            "asf_facts": fact[FACTS_COLS + EXTRA_FACTS].copy()}


def fingerprint_part(path: Path | str | None = None) -> str:
    """'admin:<sha256 of the store file>' or 'admin:-' (for the build's input fingerprint)."""
    p = store_path(path)
    return "admin:" + (hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-")


# --- Writing ------------------------------------------------------------------------------------

_SCHEMA = [
    "CREATE TABLE enterprise (" + ", ".join(f'"{c}" VARCHAR' for c in STORE_ENTERPRISE) + ")",
    "CREATE TABLE fact (" + ", ".join(f'"{c}" VARCHAR' for c in STORE_FACT) + ")",
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, \"at\" VARCHAR, who VARCHAR, action VARCHAR, "
    "file_name VARCHAR, file_sha256 VARCHAR, summary VARCHAR)",
    "CREATE TABLE snapshot (audit_id INTEGER, table_name VARCHAR, state VARCHAR)",
]


def ensure(path: Path | str | None = None) -> Path:
    """Create and seed the store if it does not exist (written to a temp file, then renamed)."""
    p = store_path(path)
    with _LOCK:
        if p.exists():
            return p
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:
            with _connect(tmp, read_only=False) as con:
                for stmt in _SCHEMA:
                    con.execute(stmt)
                empty = {t: pd.DataFrame(columns=c) for t, c in TABLES.items()}
                _apply(con, empty, seed_tables(), who="system", action="seed", file_name=SEED_FILES, sha="")
            os.replace(tmp, p)
        finally:
            tmp.unlink(missing_ok=True)
    return p


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    frame = _text(df, TABLES[table])  # noqa: F841  (read by DuckDB's replacement scan below)
    con.execute("INSERT INTO " + table + " SELECT * FROM frame")


def _apply(con, old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame], *, who: str, action: str,
           file_name: str, sha: str) -> int:
    """Snapshot ``old``, replace both tables with ``new`` and write the audit row, in one
    transaction. Returns the audit id."""
    summary = diff(old, new)
    con.execute("BEGIN TRANSACTION")
    try:
        audit_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM audit").fetchone()[0]
        for table in TABLES:
            state = _text(old[table], TABLES[table]).to_json(orient="records", force_ascii=False)
            con.execute("INSERT INTO snapshot VALUES (?, ?, ?)", [audit_id, table, state])
            con.execute("DELETE FROM " + table)
            _insert(con, table, new[table])
        con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [audit_id, utc_now(), who, action, file_name, sha,
                     json.dumps(summary, ensure_ascii=False)])
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        raise StoreError(f"The change was not saved ({type(exc).__name__}: {exc}); nothing was changed.") from exc
    return audit_id


def _write(path, new_of_old, *, who: str, action: str, file_name: str, sha: str) -> int:
    with _connect(ensure(path), read_only=False) as con:
        old = {t: _read(con, t) for t in TABLES}
        return _apply(con, old, new_of_old(old), who=who, action=action, file_name=file_name, sha=sha)


def merge(old: dict[str, pd.DataFrame], enterprise: pd.DataFrame, fact: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The store's new state from a validated register (validate.Validation.enterprise / .fact):
    the register replaces every enterprise and every managed fact; curated-only columns and
    curated facts are kept for enterprises that remain."""
    now = utc_now()
    prev = old["enterprise"].set_index("asf_id")
    rows = []
    for r in _text(enterprise, ENTERPRISE_COLS).to_dict("records"):
        p = prev.loc[r["asf_id"]].to_dict() if r["asf_id"] in prev.index else None
        carry = {c: p[c] for c in CARRY_ENTERPRISE} if p else {c: "" for c in CARRY_ENTERPRISE}
        if p and p["lines_of_business"] != r["lines_of_business"]:
            carry["line_of_business_en"] = ""  # the English summary no longer matches the Swedish
        same = p and all(p[c] == r[c] for c in ENTERPRISE_COLS if c != "asf_id")
        rows.append({**r, **carry, "updated_at": p["updated_at"] if same else now})
    ent = _text(pd.DataFrame(rows, columns=STORE_ENTERPRISE), STORE_ENTERPRISE)

    old_fact = old["fact"]
    kept = old_fact[~managed(old_fact) & old_fact["asf_id"].isin(ent["asf_id"])]
    prev_f = {(r["asf_id"], r["year"], r["measure"]): r for r in old_fact[managed(old_fact)].to_dict("records")}
    facts = []
    for r in _text(fact, FACT_COLS).to_dict("records"):
        p = prev_f.get((r["asf_id"], r["year"], r["measure"]))
        if p and all(p[c] == r[c] for c in FACT_COLS):
            facts.append(p)  # unchanged: keep the curated quote and notes
        else:
            facts.append({**r, "value_low": r["value"], "value_high": r["value"], "value_nominal": r["value"],
                          "approx": "false", "year_note": r["year"], "quote": "", "note": ""})
    new_fact = pd.concat([kept, pd.DataFrame(facts, columns=STORE_FACT)], ignore_index=True)
    return {"enterprise": ent, "fact": _text(new_fact, STORE_FACT)}


def apply_register(enterprise: pd.DataFrame, fact: pd.DataFrame, *, who: str, file_name: str, sha256: str,
                   action: str = "upload", path: Path | str | None = None) -> int:
    """Write a validated register (action 'upload' or 'edit') in one transaction; the audit id."""
    return _write(path, lambda old: merge(old, enterprise, fact), who=who, action=action,
                  file_name=file_name, sha=sha256)


def snapshot(audit_id: int, path: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The state just before audit entry ``audit_id``; KeyError if there is no such entry."""
    with _connect(ensure(path), read_only=True) as con:
        rows = con.execute("SELECT table_name, state FROM snapshot WHERE audit_id = ?", [int(audit_id)]).fetchall()
    if not rows:
        raise KeyError(audit_id)
    return {t: _text(pd.DataFrame(json.loads(s), columns=TABLES[t]), TABLES[t]) for t, s in rows}


def restore(audit_id: int, *, who: str, path: Path | str | None = None) -> int:
    """Bring back the state just before audit entry ``audit_id`` (itself audited, so it can be
    undone); returns the new audit id."""
    state = snapshot(audit_id, path)
    return _write(path, lambda old: state, who=who, action="restore", file_name=f"#{int(audit_id)}", sha="")


# --- Differences --------------------------------------------------------------------------------

def _fact_key(r: dict) -> str:
    return f"{r['asf_id']}/{r['year'] or '-'}/{r['measure']}"


def diff(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict:
    """{table: {"added": [keys], "removed": [keys], "changed": {key: {field: [old, new]}}}} over the
    fields the admin manages (enterprise by asf_id; facts by asf_id/year/measure)."""
    out = {}
    specs = {"enterprise": (lambda r: r["asf_id"], ENTERPRISE_COLS),
             "fact": (_fact_key, FACT_COLS + ["value_nominal", "quote", "note"])}
    for table, (key, fields) in specs.items():
        a = {key(r): r for r in _text(old[table], TABLES[table]).to_dict("records")}
        b = {key(r): r for r in _text(new[table], TABLES[table]).to_dict("records")}
        changed = {}
        for k in sorted(a.keys() & b.keys()):
            d = {f: [a[k][f], b[k][f]] for f in fields if a[k][f] != b[k][f]}
            if d:
                changed[k] = d
        out[table] = {"added": sorted(b.keys() - a.keys()), "removed": sorted(a.keys() - b.keys()),
                      "changed": changed}
    return out


def diff_frame(summary: dict) -> pd.DataFrame:
    """The diff as rows: table, key, change ('added'|'removed'|'changed'), field, old, new."""
    rows = []
    for table, d in summary.items():
        rows += [{"table": table, "key": k, "change": "added", "field": "", "old": "", "new": ""} for k in d["added"]]
        rows += [{"table": table, "key": k, "change": "removed", "field": "", "old": "", "new": ""}
                 for k in d["removed"]]
        rows += [{"table": table, "key": k, "change": "changed", "field": f, "old": o, "new": n}
                 for k, fs in d["changed"].items() for f, (o, n) in fs.items()]
    return pd.DataFrame(rows, columns=["table", "key", "change", "field", "old", "new"])


# --- The register file of the current state -------------------------------------------------------

def register_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The current state as a register file (validate.FILE_COLUMNS): per enterprise one row without
    a year (the enterprise and its own source) followed by one row per year of managed facts."""
    ent, fact = tables["enterprise"], tables["fact"]
    fact = fact[managed(fact)]
    rows = []
    for e in ent.to_dict("records"):
        base = {COLUMN_OF[f]: e[f] for f in ENTERPRISE_FIELDS}
        src = e["source_url"] or (COMPANY_SOURCE if e["source_note"] else "")
        own = fact[fact["asf_id"] == e["asf_id"]]
        years = sorted(own["year"].unique(), key=int)
        rows.append({**base, "källa": src, "källdatum": e["source_date"]})
        for y in years:
            fy = own[own["year"] == y]
            first = fy.iloc[0]
            row = {**base, "år": y, "källa": first["source_url"] or (COMPANY_SOURCE if first["source_note"] else src),
                   "källdatum": first["source_date"]}
            for m in MEASURES:
                v = fy.loc[fy["measure"] == m, "value"]
                row[COLUMN_OF[m]] = v.iloc[0] if len(v) else ""
            rows.append(row)
    return pd.DataFrame(rows, columns=FILE_COLUMNS).fillna("")
