"""The embedded view of one figure: ``<page>?<the view's parameters>&embed=true&fig=<figure key>``.

Streamlit's ``embed=true`` drops its own toolbar, header and padding; ``fig`` names the figure. The
page runs as usual (its pickers read the link, so the figure is the one the link describes) inside a
container that is never shown, and the figure card whose key is ``fig`` draws a minimal card above
it (title, the figure, source line, a link to the full view), then stops the page. A link whose
figure the view does not draw (a changed or mistyped link, data that are gone) gets a message and
the link to the full view instead. The iframe snippet on every figure card points here.
"""

from __future__ import annotations

import copy
import html

import streamlit as st

from atlas.figures.spec import FigureSpec
from atlas.i18n import t

FIG_PARAM = "fig"
_STATE = "_embed_run"
CHART_HEIGHT = 215  # fits title, chart, source line and link in a 600 x 400 iframe
SNIPPET_SIZE = (600, 400)
PAGE_CONTAINER = "atlas-embed-page"

# The page itself runs in a container that is never shown; the "figure not found" text waits a
# few seconds before it shows, since the figure replaces it as soon as the page reaches it (it only
# stays when the page stopped before its figure, e.g. a county without data).
CSS = """
<style>
.st-key-atlas-embed-page { display: none !important; }
.st-key-atlas-embed-late { animation: atlas-embed-late 0s linear 6s both; }
@keyframes atlas-embed-late { from { visibility: hidden; } to { visibility: visible; } }
[data-testid="stMainBlockContainer"] { padding: 0.4rem 0.8rem 0.2rem 0.8rem !important; max-width: none !important; }
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
.st-key-atlas-embed-card h4 { font-size: 1.05rem; padding: 0; }
.st-key-atlas-embed-card [data-testid="stCaptionContainer"],
.st-key-atlas-embed-card [data-testid="stMarkdownContainer"] p { font-size: 0.78rem; }
</style>
"""


def target() -> str | None:
    """The figure key asked for in ?fig= (None when the view is not an embedded figure). A value
    that cannot be a figure key still asks for the embedded view; it is reported as not found."""
    raw = st.query_params.get(FIG_PARAM)
    if raw is None or raw == "":
        return None
    return str(raw)[:200]


def active() -> bool:
    """Whether this run draws an embedded figure."""
    return st.session_state.get(_STATE) is not None


def _full_view_link(lang: str) -> str:
    from atlas.ui.state import view_url

    return f"[{t('embed.open_full', lang)}]({view_url(drop=(FIG_PARAM,))})"


def run(page, wanted: str, lang: str) -> None:
    """Run ``page`` (st.navigation's page) for the embedded figure ``wanted``."""
    st.html(CSS)
    slot = st.empty()
    with slot.container(key="atlas-embed-late"):
        st.info(t("embed.not_drawn", lang))
        st.markdown(_full_view_link(lang))
    st.session_state[_STATE] = {"want": wanted, "slot": slot}
    try:
        with st.container(key=PAGE_CONTAINER):
            page.run()
    finally:
        state = st.session_state.pop(_STATE, None)
    if state is not None:  # the page ran to its end without drawing the figure
        from atlas.asf import md_escape

        with slot.container():
            st.info(t("embed.not_found", lang, fig=md_escape(wanted[:60])))
            st.markdown(_full_view_link(lang))


def figure(spec: FigureSpec, lang: str, *, source_line: str) -> bool:
    """In an embedded view: draw ``spec`` as the minimal card and stop the page when it is the
    figure asked for; returns False (draw nothing) for every other figure. Outside: False."""
    state = st.session_state.get(_STATE)
    if state is None or spec.key != state["want"]:
        return False
    fig = copy.deepcopy(spec.figure)  # the page's (cached) figure stays as it is
    fig.update_layout(height=CHART_HEIGHT, margin={"t": 10, "b": 10})
    with state["slot"].container(key="atlas-embed-card"):
        st.markdown(f"#### {spec.title}")
        st.caption(spec.subtitle)
        st.plotly_chart(fig, alt=spec.alt_text, key=f"embed-{spec.key}", width="stretch",
                        config={"displaylogo": False, "displayModeBar": False})
        st.caption(source_line)
        st.markdown(_full_view_link(lang))
    st.session_state.pop(_STATE, None)
    st.stop()
    return True  # not reached


def snippet(spec: FigureSpec, url: str, *, size: tuple[int, int] = SNIPPET_SIZE) -> str:
    """The <iframe> that embeds ``spec`` from ``url`` (view_url with fig= and embed=true), the
    address and the title escaped for an HTML attribute."""
    width, height = size
    title = html.escape(f"{spec.title} – Inkluderingsatlas", quote=True)
    return (f'<iframe src="{html.escape(url, quote=True)}" width="{width}" height="{height}" '
            f'style="border:0" loading="lazy" title="{title}"></iframe>')


def embed_url(spec: FigureSpec) -> str:
    """The address of ``spec``'s embedded view: this view's share link with embed=true and fig=."""
    from atlas.ui.state import view_url

    return view_url({"embed": "true", FIG_PARAM: spec.key})
