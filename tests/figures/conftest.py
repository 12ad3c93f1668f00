"""Fixtures shared by the figure tests."""

from __future__ import annotations

import pytest

from atlas import db


@pytest.fixture(scope="module")
def karta_catalogue(con):
    """Karta's indicator catalogue for Dalarna (karta_indicators), indexed by id."""
    return db.run("karta_indicators", con=con, lan="20").set_index("id", drop=False)
