"""Read-only access to the built database through the named queries in queries/*.sql.

Values only ever reach SQL through DuckDB's parameter binding ($name); the query text comes from
files in queries/, chosen by a name that must match an existing file.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from atlas import QUERIES_DIR
from atlas.locking import swap_lock
from atlas.paths import db_path, fingerprint_path, previous_path
from atlas.sources.fetch import sha256_file

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class QueryError(ValueError):
    """A query name or its parameters are not valid."""


class DatabaseMissing(RuntimeError):
    """The database file does not exist or cannot be opened; the message says how to build it."""


class DatabaseCorrupt(DatabaseMissing):
    """The file exists but is damaged (its checksum differs from the one the build recorded)."""


class DatabaseLocked(DatabaseMissing):
    """Another process holds a write lock on the file (e.g. a rebuild writing in place)."""


def _recorded(path: Path) -> dict:
    try:
        return json.loads(fingerprint_path(path).read_text())
    except (OSError, ValueError):
        return {}


def _verify_checksum(path: Path) -> None:
    """Compare the file with the checksum the build wrote beside it (when there is one)."""
    expected = _recorded(path).get("db_sha256")
    if expected and sha256_file(path) != expected:
        raise DatabaseCorrupt(
            f"The database {path} is damaged (its checksum does not match the build's). "
            f"Rebuild it with `python -m atlas build --force`."
        )


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]
    header: str  # the leading comment: what it returns and what each parameter accepts
    example: dict  # realistic parameters from the header's "example:" line (used by tests, bench)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


@lru_cache(maxsize=None)
def load_query(name: str) -> Query:
    """Return the named query; QueryError if the name is malformed or no such file exists."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise QueryError(f"Invalid query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"No query named {name!r} in queries/")
    sql = path.read_text(encoding="utf-8")
    header = "\n".join(l[2:].strip() for l in sql.splitlines() if l.startswith("--"))
    match = re.search(r"^example:\s*(\{.*\})\s*$", header, re.M)
    example = json.loads(match.group(1)) if match else {}
    return Query(name, sql, frozenset(_PARAM.findall(_strip_comments(sql))), header, example)


def query_names() -> list[str]:
    """Every query available in queries/."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@dataclass
class _Open:
    """One read-only connection to the file served for a database path."""

    con: duckdb.DuckDBPyConnection
    stamp: tuple  # (inode, mtime ns, size) of the path when it was opened
    served: Path  # the file actually opened: the path itself, or its last good previous
    problem: str = ""  # why the previous file is served ("" when the path itself is)
    users: int = 0  # queries running on it now
    retired: bool = False  # the path has been replaced: close once no query uses it


_lock = threading.Lock()
_open: dict[str, _Open] = {}


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _connect_file(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLocked(
                f"The database {path} is locked by another process ({exc}). Wait for the "
                f"running build or update to finish, then reload."
            ) from exc
        raise DatabaseMissing(
            f"The database {path} cannot be opened ({exc}). Rebuild it with "
            f"`python -m atlas build --force`."
        ) from exc


def _open_verified(path: Path) -> _Open:
    """Open ``path`` after checking it against its recorded checksum, under the shared swap lock so
    the file and the checksum are a pair. A damaged file is never served: its last good previous is,
    with the reason (``status``); when there is none, DatabaseCorrupt."""
    with swap_lock(path, shared=True):
        try:
            stamp = _stamp(path)
        except FileNotFoundError:
            raise DatabaseMissing(
                f"The database {path} does not exist. Build it with `python -m atlas build` "
                f"(set ATLAS_MIRROR to build offline from a mirror folder)."
            ) from None
        try:
            _verify_checksum(path)
            return _Open(_connect_file(path), stamp, path)
        except DatabaseCorrupt as exc:
            prev = previous_path(path)
            try:
                if not _recorded(prev).get("db_sha256"):
                    raise DatabaseCorrupt(str(exc))
                _verify_checksum(prev)
                return _Open(_connect_file(prev), stamp, prev, problem=str(exc))
            except (DatabaseMissing, OSError):
                raise exc from None


def _retire(o: _Open) -> None:
    o.retired = True
    if o.users == 0:
        o.con.close()


def _current(path: Path) -> _Open:
    """The open connection for ``path``, reopened when the file has been replaced (must hold _lock)."""
    key = str(path)
    o = _open.get(key)
    try:
        fresh = o is not None and o.stamp == _stamp(path)
    except FileNotFoundError:
        fresh = False
    if not fresh:
        new = _open_verified(path)
        if o is not None:
            _retire(o)
        _open[key] = o = new
    return o


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A shared read-only connection to the database file, reopened when the file is replaced (the
    replaced connection is closed once no query runs on it, so hold the result only briefly)."""
    with _lock:
        return _current(Path(path or db_path())).con


def status(path: Path | None = None) -> dict:
    """What is served for ``path``: {"served": file, "previous": True when the last good previous
    is served because the file is damaged, "problem": why, "built_at": of the served file}."""
    path = Path(path or db_path())
    with _lock:
        o = _current(path)
    return {"served": o.served, "previous": o.served != path, "problem": o.problem,
            "built_at": _recorded(o.served).get("built_at", "")}


def run(name: str, *, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly the parameters it declares; return a DataFrame."""
    q = load_query(name)
    given = set(params)
    if given != q.params:
        missing, extra = sorted(q.params - given), sorted(given - q.params)
        raise QueryError(f"Query {name!r}: missing parameters {missing}, unexpected {extra}")
    if con is not None:
        return _execute(con, q.sql, params)
    with _lock:
        o = _current(db_path())
        o.users += 1
    try:
        return _execute(o.con, q.sql, params)
    finally:
        with _lock:
            o.users -= 1
            if o.retired and o.users == 0:
                o.con.close()


def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    cur = con.cursor()  # one cursor per call: safe across Streamlit's threads
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()
