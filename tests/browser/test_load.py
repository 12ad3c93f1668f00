"""Load: 20 concurrent browser sessions click through pages with filters for two minutes against
one server on loopback; zero errors. The p95 page time is reported (test-artifacts/load.json), not
asserted: on a 2-core machine the browsers and the server share the CPU."""

from __future__ import annotations

import asyncio
import json

import pytest

from atlas.loadtest import run

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_twenty_sessions_two_minutes_no_errors(server):
    result = asyncio.run(run(server, sessions=20, seconds=120, timeout_ms=240_000))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(result, indent=2))
    print(f"\nload: {result['page_loads']} page loads, p50 {result['p50_s']:.1f} s, p95 {result['p95_s']:.1f} s")
    assert result["page_loads"] >= 20
    assert result["errors"] == []
