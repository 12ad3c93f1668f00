"""The figure card's cite and embed dialogs and the embedded view (atlas.ui.embed) in AppTest; the
real iframe is tested in Chromium (tests/browser/test_embed_print.py)."""

from __future__ import annotations

import bibtexparser
import plotly.graph_objects as go
import pytest
import rispy
from streamlit.testing.v1 import AppTest

from atlas import ROOT
from atlas.figures.spec import FigureSpec
from atlas.i18n import t
from atlas.ui.embed import snippet
from tests.pages.helpers import figure_keys, run_page

# A page with two figure cards and text around them, run as an embedded view of one of them.
SCRIPT = '''
import plotly.graph_objects as go
import pandas as pd
import streamlit as st
from atlas.figures.spec import FigureSpec
from atlas.ui import embed
from atlas.ui.figure_card import figure_card

def spec(key, title):
    return FigureSpec(key=key, figure=go.Figure(go.Scatter(y=[1, 2])), title=title, subtitle="Procent",
                      source_ids=["bas_kommun"], as_of="april 2026", definition="D", alt_text="Alt " + title,
                      data=pd.DataFrame({"v": [1, 2]}))

class Page:
    def run(self):
        st.title("PAGE TITLE")
        figure_card(spec("a-1", "Figur A"), "sv")
        st.markdown("BETWEEN")
        figure_card(spec("b-2", "Figur B"), "sv")
        st.markdown("AFTER")

embed.run(Page(), st.query_params["fig"], st.session_state.get("lang", "sv"))
'''


def _embedded(fig: str, lang: str = "sv") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.query_params["fig"] = fig
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def _db(built_db):
    return built_db


def test_embedded_view_draws_only_the_figure_asked_for_and_stops():
    at = _embedded("b-2")
    texts = [m.value for m in at.markdown]
    assert "#### Figur B" in texts and "#### Figur A" not in texts
    assert "AFTER" not in texts  # the page stopped once its figure was drawn
    assert [c.proto.id.endswith("embed-b-2") for c in at.get("plotly_chart")] == [True]
    link = next(m for m in texts if t("embed.open_full", "sv") in m)
    assert "fig=" not in link  # the full view, not the embedded one
    assert any(c.value.startswith("Källa:") for c in at.caption)
    assert not at.button  # no downloads, no deck button, no expanders in the minimal view
    assert not at.expander


@pytest.mark.parametrize("fig", ["c-3", "x](javascript:alert(1))"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_figure_the_view_does_not_draw_gets_a_message_and_the_full_view(fig, lang):
    at = _embedded(fig, lang)
    notices = [i.value for i in at.info]
    from atlas.asf import md_escape

    assert t("embed.not_found", lang, fig=md_escape(fig)) in notices
    assert not any("](javascript" in n for n in notices)  # the link's text is shown literally
    assert not at.get("plotly_chart") or all("embed-" not in c.proto.id for c in at.get("plotly_chart"))


def test_snippet_escapes_the_address_and_the_title():
    spec = FigureSpec(key="k", figure=go.Figure(), title='Arbetslöshet "x" <y>', subtitle="", source_ids=[],
                      as_of="", definition="", alt_text="", data=None)
    html = snippet(spec, 'https://a.se/trender?lang=sv&reg=20%2C00&fig=k"><script>')
    assert html.startswith('<iframe src="https://a.se/trender?lang=sv&amp;reg=20%2C00&amp;fig=k&quot;&gt;&lt;script&gt;"')
    assert 'width="600" height="400"' in html and 'title="Arbetslöshet &quot;x&quot; &lt;y&gt; – Inkluderingsatlas"' in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_trender_cards_offer_the_citation_in_four_formats_and_the_embed_snippet(lang):
    page = ROOT / "pages" / "trender.py"
    at = run_page(page, {"ind": "arbetsloshet", "reg": "20,00"}, lang, no_error=True)
    (key,) = figure_keys(at)
    at.session_state[f"cite-{key}"] = True
    at.session_state[f"emb-{key}"] = True
    at.run()
    assert not at.exception
    codes = [c.value for c in at.get("code")]
    bib = next(c for c in codes if c.startswith("@misc{"))
    lib = bibtexparser.parse_string(bib)
    assert not lib.failed_blocks and lib.entries[0].fields_dict["version"].value.startswith("20")
    (ris,) = rispy.loads(next(c for c in codes if c.startswith("TY  - DATA")))
    assert ris["title"] == ("Arbetslöshet 20–64 år" if lang == "sv" else "Unemployment, age 20–64")
    assert any(c.lstrip().startswith("[") and '"type": "dataset"' in c for c in codes)
    iframe = next(c for c in codes if c.startswith("<iframe"))
    # the embedded view's address carries this view's filters, embed=true and the figure's key
    for part in ("ind=arbetsloshet", "reg=20%2C00", "vy=tid", "embed=true", f"fig={key.replace('+', '%2B')}"):
        assert part in iframe, part
    assert {b.proto.label for b in at.get("download_button")} >= {t("cite.download", lang, ext=e) for e in
                                                                    ("bib", "ris", "json", "txt")}
