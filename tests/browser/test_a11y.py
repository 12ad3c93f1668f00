"""Accessibility: axe-core (from npm) injected into every page, WCAG 2 A/AA rules, sv and en.

Excluded: Streamlit's own sidebar page list (its <ul> holds <div> children; upstream markup we do
not render ourselves). Everything the atlas draws is checked."""

from __future__ import annotations

import os

import pytest

from atlas import ROOT
from tests.browser.conftest import settle

from .test_pages import URL_PATHS

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} missing: scripts/test.sh installs axe-core with npm")
        pytest.skip("axe-core not installed (npm install --no-save axe-core)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", URL_PATHS)
def test_no_wcag_violations(page, server, axe_source, path, lang):
    settle(page, f"{server}/{path}?lang={lang}")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("""async () => {
        const r = await axe.run({exclude: [['[data-testid="stSidebarNav"]']]},
                                {runOnly: ['wcag2a', 'wcag2aa']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => (n.html || '').slice(0, 120))}));
    }""")
    assert violations == [], violations
