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
from atlas.build import db_path

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


def _verify_checksum(path: Path) -> None:
    """Compare the file with the checksum the build wrote beside it (when there is one)."""
    from atlas.build import fingerprint_path
    from atlas.sources.fetch import sha256_file

    fp = fingerprint_path(path)
    try:
        expected = json.loads(fp.read_text()).get("db_sha256")
    except (OSError, ValueError):
        return
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


_lock = threading.Lock()
_connections: dict[tuple[str, float], duckdb.DuckDBPyConnection] = {}


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A shared read-only connection to the database file, reopened when the file is replaced."""
    path = Path(path or db_path())
    try:
        key = (str(path), path.stat().st_mtime)
    except FileNotFoundError:
        raise DatabaseMissing(
            f"The database {path} does not exist. Build it with `python -m atlas build` "
            f"(set ATLAS_MIRROR to build offline from a mirror folder)."
        ) from None
    with _lock:
        con = _connections.get(key)
        if con is None:
            _verify_checksum(path)
            try:
                con = duckdb.connect(str(path), read_only=True)
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
            for old_key in [k for k in _connections if k[0] == key[0]]:
                _connections.pop(old_key)  # not closed: a cursor in another thread may still use it
            _connections[key] = con
        return con


def run(name: str, *, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly the parameters it declares; return a DataFrame."""
    q = load_query(name)
    given = set(params)
    if given != q.params:
        missing, extra = sorted(q.params - given), sorted(given - q.params)
        raise QueryError(f"Query {name!r}: missing parameters {missing}, unexpected {extra}")
    cur = (con or connect()).cursor()  # one cursor per call: safe across Streamlit's threads
    try:
        return cur.execute(q.sql, params).df()
    finally:
        cur.close()
