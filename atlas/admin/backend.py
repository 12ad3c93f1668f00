"""Where the admin store and the login throttle live, and one small connection interface over both
engines: an embedded DuckDB file (the default, one machine) or a PostgreSQL database (several
hosts, configured by a connection URL).

The URL comes from $ATLAS_ADMIN_DATABASE_URL, else ``[admin] database_url`` in
.streamlit/secrets.toml (read here with tomllib, so the build and the command line see the same
setting as the app). Without one, everything stays in files beside the database (atlas.paths).

Errors are the store's own (StoreError and its kinds), so a page can say what happened in the
admin's language without knowing which engine is behind it.
"""

from __future__ import annotations

import os
import random
import re
import time
import tomllib
from pathlib import Path
from typing import Any, Sequence

import duckdb

from atlas import ROOT

URL_ENV = "ATLAS_ADMIN_DATABASE_URL"
PG_SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000


class StoreError(RuntimeError):
    """A write failed and was rolled back; the store is unchanged."""


class StoreBusy(StoreError):
    """Another process held the store for longer than BUSY_WAIT_S (an administrator saving on
    another replica, or a build reading the register); nothing was written. Try again."""


class StoreUnavailable(StoreError):
    """The PostgreSQL server cannot be reached or refused the login; nothing was read or written.
    ``reason``: "down" (no answer), "login" (user or password refused) or "missing" (no such
    database)."""

    def __init__(self, message: str, reason: str = "down") -> None:
        super().__init__(message)
        self.reason = reason


class StoreSchemaError(StoreError):
    """The store's tables were written by another version of the app; nothing was changed."""


class StoreUncertain(StoreError):
    """The connection was lost while the change was being committed: PostgreSQL kept all of it or
    none of it, but this process cannot tell which. The audit log says."""


def _secrets_files() -> list[Path]:
    # Where Streamlit itself looks (the working directory's .streamlit/, then the user's), with this
    # checkout's for the command line run from elsewhere.
    return list(dict.fromkeys([Path.cwd() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml",
                               Path.home() / ".streamlit" / "secrets.toml"]))


def configured_url() -> str | None:
    """The PostgreSQL URL of the admin store, or None for the embedded DuckDB default."""
    env = os.environ.get(URL_ENV, "").strip()
    if env:
        return env
    for path in _secrets_files():
        try:
            secrets = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        admin = secrets.get("admin")
        url = admin.get("database_url") if isinstance(admin, dict) else None
        if isinstance(url, str) and url.strip():
            return url.strip()
    return None


def is_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(PG_SCHEMES)


def describe(location: Path | str) -> str:
    """A location for people: the file path, or 'PostgreSQL user@host:port/db' without the password."""
    if not is_url(location):
        return str(location)
    from psycopg.conninfo import conninfo_to_dict

    try:
        p = conninfo_to_dict(str(location))
    except Exception:  # a malformed URL: say which kind it is, never echo it (it may hold a password)
        return "PostgreSQL"
    host = p.get("host") or "localhost"
    return f"PostgreSQL {p.get('user', '')}@{host}:{p.get('port', 5432)}/{p.get('dbname', '')}".replace(" @", " ")


# --- One connection, either engine ------------------------------------------------------------------

class Conn:
    """An open connection with the few operations the store and the throttle need. SQL uses ``?``
    placeholders on both engines (rewritten to psycopg's ``%s``); statements run in autocommit
    unless the caller says BEGIN."""

    kind = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def columns(self, table: str) -> list[str]:
        """The table's column names in order ([] when it does not exist)."""
        rows = self.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                            "AND table_schema = current_schema() ORDER BY ordinal_position", [table])
        return [r[0] for r in rows]


class DuckConn(Conn):
    kind = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql, params=()):
        cur = self.con.execute(sql, list(params))
        try:
            return cur.fetchall()
        except duckdb.InvalidInputError:  # a statement without a result set
            return []

    def executemany(self, sql, rows):
        if rows:
            self.con.executemany(sql, [list(r) for r in rows])

    def close(self):
        self.con.close()


class PgConn(Conn):
    kind = "postgresql"

    def __init__(self, con) -> None:
        self.con = con

    def execute(self, sql, params=()):
        cur = self.con.execute(_pg_sql(sql), list(params))
        return cur.fetchall() if cur.description is not None else []

    def executemany(self, sql, rows):
        if rows:
            with self.con.cursor() as cur:
                cur.executemany(_pg_sql(sql), [list(r) for r in rows])

    def close(self):
        self.con.close()


def _pg_sql(sql: str) -> str:
    # Our statements never contain a literal ? or %: placeholders are the only ones.
    return sql.replace("%", "%%").replace("?", "%s")


def open_duckdb(path: Path, *, read_only: bool, busy_wait_s: float) -> DuckConn:
    """Open the DuckDB store, waiting (up to ``busy_wait_s``) while another process holds its file
    lock; StoreBusy after that."""
    deadline = time.monotonic() + busy_wait_s
    while True:
        try:
            return DuckConn(duckdb.connect(str(path), read_only=read_only))
        except duckdb.Error as exc:
            if not isinstance(exc, duckdb.IOException) or "lock" not in str(exc).lower():
                raise StoreError(f"The admin store {path} cannot be opened ({type(exc).__name__}: "
                                 f"{_first_line(str(exc))}); nothing was changed.") from exc
            if time.monotonic() >= deadline:
                raise StoreBusy(f"The admin store {path} is in use by another process (another administrator "
                                f"saving, or a build reading the register); nothing was changed. Try again.") from exc
            time.sleep(0.05 + random.random() * 0.05)


def open_postgres(url: str) -> PgConn:
    """Connect to PostgreSQL (autocommit; callers BEGIN and COMMIT themselves), or StoreUnavailable
    with the reason: "down", "login" or "missing"."""
    import psycopg

    try:
        con = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                              application_name="inkluderingsatlas",
                              options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    except psycopg.Error as exc:
        text = str(exc)
        where = describe(url)
        if re.search(r"password authentication failed|no pg_hba\.conf entry|role \".*\" does not exist|"
                     r"authentication failed|no password supplied", text):
            raise StoreUnavailable(f"{where} refused the login ({_first_line(text)}); nothing was changed.",
                                   "login") from exc
        if re.search(r"database \".*\" does not exist", text):
            raise StoreUnavailable(f"{where}: the database does not exist; nothing was changed.", "missing") from exc
        raise StoreUnavailable(f"{where} cannot be reached ({_first_line(text)}); nothing was changed.",
                               "down") from exc
    return PgConn(con)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def connection_lost(exc: BaseException) -> bool:
    """True when ``exc`` means the PostgreSQL connection itself failed (server gone, network split),
    not a refused statement."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is in the lock
        return False
    # A server-sent error carries an SQLSTATE; a lost connection has none (or class 08, or 57P:
    # the server shutting down).
    state = getattr(exc, "sqlstate", None)
    return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and (
        state is None or state.startswith(("08", "57P")))
