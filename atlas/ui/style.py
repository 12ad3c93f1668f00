"""Small CSS corrections so text meets WCAG AA contrast (checked with axe-core in the browser
suite): Streamlit draws captions and block quotes in a 60 % tint of the text colour (about 4.1:1
on white, and lower still where an opacity is added); these rules darken them to about 7:1. Link colour is set in .streamlit/config.toml."""

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
</style>
""".replace("CAPTION", CAPTION_COLOUR).replace("QUOTE", QUOTE_COLOUR)


def apply_style() -> None:
    """Inject the CSS once per run (invisible; takes no layout space)."""
    st.html(CSS)
