"""Shared fixtures: the mirror folder, and one database built from it for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Wall-clock deadlines make property tests flaky on a loaded 2-core CI machine; examples are
# still bounded by max_examples.
settings.register_profile("atlas", deadline=None, derandomize=True)
settings.load_profile("atlas")

# A UI string key missing from the locale files raises instead of showing the key (atlas.i18n.t), in
# this process and in every server the browser tests start.
os.environ["ATLAS_STRICT_I18N"] = "1"


@pytest.fixture(autouse=True)
def _show_error_details():
    """Production hides error details from visitors (.streamlit/config.toml); a failing AppTest
    should show them (set per test: a test may parse the config files again)."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")

REPO = Path(__file__).resolve().parents[1]
# The shared folder sits beside the checkout (../shared), in CI as on a developer's machine.
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "mirror"


def mirror_path() -> Path:
    value = os.environ.get("ATLAS_MIRROR", "").strip()
    return Path(value).resolve() if value else DEFAULT_MIRROR


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_path()
    if not path.is_dir():
        pytest.fail(f"Mirror folder {path} not found: set ATLAS_MIRROR to the shared mirror")
    return path


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, mirror) -> Path:
    """A database built from the mirror once per test session; ATLAS_DB points at it."""
    from atlas.build import build

    path = tmp_path_factory.mktemp("db") / "atlas.duckdb"
    build(path, mirror=mirror, live_dir=None)  # the mirror only, whatever data/live holds
    os.environ["ATLAS_DB"] = str(path)
    os.environ["ATLAS_MIRROR"] = str(mirror)
    return path


@pytest.fixture(scope="session")
def con(built_db):
    """A read-only connection to the session's database (for db.run(..., con=con))."""
    from atlas import db

    return db.connect(built_db)


@pytest.fixture(scope="session")
def outlook_20(built_db):
    """Yrkesbarometern's newest release for Dalarna (län 20), as the yrke_outlook query gives it."""
    from atlas import db

    con = db.connect(built_db)
    omgang = db.run("yrke_releases", con=con, regions=["20", "00"])["omgang"].dropna().max()
    return db.run("yrke_outlook", con=con, region="20", omgang=omgang)

