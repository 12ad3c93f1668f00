"""Every admin test gets its own admin store and login throttle (ATLAS_ADMIN_DB, ATLAS_AUTH_DB in
tmp_path), so no test writes beside the session's shared database, nor to a PostgreSQL configured on
the machine; the PostgreSQL tests get a fresh database on a server of their own (tests/pgserver.py)."""

from __future__ import annotations

import pytest

from atlas import db


@pytest.fixture(autouse=True)
def admin_db(tmp_path, monkeypatch):
    path = tmp_path / "asf_admin.duckdb"
    monkeypatch.setenv("ATLAS_ADMIN_DB", str(path))
    monkeypatch.setenv("ATLAS_AUTH_DB", str(tmp_path / "admin_auth.sqlite"))  # each test's own login throttle
    # A PostgreSQL configured on this machine (environment or secrets) must not receive test writes.
    from atlas.admin import backend

    monkeypatch.delenv(backend.URL_ENV, raising=False)
    monkeypatch.setattr(backend, "_secrets_files", lambda: [])
    return path


@pytest.fixture(scope="session")
def kommun_codes(built_db) -> frozenset[str]:
    """The kommun codes of the register's county, as the admin page passes them."""
    from atlas.admin.validate import REGISTER_LAN

    regions = db.run("regions_all")
    return frozenset(regions.loc[(regions["level"] == "kommun") & (regions["parent_code"] == REGISTER_LAN), "code"])


@pytest.fixture(scope="session")
def other_kommun_codes(built_db, kommun_codes) -> frozenset[str]:
    """The kommun codes of every other county."""
    regions = db.run("regions_all")
    return frozenset(regions.loc[regions["level"] == "kommun", "code"]) - kommun_codes


from tests.pgserver import pg_server, pg_url  # noqa: E402,F401  (fixtures: a real PostgreSQL for the store tests)
