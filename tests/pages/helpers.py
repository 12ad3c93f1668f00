"""Shared AppTest helper for the page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest


def run_page(page: Path, params: dict | None = None, lang: str = "sv") -> AppTest:
    """Run one page file with ``params`` in the URL and ``lang`` in the session; the run must not
    raise. Returns the AppTest for assertions on what was drawn."""
    at = AppTest.from_file(str(page), default_timeout=60)
    if lang != "sv":
        at.session_state["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
