"""The hostile register (tests/pages/hostile.py) rendered by Streamlit itself in Chromium: on the
pages that show register text, no link, formula or image comes from it, and every markdown element
that shows a hostile value shows all of it, literally (an interpreted value loses its brackets,
hashes, dollars or asterisks). Screenshots go to test-artifacts/hostile-*.png."""

from __future__ import annotations

import re

import pytest

from atlas import db
from atlas.admin.validate import REGISTER_LAN
from tests.pages.hostile import MARKER, build_hostile, value_of

from .conftest import ARTIFACTS, start_server, stop_server

pytestmark = pytest.mark.browser

# What markdown made of the page: formatting elements and link/formula/image targets.
_COLLECT = """() => {
  const out = {blocks: [], links: [], formulas: [], images: []};
  const tags = 'p,li,h1,h2,h3,h4,h5,h6,strong,em,del,code,blockquote,td,th';
  for (const box of document.querySelectorAll('[data-testid=stMarkdownContainer]')) {
    out.blocks.push(['container', box.innerText]);
    for (const el of box.querySelectorAll(tags)) out.blocks.push([el.tagName, el.innerText]);
  }
  for (const a of document.querySelectorAll('a')) out.links.push([a.getAttribute('href') || '', a.innerText]);
  for (const k of document.querySelectorAll('.katex, .katex-display, math')) out.formulas.push(k.textContent);
  for (const i of document.querySelectorAll('img')) out.images.push(i.getAttribute('src') || '');
  return out;
}"""


def _plain(text: str) -> str:
    return " ".join(text.replace("\u2060", "").split())


@pytest.fixture(scope="module")
def hostile_server(built_db, mirror, tmp_path_factory):
    regions = db.run("regions_all")
    codes = frozenset(regions.loc[(regions["level"] == "kommun") & (regions["parent_code"] == REGISTER_LAN), "code"])
    tmp = tmp_path_factory.mktemp("hostile-browser")
    mp = pytest.MonkeyPatch()
    mp.setenv("ATLAS_ADMIN_DB", str(tmp / "asf_admin.duckdb"))  # the build and the server read it
    path, detail = build_hostile(tmp, mirror, codes)
    proc, url, log = start_server(path, "server-hostile.log")
    yield url, detail
    stop_server(proc, log)
    mp.undo()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_hostile_register_renders_literally(hostile_server, browser, lang):
    url, detail = hostile_server
    page = browser.new_page(viewport={"width": 1400, "height": 3200})
    seen: set[str] = set()
    try:
        for path in ("sociala-foretag", f"sociala-foretag?asf={detail}", "kopare", "matchning"):
            page.goto(f"{url}/{path}{'&' if '?' in path else '?'}lang={lang}")
            page.locator("h1").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.get_by_text(re.compile("ZQ\\d")).first.wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / f"hostile-{path.replace('?', '-').replace('=', '-')}-{lang}.png"),
                            full_page=True)
            got = page.evaluate(_COLLECT)
            for href, text in got["links"]:
                if href.startswith("#"):  # Streamlit's anchor beside a heading the page drew (the name's)
                    continue
                assert "evil" not in href and not MARKER.search(text), (path, href, text)
            assert not [f for f in got["formulas"] if MARKER.search(f) or "sqrt" in f or "x2" in f], path
            assert not [s for s in got["images"] if "evil" in s], path
            for tag, text in got["blocks"]:
                for marker in set(MARKER.findall(text)):
                    seen.add(marker)
                    assert _plain(value_of(marker)) in _plain(text), (path, tag, marker, text[:300])
    finally:
        page.close()
    assert {"ZQ1", "ZQ2", "ZQ3", "ZQ5", "ZQ10"} <= seen, seen  # the check saw the hostile names
