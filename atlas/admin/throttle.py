"""Admin login throttling that survives reloads, new sessions and several replicas, and a log of
every attempt (never the password).

Failures are stored per account and per client address in one SQLite file (atlas.paths.auth_db_path,
beside the database, so every replica on the machine sees it; SQLite's own file locking makes
concurrent writers from several processes safe), or, when the admin store is on PostgreSQL
(atlas.admin.backend.configured_url), in that database, so the throttle holds across hosts. A login is refused without checking the password
while either key has to wait: after FREE_FAILURES failures within WINDOW_S, each further failure
doubles the wait (15 s, 30 s, 1 min, ... up to 15 min). A success clears that account's and that
client's failures. OWASP's Authentication Cheat Sheet: throttle per account and per source, with
growing delays rather than a permanent lock an attacker could use to shut an admin out for good.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Callable

from atlas.admin import backend
from atlas.paths import auth_db_path

FREE_FAILURES = 3
FIRST_DELAY_S = 15.0
MAX_DELAY_S = 15 * 60.0
WINDOW_S = 60 * 60.0  # failures older than this are forgotten
_log = logging.getLogger("atlas.admin.auth")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_attempt (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,          -- unix time
    account TEXT NOT NULL,     -- as typed, at most 80 characters
    client TEXT NOT NULL,      -- the client's address (atlas.admin.auth.client_address)
    outcome TEXT NOT NULL      -- 'failure', 'success' or 'throttled' (refused without checking)
);
CREATE INDEX IF NOT EXISTS login_attempt_account ON login_attempt(account, at);
CREATE INDEX IF NOT EXISTS login_attempt_client ON login_attempt(client, at);
"""
_PG_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS login_attempt (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "at DOUBLE PRECISION NOT NULL, account TEXT NOT NULL, client TEXT NOT NULL, outcome TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS login_attempt_account ON login_attempt(account, at)",
    "CREATE INDEX IF NOT EXISTS login_attempt_client ON login_attempt(client, at)",
]
_pg_ready: set[str] = set()


def delay_for(failures: int) -> float:
    """Seconds to wait after the last failure, given the failures in the window."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S)


class Throttle:
    """The shared attempt store: ``path`` (a SQLite file or a postgresql:// URL), else the admin
    store's PostgreSQL when configured, else atlas.paths.auth_db_path(). ``clock`` is injectable
    for tests. On PostgreSQL, a server that cannot be reached raises StoreUnavailable: the caller
    refuses the login (an unthrottled login is not offered)."""

    def __init__(self, path: Path | str | None = None, *, clock: Callable[[], float] = time.time):
        where = path if path is not None else (backend.configured_url() or auth_db_path())
        self.url = str(where) if backend.is_url(where) else None
        self.path = None if self.url else Path(where)
        self.clock = clock

    @contextmanager
    def _connect(self):
        if self.url:
            con = backend.open_postgres(self.url)
            try:
                if self.url not in _pg_ready:
                    con.execute("BEGIN")
                    con.execute("SELECT pg_advisory_xact_lock(?)", [0x7468726F])  # one creator at a time
                    for stmt in _PG_SCHEMA:
                        con.execute(stmt)
                    con.execute("COMMIT")
                    _pg_ready.add(self.url)
                yield con
            finally:
                con.close()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10.0, isolation_level=None)) as con:
            con.execute("PRAGMA busy_timeout = 10000")
            con.executescript(_SCHEMA)
            yield _Sqlite(con)

    def wait_seconds(self, account: str, client: str) -> float:
        """How long this account and this client must still wait before a password is checked."""
        now = self.clock()
        worst = 0.0
        with self._connect() as con:
            for column, value in (("account", account[:80]), ("client", client)):
                n, last = con.execute(
                    "SELECT count(*), max(at) FROM login_attempt WHERE " + column + " = ? AND outcome = 'failure' "
                    "AND at > ?", [value, now - WINDOW_S])[0]  # column from the fixed tuple above
                if n:
                    worst = max(worst, last + delay_for(n) - now)
        return max(worst, 0.0)

    def record(self, account: str, client: str, outcome: str) -> None:
        """Log an attempt ('failure', 'success' or 'throttled'); a success clears the failures of
        that account and that client."""
        now = self.clock()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE" if self.path else "BEGIN")
            con.execute("INSERT INTO login_attempt (at, account, client, outcome) VALUES (?, ?, ?, ?)",
                        [now, account[:80], client, outcome])
            if outcome == "success":
                con.execute("UPDATE login_attempt SET outcome = 'failure-cleared' WHERE outcome = 'failure' "
                            "AND (account = ? OR client = ?)", [account[:80], client])
            con.execute("DELETE FROM login_attempt WHERE at < ?", [now - 90 * 86400.0])  # keep 90 days
            con.execute("COMMIT")
        level = logging.INFO if outcome == "success" else logging.WARNING
        _log.log(level, "admin login %s: account=%r client=%s", outcome, account[:80], client)

    def recent(self, limit: int = 200) -> list[tuple[float, str, str, str]]:
        """The latest attempts, newest first: (unix time, account, client, outcome)."""
        with self._connect() as con:
            return [tuple(r) for r in con.execute("SELECT at, account, client, outcome FROM login_attempt "
                                                  "ORDER BY at DESC, id DESC LIMIT ?", [int(limit)])]


class _Sqlite:
    """SQLite behind the same execute() -> rows interface as atlas.admin.backend.Conn."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def execute(self, sql: str, params=()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()
