"""Shared AppTest helper for the page tests."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest


def run_page(page: Path, params: dict | None = None, lang: str = "sv", *, county: str | None = None,
             no_error: bool = False) -> AppTest:
    """Run one page file with ``params`` in the URL, ``lang`` (and ``county`` when given) in the
    session; the run must not raise, and with ``no_error`` must not show an error box either.
    Returns the AppTest for assertions on what was drawn."""
    at = AppTest.from_file(str(page), default_timeout=60)
    if lang != "sv":
        at.session_state["lang"] = lang
    if county is not None:
        at.session_state["county"] = county
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if no_error:
        assert not at.error, [e.value for e in at.error]
    return at


def page_runner(page: Path | str, *, no_error: bool = False):
    """``run_page`` bound to one page file: ``_run(params=None, lang="sv", county=None)``."""
    def run(params: dict | None = None, lang: str = "sv", *, county: str | None = None) -> AppTest:
        return run_page(Path(page), params, lang, county=county, no_error=no_error)

    return run


def url_notice_shown(at: AppTest, lang: str = "sv") -> bool:
    """Whether the page showed the 'some values in the link could not be used' notice."""
    from atlas.i18n import t

    head = t("common.url_notice", lang, params="").split(":")[0]
    return any(i.value.startswith(head) for i in at.info)


def figure_keys(at: AppTest) -> list[str]:
    """The key of every figure card drawn, in page order (the part after 'fig-' in the element id)."""
    return [re.sub(r"^.*?-fig-", "", chart.proto.id) for chart in at.get("plotly_chart")]


def open_cards(at: AppTest) -> AppTest:
    """Open the definition, text-alternative and download expanders of every figure card drawn
    (they draw their contents only when open) and rerun; returns ``at``."""
    keys = figure_keys(at)
    assert keys, "no figure card on the page"
    for key in keys:
        at.session_state[f"def-{key}"] = True
        at.session_state[f"alt-{key}"] = True
        at.session_state[f"dl-{key}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """The text a reader sees where atlas.asf.md_escape made data literal: backslash escapes
    resolved, the invisible word joiners that break bare links removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
