"""Shared AppTest helper for the page tests."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from atlas import ROOT
from atlas.i18n import t
from atlas.ui.state import _MAX_SHOWN


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
    return url_notice(at, lang) is not None


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


def run_in_app(page: str, params: dict | None = None, lang: str = "sv") -> AppTest:
    """Run app.py (navigation, language, county) with ?lang=, then switch to ``page`` (e.g.
    'pages/karta.py') with ``params`` in the URL, so st.switch_page works as in the browser. The run
    must show neither an exception nor an error box. Returns the AppTest."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def qp(at: AppTest, key: str) -> str | None:
    """URL parameter ``key`` as the page left it (the last value if repeated), None if absent."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def url_notice(at: AppTest, lang: str = "sv") -> str | None:
    """The bad-link notice (common.url_notice) the run drew, None if none; never more than one."""
    head = t("common.url_notice", lang, params="").split(":")[0]
    found = [i.value for i in at.info if i.value.startswith(head)]
    assert len(found) <= 1, found
    return found[0] if found else None


def named_in_notice(at: AppTest, params: dict, lang: str = "sv") -> set[str]:
    """The keys of ``params`` (a link's parameters) that the bad-link notice names with their value."""
    notice = url_notice(at, lang) or ""
    return {k for k, v in params.items() if f"{k}={str(v)[:_MAX_SHOWN]!r}" in notice}


def plotly_values(values) -> list:
    """A Plotly figure array as a list of floats: Plotly's JSON stores arrays as {'dtype', 'bdata'}
    (base64) or as plain lists (None for a gap)."""
    import base64

    import numpy as np

    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float).tolist()
    return [float("nan") if v is None else float(v) for v in values]
