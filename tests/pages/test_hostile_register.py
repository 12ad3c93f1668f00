"""A hostile register (tests/pages/hostile.py) through every page with AppTest: wherever a
register value reaches an element that renders markdown it is there only in its escaped form
(atlas.asf.md_escape), and wherever it reaches a Plotly figure only with its HTML escaped, so no
link, heading, list, formula, icon or HTML comes from the data. tests/browser/test_hostile_register.py
checks the same register in Chromium, where Streamlit's own markdown renders it."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas import ROOT, db
from atlas.admin.validate import REGISTER_LAN
from atlas.asf import md_escape
from atlas.figures.spec import plot_text
from tests.pages.hostile import MARKER, build_hostile, value_of

PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
# Fields of an element's proto that Streamlit renders as markdown (bodies, labels, tooltips).
MARKDOWN_FIELDS = {"body", "label", "help", "placeholder"}
# Widgets whose options are markdown too (selectbox and multiselect options are plain text).
MARKDOWN_OPTIONS = {"radio", "button_group", "select_slider"}
PLAIN_TYPES = {"text", "code", "json"}  # shown as written, never as markdown
OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "s",
                 "server_metadata_url": "https://idp.example/.well-known/openid-configuration"},
        "admin": {"emails": ["admin@example.se"]}}


@pytest.fixture(scope="module")
def hostile(built_db, mirror, tmp_path_factory):
    """(database path, asf_id with the multi-line text); ATLAS_DB and ATLAS_ADMIN_DB point at the
    hostile database and its store while the module runs, and Streamlit's caches start empty."""
    regions = db.run("regions_all")
    codes = frozenset(regions.loc[(regions["level"] == "kommun") & (regions["parent_code"] == REGISTER_LAN), "code"])
    tmp = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("ATLAS_ADMIN_DB", str(tmp / "asf_admin.duckdb"))
    path, detail = build_hostile(tmp, mirror, codes)
    mp.setenv("ATLAS_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path, detail
    mp.undo()
    st.cache_data.clear()
    st.cache_resource.clear()


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(msg):
    """(field name, text) for every string field of a protobuf message, sub-messages included."""
    for fd, value in msg.ListFields():
        values = value if fd.is_repeated else [value]
        for v in values:
            if isinstance(v, str):
                yield fd.name, v
            elif hasattr(v, "ListFields"):
                yield from _strings(v)


def _plot_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _plot_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _plot_strings(v)


def shown_text(at: AppTest) -> tuple[list[tuple[str, str]], list[str]]:
    """(element type, markdown source) for every markdown-rendered text with a marker, and every
    string in the page's Plotly figures with a marker."""
    markdown, plots = [], []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        kind = getattr(node, "type", "")
        if kind == "plotly_chart":
            plots += [s for s in _plot_strings(json.loads(proto.spec)) if MARKER.search(s)]
            continue
        if kind in PLAIN_TYPES:
            continue
        fields = MARKDOWN_FIELDS | ({"options", "content"} if kind in MARKDOWN_OPTIONS else set())
        markdown += [(kind, v) for name, v in _strings(proto) if name in fields and MARKER.search(v)]
    return markdown, plots


def _run(page: str, params: dict, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=90)
    at.session_state["lang"] = lang
    if page == "admin.py":  # an administrator signed in, as in tests/admin/test_page.py
        for k, v in OIDC.items():
            at.secrets[k] = v
        at.user = {"is_logged_in": True, "email": "admin@example.se", "email_verified": True}
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "admin.py":
        assert at.get("file_uploader"), [e.value for e in at.error]  # signed in: the admin view is drawn
    return at


def _assert_literal(at: AppTest, where: str) -> set[str]:
    markdown, plots = shown_text(at)
    for kind, source in markdown:
        for marker in set(MARKER.findall(source)):
            assert md_escape(value_of(marker)) in source, (where, kind, marker, source[:300])
    for text in plots:
        for marker in set(MARKER.findall(text)):
            assert plot_text(value_of(marker)) in text, (where, marker, text[:300])
    return {m for _, s in markdown for m in MARKER.findall(s)} | {"plot:" + m for s in plots
                                                                   for m in MARKER.findall(s)}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_shows_the_hostile_register_literally(hostile, lang):
    _, detail = hostile
    seen: dict[str, set[str]] = {}
    for page in PAGES:
        seen[page] = _assert_literal(_run(page, {}, lang), page)
    seen["detail"] = _assert_literal(_run("sociala_foretag.py", {"asf": detail}, lang), "detail")
    # Not vacuous: the register reaches markdown on the ASF pages and the map's hover.
    for page in ("sociala_foretag.py", "kopare.py", "matchning.py"):
        assert any(not m.startswith("plot:") for m in seen[page]), (page, seen[page])
    assert any(m.startswith("plot:") for m in seen["sociala_foretag.py"])
    # The town, and in Swedish the multi-line business text (English shows the curated translation).
    assert ({"ZQ9", "ZQ10"} if lang == "sv" else {"ZQ10"}) <= seen["detail"]


def test_the_check_catches_unescaped_text():
    """The assertion above fails on text put into markdown as it is (what Matchning did)."""
    raw = value_of("ZQ1")
    assert md_escape(raw) not in f"Utan kommun: {raw}"
    assert plot_text(value_of("ZQ3")) not in f"<b>{value_of('ZQ3')}</b>"
