"""Where the generated files live. Read-side code (db.py, ui/) asks here, never the build.

Every path can be moved by an environment variable, so tests, replicas and production hosts can keep
their files apart:
- ATLAS_DB: the served DuckDB database (default data/atlas.duckdb);
- ATLAS_ADMIN_DB: the admin store (default asf_admin.duckdb beside the database);
- ATLAS_AUTH_DB: the login throttle and log (default admin_auth.sqlite beside the database);
- ATLAS_RAW_DIR: downloaded source files (default data/raw).
Files beside the database share its name: <db>.fingerprint.json (inputs and checksum of the served
file), <db>.previous (the last good database, kept at every swap) with its own fingerprint, and
<db>.swap.lock, and the folder's .atlas-writer.lock (atlas.locking).
"""

from __future__ import annotations

import os
from pathlib import Path

from atlas import DATA_DIR

DEFAULT_DB = DATA_DIR / "atlas.duckdb"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def db_path() -> Path:
    """The served database: $ATLAS_DB when set, else data/atlas.duckdb."""
    return _env_path("ATLAS_DB") or DEFAULT_DB


def fingerprint_path(db: Path) -> Path:
    """The JSON beside ``db`` with its input fingerprint, build time and sha256."""
    return db.with_name(db.name + ".fingerprint.json")


def previous_path(db: Path) -> Path:
    """The last good database before the current one (kept so a damaged file never takes the site
    down: readers fall back to it)."""
    return db.with_name(db.name + ".previous")


def writer_lock_path(db: Path) -> Path:
    """Held exclusively by every writer in ``db``'s folder for its whole run
    (atlas.locking.writer_lock): one lock per folder, so a side file built beside the database and
    then swapped in is covered by the same lock."""
    return Path(db).parent / ".atlas-writer.lock"


def swap_lock_path(db: Path) -> Path:
    """Held exclusively while ``db`` and its fingerprint are swapped, shared while a reader checks
    them (atlas.locking.swap_lock), so a reader never pairs a new file with an old checksum."""
    return db.with_name(db.name + ".swap.lock")


def admin_store_path(path: Path | str | None = None, *, beside: Path | None = None) -> Path:
    """``path``, else $ATLAS_ADMIN_DB, else asf_admin.duckdb beside ``beside`` (a database being
    built) or beside the served database."""
    if path:
        return Path(path)
    return _env_path("ATLAS_ADMIN_DB") or Path(beside or db_path()).with_name("asf_admin.duckdb")


def auth_db_path() -> Path:
    """The login throttle and log (SQLite, shared by every replica on the machine): $ATLAS_AUTH_DB,
    else admin_auth.sqlite beside the served database."""
    return _env_path("ATLAS_AUTH_DB") or db_path().with_name("admin_auth.sqlite")


def raw_dir() -> Path:
    """Downloaded source files: $ATLAS_RAW_DIR, else data/raw."""
    return _env_path("ATLAS_RAW_DIR") or DATA_DIR / "raw"
