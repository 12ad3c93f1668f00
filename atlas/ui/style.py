"""Small CSS corrections so text meets WCAG AA contrast (checked with axe-core in the browser
suite): Streamlit draws captions and block quotes in a 60 % tint of the text colour (about 4.1:1
on white, and lower still where an opacity is added); these rules darken them to about 7:1. Link colour is set in .streamlit/config.toml.

Print styles (@media print): any page printed from the browser is a clean A4: no sidebar, header,
toolbar or controls (buttons, pickers, the share link, closed expanders), the page at full width,
and every figure card, chart and table kept whole on one page (tests/browser/test_print.py prints
pages with Chromium and reads the PDF)."""

import streamlit as st

CAPTION_COLOUR = "#4f5755"  # about 7:1 on white (Streamlit's own caption tint: about 4.1:1)
QUOTE_COLOUR = "#3f4745"

CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stCaptionContainer"] a { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: CAPTION !important; }
[data-testid="stMarkdownContainer"] blockquote, [data-testid="stMarkdownContainer"] blockquote p,
[data-testid="stMarkdownContainer"] blockquote a { opacity: 1 !important; }
[data-testid="stMarkdownContainer"] blockquote, [data-testid="stMarkdownContainer"] blockquote p {
  color: QUOTE !important;
}
@media print {
  @page { size: A4; margin: 12mm 10mm 14mm 10mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stPopover"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
  [data-testid="stTextInput"], [data-testid="stNumberInput"], [data-testid="stSlider"],
  [data-testid="stButtonGroup"], [data-testid="stCheckbox"], [data-testid="stToggle"],
  [data-testid="stElementToolbar"], .modebar-container, [data-testid="stExpander"] details:not([open]),
  .stElementContainer:has(> [data-testid="stButton"]), .stElementContainer:has(> [data-testid="stDownloadButton"])
  { display: none !important; }
  html { font-size: 14px; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    background: white !important; overflow: visible !important; height: auto !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: none !important; padding: 0 !important; }
  [class*="st-key-card-"], [data-testid="stPlotlyChart"], [data-testid="stDataFrame"],
  [data-testid="stTable"], [data-testid="stMetric"], [data-testid="stAlert"], figure, img {
    break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  a { color: #00577b !important; }
  /* A chart and a data table (a canvas) keep the pixel width they were drawn with on screen
     (neither redraws for print): at 60 % they fit the A4 width (about 720 px) from a window up to
     about 1,400 px wide. */
  [data-testid="stPlotlyChart"], [data-testid="stDataFrame"] { zoom: 0.6; }
}
</style>
""".replace("CAPTION", CAPTION_COLOUR).replace("QUOTE", QUOTE_COLOUR)


def apply_style() -> None:
    """Inject the CSS once per run (invisible; takes no layout space)."""
    st.html(CSS)
