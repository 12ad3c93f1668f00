"""The admin store: the current ASF register, its audit log and the state before every change, so
any earlier state can be restored. One code path on two engines (atlas.admin.backend): a DuckDB
file beside the database (the default, one machine) or PostgreSQL (several hosts; configured by
$ATLAS_ADMIN_DATABASE_URL or ``[admin] database_url`` in the secrets).

Tables (all text, "" for empty, so a snapshot restores byte for byte):
- enterprise: validate.ENTERPRISE_COLS + updated_at + the curated columns the register file does
  not carry (CARRY_ENTERPRISE), kept from the seed while the row exists.
- fact: validate.FACT_COLS + the curated fact columns (CARRY_FACT). Facts with a measure the admin
  does not manage, or without a year or an exact value (ranges, "ett 20-tal"), come from the seed
  and are kept as they are ("curated facts") until their enterprise is removed.
- audit: id, at (UTC ISO 8601), who, action (seed|upload|edit|restore), file_name, file_sha256,
  summary (JSON diff: per table, added / removed keys and changed fields old -> new).
- snapshot: audit_id, table_name, state (JSON records of the whole table before that change).
On PostgreSQL enterprise and fact carry a leading ``pos`` (the row order DuckDB keeps by rowid),
and store_meta records the schema version.

Every write is one transaction (BEGIN; snapshot; apply; audit; COMMIT; ROLLBACK on any error).
Writers are serialised (DuckDB: its file lock; PostgreSQL: an advisory lock held to COMMIT), and a
write made against a state the administrator no longer sees is refused (optimistic concurrency):
the page passes the audit id it showed, and a newer id in the store raises StoreConflict with what
changed since. The store is SEEDED from data/curated/asf_register.csv + asf_facts.csv on first use.
The build reads it through ``current_tables``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from atlas import CURATED_DIR
from atlas.admin import backend
from atlas.admin.backend import (StoreBusy, StoreError, StoreSchemaError, StoreUncertain,  # noqa: F401 (re-exported)
                                 StoreUnavailable)
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
AUDIT_COLS = ["id", "at", "who", "action", "file_name", "file_sha256", "summary"]
SEED_FILES = "data/curated/asf_register.csv + data/curated/asf_facts.csv"
SCHEMA_VERSION = "1"  # PostgreSQL's store_meta; raise it with a migration when a table changes

# DuckDB lets one process at a time open a file for writing, and none read it meanwhile: a second
# replica's save, or a build reading the register, waits this long for the first to finish. On
# PostgreSQL it bounds the wait for the writers' advisory lock.
BUSY_WAIT_S = 10.0
_WRITER_LOCK_KEY = 0x61746C61  # "atla": the advisory lock all writers of one database share


class StoreConflict(StoreError):
    """Another administrator saved after the state this one saw (audit id ``expected``); nothing
    was written. ``latest``: the store's newest audit id; ``summary``: diff() from the state seen
    to the current one (None when the state seen is no longer known); ``entries``: the audit rows
    since, oldest first (id, at, who, action)."""

    def __init__(self, expected: int, latest: int, summary: dict | None, entries: list[dict]) -> None:
        who = ", ".join(dict.fromkeys(e["who"] for e in entries)) or "?"
        super().__init__(f"Another administrator ({who}) saved after entry #{expected} (now #{latest}); "
                         f"nothing was changed.")
        self.expected, self.latest, self.summary, self.entries = expected, latest, summary, entries


def store_path(path: Path | str | None = None, *, beside: Path | None = None) -> Path:
    """``path``, else $ATLAS_ADMIN_DB, else asf_admin.duckdb beside ``beside`` (the database being
    built) or beside the main database ($ATLAS_DB / data/atlas.duckdb). The DuckDB file only:
    ``location`` says whether PostgreSQL is configured instead."""
    return admin_store_path(path, beside=beside)


def location(path: Path | str | None = None, *, beside: Path | None = None) -> Path | str:
    """Where the store is: ``path`` when given (a file path or a postgresql:// URL), else the
    configured PostgreSQL URL, else the DuckDB file (store_path)."""
    if path is not None and str(path):
        return str(path) if backend.is_url(path) else Path(path)
    return backend.configured_url() or store_path(beside=beside)


def describe(path: Path | str | None = None) -> str:
    """Where the store is, for people (no password)."""
    return backend.describe(location(path))


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


# --- Connections --------------------------------------------------------------------------------

# DuckDB refuses a read-only and a read-write connection to one file at the same time in one
# process; connections here are short-lived and taken one at a time (Streamlit serves sessions from
# several threads), which also serialises concurrent admins' writes within a process.
_LOCK = threading.RLock()
_ready: set[str] = set()  # PostgreSQL databases whose schema this process has checked


def _q(name: str) -> str:
    return '"' + name + '"'  # identifiers come from TABLES / AUDIT_COLS only, never from input


@contextmanager
def _connect(loc: Path | str, *, read_only: bool):
    if backend.is_url(loc):  # PostgreSQL: connections of one process are independent
        con = backend.open_postgres(loc)
        try:
            yield con
        finally:
            con.close()
        return
    with _LOCK:
        con = backend.open_duckdb(loc, read_only=read_only, busy_wait_s=BUSY_WAIT_S)
        try:
            yield con
        finally:
            con.close()


def _select(table: str, con: backend.Conn) -> str:
    order = "pos" if con.kind == "postgresql" else "rowid"
    return "SELECT " + ", ".join(_q(c) for c in TABLES[table]) + " FROM " + table + " ORDER BY " + order


def _read(con: backend.Conn, table: str) -> pd.DataFrame:
    cols = TABLES[table]
    return _text(pd.DataFrame(con.execute(_select(table, con)), columns=cols), cols)


def _read_log(con: backend.Conn) -> pd.DataFrame:
    rows = con.execute("SELECT " + ", ".join(_q(c) for c in AUDIT_COLS) + " FROM audit ORDER BY id DESC")
    log = pd.DataFrame(rows, columns=AUDIT_COLS)
    return log.astype({"id": "int64"}) if len(log) else log


@contextmanager
def _reading(path):
    """A connection that sees one consistent state of the store (seeding it first if needed)."""
    loc = ensure(path)
    with _connect(loc, read_only=True) as con:
        _checked(con, loc)
        if con.kind == "postgresql":  # one snapshot for every statement: never a mix of two saves
            con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield con
            finally:
                con.execute("ROLLBACK")
        else:
            yield con


def exists(path: Path | str | None = None) -> bool:
    """True when the store has been created (always asks PostgreSQL when it is configured)."""
    loc = location(path)
    if not backend.is_url(loc):
        return Path(loc).exists()
    with _connect(loc, read_only=True) as con:
        return bool(con.columns("audit"))


def load(path: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The store's enterprise and fact tables (seeding the store first if it does not exist)."""
    with _reading(path) as con:
        return {t: _read(con, t) for t in TABLES}


def audit_log(path: Path | str | None = None) -> pd.DataFrame:
    """The audit log, newest first: id, at, who, action, file_name, file_sha256, summary (JSON)."""
    with _reading(path) as con:
        return _read_log(con)


def load_with_log(path: Path | str | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """load() and audit_log() of one and the same state (read together, so the log's newest id is
    the state the tables show: the id a later save passes as ``expected``)."""
    with _reading(path) as con:
        return {t: _read(con, t) for t in TABLES}, _read_log(con)


def last_change(path: Path | str | None = None) -> tuple[int, str] | None:
    """(newest audit id, its time) or None when there is no store yet: cheap enough to poll."""
    loc = location(path)
    if not backend.is_url(loc) and not Path(loc).exists():
        return None
    with _connect(loc, read_only=True) as con:
        if not con.columns("audit"):
            return None
        row = con.execute("SELECT id, \"at\" FROM audit ORDER BY id DESC LIMIT 1")
    return (int(row[0][0]), str(row[0][1])) if row else None


def current_tables(path: Path | str | None = None) -> dict[str, pd.DataFrame] | None:
    """None when no admin store exists (the build then reads the curated CSVs; PostgreSQL, once
    configured, is seeded and always read); else {"asf_register": ..., "asf_facts": ...} with
    exactly the curated CSVs' columns (text, "" for empty) followed by the admin's extra columns
    (EXTRA_REGISTER, EXTRA_FACTS)."""
    loc = location(path)
    if not backend.is_url(loc) and not Path(loc).exists():
        return None
    tables = load(loc)
    ent = tables["enterprise"].rename(columns={"lines_of_business": "line_of_business_sv"})
    return {"asf_register": ent[REGISTER_COLS + EXTRA_REGISTER].copy(),
            "asf_facts": tables["fact"][FACTS_COLS + EXTRA_FACTS].copy()}


def register_digest(tables: dict[str, pd.DataFrame] | None) -> tuple[str, int]:
    """(sha256, bytes) of current_tables()' content as CSV: the same register gives the same digest
    on every host and either engine (a file's bytes would not: DuckDB's layout varies)."""
    if tables is None:
        return "-", 0
    data = b"".join(tables[name].to_csv(index=False, lineterminator="\n").encode("utf-8")
                    for name in ("asf_register", "asf_facts"))
    return hashlib.sha256(data).hexdigest(), len(data)


def fingerprint_part(path: Path | str | None = None) -> str:
    """'admin:<sha256 of the register's content>' or 'admin:-' (for the build's input fingerprint)."""
    return "admin:" + register_digest(current_tables(path))[0]


# --- Schema -------------------------------------------------------------------------------------

def _table_sql(kind: str) -> list[str]:
    pos = ["pos INTEGER"] if kind == "postgresql" else []
    text = "TEXT" if kind == "postgresql" else "VARCHAR"
    return [
        "CREATE TABLE IF NOT EXISTS enterprise (" + ", ".join(pos + [f"{_q(c)} {text}" for c in STORE_ENTERPRISE]) + ")",
        "CREATE TABLE IF NOT EXISTS fact (" + ", ".join(pos + [f"{_q(c)} {text}" for c in STORE_FACT]) + ")",
        f"CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, \"at\" {text}, who {text}, action {text}, "
        f"file_name {text}, file_sha256 {text}, summary {text})",
        f"CREATE TABLE IF NOT EXISTS snapshot (audit_id INTEGER, table_name {text}, state {text})",
    ]


def _expected_columns(kind: str) -> dict[str, list[str]]:
    pos = ["pos"] if kind == "postgresql" else []
    return {"enterprise": pos + STORE_ENTERPRISE, "fact": pos + STORE_FACT, "audit": AUDIT_COLS,
            "snapshot": ["audit_id", "table_name", "state"]}


def _check_schema(con: backend.Conn, where: str) -> None:
    """StoreSchemaError when the tables are not the ones this version writes (an older or newer
    app made them); the message names the table and what differs."""
    if con.kind == "postgresql" and con.columns("store_meta"):
        found = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'")
        version = found[0][0] if found else "?"
        if version != SCHEMA_VERSION:
            raise StoreSchemaError(f"The admin store in {where} has schema version {version}; this version of the "
                                   f"app reads version {SCHEMA_VERSION}. Nothing was changed: upgrade the app (or "
                                   f"migrate the store) so that both agree.")
    for table, cols in _expected_columns(con.kind).items():
        have = con.columns(table)
        if have and have != cols:
            missing, extra = [c for c in cols if c not in have], [c for c in have if c not in cols]
            raise StoreSchemaError(f"The admin store in {where} was written by another version of the app "
                                   f"(table {table}: missing {missing or 'nothing'}, unknown {extra or 'nothing'}). "
                                   f"Nothing was changed: upgrade the app so that both agree.")


def _checked(con: backend.Conn, loc: Path | str) -> None:
    """_check_schema once per DuckDB file and process (PostgreSQL is checked when ensure() first
    meets it)."""
    key = f"duckdb:{loc}"
    if con.kind == "duckdb" and key not in _ready:
        _check_schema(con, backend.describe(loc))
        _ready.add(key)


def ensure(path: Path | str | None = None) -> Path | str:
    """Create and seed the store if it does not exist; its location. A DuckDB store is written to a
    temp file, then renamed; on PostgreSQL the tables are created and seeded under the writers'
    lock, so hosts starting together seed once. StoreSchemaError for another version's tables."""
    loc = location(path)
    if backend.is_url(loc):
        if loc not in _ready:
            with _connect(loc, read_only=False) as con:
                _pg_create(con, backend.describe(loc))
            _write(loc, lambda old: seed_tables(), who="system", action="seed", file_name=SEED_FILES, sha="",
                   seed=True)
            _ready.add(loc)
        return loc
    p = Path(loc)
    with _LOCK:
        if p.exists():
            return p
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:
            with _connect(tmp, read_only=False) as con:
                for stmt in _table_sql(con.kind):
                    con.execute(stmt)
                empty = {t: pd.DataFrame(columns=c) for t, c in TABLES.items()}
                _apply(con, empty, seed_tables(), who="system", action="seed", file_name=SEED_FILES, sha="")
            os.replace(tmp, p)
        finally:
            tmp.unlink(missing_ok=True)
    return p


def _pg_create(con: backend.Conn, where: str) -> None:
    con.execute("BEGIN")
    try:
        _writer_lock(con)
        _check_schema(con, where)
        for stmt in _table_sql(con.kind):
            con.execute(stmt)
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO store_meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION])
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


# --- Writing ------------------------------------------------------------------------------------

def _writer_lock(con: backend.Conn) -> None:
    """PostgreSQL: wait (up to BUSY_WAIT_S) for the other writers, then hold the lock to COMMIT.
    DuckDB needs none: its file lock already admits one writing process."""
    if con.kind != "postgresql":
        return
    import psycopg

    con.execute("SELECT set_config('lock_timeout', ?, true)", [f"{int(BUSY_WAIT_S * 1000)}ms"])  # SET LOCAL
    try:
        con.execute("SELECT pg_advisory_xact_lock(?)", [_WRITER_LOCK_KEY])
    except psycopg.errors.LockNotAvailable as exc:
        raise StoreBusy("Another administrator is saving to the admin store; nothing was changed. Try again.") from exc


def _rollback(con: backend.Conn) -> None:
    try:
        con.execute("ROLLBACK")
    except Exception:  # the connection is gone: the server rolls the transaction back itself
        pass


def _insert(con: backend.Conn, table: str, df: pd.DataFrame) -> None:
    frame = _text(df, TABLES[table])
    cols = TABLES[table]
    if con.kind == "postgresql":
        rows = [(i, *r) for i, r in enumerate(frame.itertuples(index=False, name=None))]
        con.executemany("INSERT INTO " + table + " (pos, " + ", ".join(_q(c) for c in cols) + ") VALUES ("
                        + ", ".join("?" * (len(cols) + 1)) + ")", rows)
    else:  # DuckDB reads the frame in one go (replacement scan): far faster than row inserts
        duck = con.con
        duck.register("incoming_frame", frame)
        try:
            duck.execute("INSERT INTO " + table + " SELECT * FROM incoming_frame")
        finally:
            duck.unregister("incoming_frame")


def _apply(con: backend.Conn, old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame], *, who: str, action: str,
           file_name: str, sha: str, in_transaction: bool = False, audit_id: int | None = None) -> int:
    """Snapshot ``old``, replace both tables with ``new`` and write the audit row, in one
    transaction (begun here unless ``in_transaction``). Returns the audit id."""
    summary = diff(old, new)
    if not in_transaction:
        con.execute("BEGIN TRANSACTION")
    committing = False
    try:
        if audit_id is None:
            audit_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM audit")[0][0]
        for table in TABLES:
            state = _text(old[table], TABLES[table]).to_json(orient="records", force_ascii=False)
            con.execute("INSERT INTO snapshot VALUES (?, ?, ?)", [audit_id, table, state])
            con.execute("DELETE FROM " + table)
            _insert(con, table, new[table])
        con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [audit_id, utc_now(), who, action, file_name, sha, json.dumps(summary, ensure_ascii=False)])
        committing = True
        con.execute("COMMIT")
    except Exception as exc:
        _rollback(con)
        if isinstance(exc, StoreError):
            raise
        if committing and backend.connection_lost(exc):
            raise StoreUncertain(f"The connection to the admin store was lost while the change was being committed "
                                 f"({type(exc).__name__}). It was saved completely or not at all: the change log "
                                 f"says which.") from exc
        raise StoreError(f"The change was not saved ({type(exc).__name__}: {exc}); nothing was changed.") from exc
    return int(audit_id)


def _state_after(con: backend.Conn, audit_id: int) -> dict[str, pd.DataFrame] | None:
    """The tables as they were right after entry ``audit_id`` (the snapshot taken before the next
    entry); None when that is not recorded."""
    rows = con.execute("SELECT table_name, state FROM snapshot WHERE audit_id = ?", [int(audit_id) + 1])
    if len(rows) != len(TABLES):
        return None
    return {t: _text(pd.DataFrame(json.loads(s), columns=TABLES[t]), TABLES[t]) for t, s in rows}


def _conflict(con: backend.Conn, expected: int, latest: int, current: dict[str, pd.DataFrame]) -> StoreConflict:
    seen = _state_after(con, expected)
    entries = [dict(zip(["id", "at", "who", "action"], r)) for r in con.execute(
        "SELECT id, \"at\", who, action FROM audit WHERE id > ? ORDER BY id", [expected])]
    return StoreConflict(expected, latest, diff(seen, current) if seen else None, entries)


def changes_since(audit_id: int, path: Path | str | None = None) -> StoreConflict | None:
    """What other administrators changed after entry ``audit_id`` (the state a page showed), as the
    StoreConflict a save against it would raise; None when the store is still at that entry."""
    with _reading(path) as con:
        latest = con.execute("SELECT max(id) FROM audit")[0][0]
        if latest is None or int(latest) == int(audit_id):
            return None
        return _conflict(con, int(audit_id), int(latest), {t: _read(con, t) for t in TABLES})


def _write(path, new_of_old, *, who: str, action: str, file_name: str, sha: str, expected: int | None = None,
           seed: bool = False) -> int:
    """Read the current state, compute the new one and apply it, all in one transaction under the
    writers' lock. ``expected``: the audit id the administrator saw (StoreConflict when the store
    has moved on); ``seed``: write only into an empty store (returns the newest id otherwise)."""
    loc = path if seed else ensure(path)
    with _connect(loc, read_only=False) as con:
        _checked(con, loc)
        con.execute("BEGIN TRANSACTION")
        try:
            _writer_lock(con)
            latest = con.execute("SELECT max(id) FROM audit")[0][0]
            if seed and latest is not None:
                con.execute("ROLLBACK")
                return int(latest)
            old = {t: _read(con, t) for t in TABLES}
            if expected is not None and latest is not None and int(latest) != int(expected):
                raise _conflict(con, int(expected), int(latest), old)
            new = new_of_old(old)
        except BaseException:
            _rollback(con)
            raise
        return _apply(con, old, new, who=who, action=action, file_name=file_name, sha=sha, in_transaction=True,
                      audit_id=(int(latest) if latest is not None else 0) + 1)


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
                   action: str = "upload", path: Path | str | None = None, expected: int | None = None) -> int:
    """Write a validated register (action 'upload' or 'edit') in one transaction; the audit id.
    ``expected``: the newest audit id the administrator saw (StoreConflict if another was saved
    since; None: no check)."""
    return _write(path, lambda old: merge(old, enterprise, fact), who=who, action=action,
                  file_name=file_name, sha=sha256, expected=expected)


def snapshot(audit_id: int, path: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The state just before audit entry ``audit_id``; KeyError if there is no such entry."""
    with _reading(path) as con:
        rows = con.execute("SELECT table_name, state FROM snapshot WHERE audit_id = ?", [int(audit_id)])
    if not rows:
        raise KeyError(audit_id)
    return {t: _text(pd.DataFrame(json.loads(s), columns=TABLES[t]), TABLES[t]) for t, s in rows}


def restore(audit_id: int, *, who: str, path: Path | str | None = None, expected: int | None = None) -> int:
    """Bring back the state just before audit entry ``audit_id`` (itself audited, so it can be
    undone); returns the new audit id. ``expected`` as for apply_register."""
    state = snapshot(audit_id, path)
    return _write(path, lambda old: state, who=who, action="restore", file_name=f"#{int(audit_id)}", sha="",
                  expected=expected)


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
