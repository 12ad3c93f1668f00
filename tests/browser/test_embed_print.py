"""In Chromium: an embedded figure in a 600 x 400 iframe (both languages), the cite dialog naming the
view's real link, and pages printed to A4 (print styles: no sidebar or controls, figures whole)."""

from __future__ import annotations

import io

import pypdf
import pytest

from atlas.i18n import t

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

VIEW = "trender?lang={lang}&lan=20&vy=tid&ind=arbetsloshet&reg=20%2C00"
FIG = "trend-arbetsloshet-T-20%2B00"
A4_PRINTABLE_PX = 720  # (210 mm - 2 x 10 mm) at 96 px per inch


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_embedded_figure_fits_a_600_by_400_iframe(page, server, lang, console_errors):
    src = f"{server}/{VIEW.format(lang=lang)}&embed=true&fig={FIG}"
    page.set_viewport_size({"width": 700, "height": 500})
    page.set_content(f'<html><body style="margin:20px"><iframe src="{src}" width="600" height="400" '
                     f'style="border:0" title="embed"></iframe></body></html>')
    frame = page.frame_locator("iframe")
    frame.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=90_000)
    title = "Arbetslöshet 20–64 år" if lang == "sv" else "Unemployment, age 20–64"
    frame.get_by_role("heading", name=title).wait_for(timeout=30_000)
    link = frame.get_by_role("link", name=t("embed.open_full", lang))
    href = link.get_attribute("href")
    assert "fig=" not in href and "embed" not in href and f"lang={lang}" in href and "ind=arbetsloshet" in href
    assert frame.get_by_text(t("common.source", lang) + ":").first.is_visible()
    # the minimal view: no sidebar, no page title, no pickers, no downloads; all of it inside 600 x 400
    body = frame.locator("body")
    assert frame.get_by_test_id("stSidebar").count() == 0 or not frame.get_by_test_id("stSidebar").is_visible()
    assert not frame.get_by_text(t("trender.title", lang)).first.is_visible()
    assert frame.get_by_test_id("stDownloadButton").count() == 0 and not frame.get_by_test_id("stSelectbox").first.is_visible()
    box = link.bounding_box()
    frame_box = page.locator("iframe").bounding_box()
    assert box["y"] + box["height"] <= frame_box["y"] + 400, "the link to the full view is cut off"
    legend = frame.locator(".legendtext").all_text_contents()
    assert legend == (["Dalarnas län", "Riket"] if lang == "sv" else ["Dalarna County", "Sweden"])
    page.screenshot(path=str(ARTIFACTS / f"embed-600x400-{lang}.png"))
    assert body.count() == 1
    assert [e for e in console_errors() if "frame" not in e.lower()] == []


def test_embedded_view_of_a_figure_that_is_not_there(page, server):
    page.set_viewport_size({"width": 600, "height": 400})
    page.goto(f"{server}/{VIEW.format(lang='en')}&embed=true&fig=nope")
    page.get_by_text("The figure nope is not in this view").wait_for(timeout=90_000)
    assert page.get_by_role("link", name=t("embed.open_full", "en")).is_visible()


def test_cite_dialog_gives_the_views_real_link(page, server):
    import bibtexparser

    page.set_viewport_size({"width": 1300, "height": 1800})
    page.goto(f"{server}/{VIEW.format(lang='sv')}")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=90_000)
    page.get_by_text(t("cite.title", "sv"), exact=True).click()
    page.get_by_role("tab", name="BibTeX").click()
    code = page.get_by_test_id("stCode").filter(has_text="@misc{").first
    code.wait_for(timeout=30_000)
    entry = bibtexparser.parse_string(code.inner_text()).entries[0]
    url = entry.fields_dict["url"].value
    assert url.startswith(f"{server}/trender?") and "ind=arbetsloshet" in url and "reg=20%2C00" in url
    page.get_by_text(t("embed.title", "sv"), exact=True).click()
    snippet = page.get_by_test_id("stCode").filter(has_text="<iframe").first
    snippet.wait_for(timeout=30_000)
    assert f'src="{server}/trender?' in snippet.inner_text() and "embed=true" in snippet.inner_text()


@pytest.mark.parametrize("path,heading", [("?lang=sv", "Inkluderingsatlas: Dalarnas län"),
                                          (VIEW.format(lang="en"), "Trends and comparisons")])
def test_printed_page_is_a_clean_a4(page, server, path, heading):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/{path}")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=90_000)
    chart = page.get_by_test_id("stPlotlyChart").first
    drawn = chart.evaluate("el => el.querySelector('.main-svg').getBoundingClientRect().width")  # on screen
    page.emulate_media(media="print")
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert page.get_by_test_id("stButton").filter(visible=True).count() == 0
    assert page.get_by_test_id("stDownloadButton").filter(visible=True).count() == 0
    # a chart keeps the width it was drawn with on screen when the browser prints: at the print zoom
    # it fits across the page (emulation re-lays the page out, a real print does not)
    zoom = float(chart.evaluate("el => getComputedStyle(el).zoom"))
    assert zoom < 1 and drawn * zoom <= A4_PRINTABLE_PX, (drawn, zoom)
    card = page.locator('[class*="st-key-card-"]').first  # a figure card (atlas.ui.figure_card)
    assert card.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / f"print-{'oversikt' if path.startswith('?') else 'trender'}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    assert abs(float(first.mediabox.width) - 595) < 2 and abs(float(first.mediabox.height) - 842) < 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert heading in text
    for control in ("Språk / Language", t("export.add_to_deck", "sv"), t("export.add_to_deck", "en"),
                    t("nav.shortage", "sv"), t("nav.shortage", "en"), t("common.share", "en")):
        assert control not in text, control
