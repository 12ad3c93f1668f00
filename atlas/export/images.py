"""Static images (PNG for slides, SVG for print) of a FigureSpec, with title, unit and source
burned in, rendered server-side by kaleido through the machine's Chromium."""

from __future__ import annotations

import copy
import threading

import plotly.graph_objects as go
import plotly.io as pio

from atlas.figures.spec import FigureSpec

SLIDE_SIZE = (1600, 900)  # 16:9 at slide resolution
_lock = threading.Lock()  # one kaleido server per process; calls are serialised
_server_started = False


class ImageExportUnavailable(RuntimeError):
    """No Chromium for kaleido on this machine; the message says what to install."""


def _ensure_server() -> None:
    global _server_started
    if _server_started:
        return
    import kaleido

    pio.defaults.mathjax = False  # no CDN fetch for MathJax
    try:
        kaleido.start_sync_server(silence_warnings=True)
    except TypeError:  # older signature without silence_warnings
        kaleido.start_sync_server()
    _server_started = True


def with_captions(spec: FigureSpec, source_text: str, *, width: int, height: int) -> go.Figure:
    """A copy of the spec's figure with title + subtitle on top and the source line at the bottom."""
    fig = copy.deepcopy(spec.figure)
    top, bottom = 110, 70
    margin = fig.layout.margin.to_plotly_json() if fig.layout.margin else {}
    fig.update_layout(
        width=width, height=height,
        title={"text": f"<b>{spec.title}</b><br><span style='font-size:0.8em'>{spec.subtitle}</span>",
               "x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top", "font": {"size": 24}},
        margin={**margin, "t": max(margin.get("t") or 0, top), "b": max(margin.get("b") or 0, bottom),
                "l": max(margin.get("l") or 0, 30), "r": max(margin.get("r") or 0, 30)},
        paper_bgcolor="white",
    )
    fig.add_annotation(text=source_text, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-bottom + 20, showarrow=False, align="left",
                       font={"size": 13, "color": "#444"})
    return fig


def render_image(spec: FigureSpec, source_text: str, fmt: str = "png", *,
                 size: tuple[int, int] = SLIDE_SIZE) -> bytes:
    """PNG or SVG bytes of the figure with its captions. Raises ImageExportUnavailable where no
    Chromium is installed (the chart's own camera button still works in the browser)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    return static_image(with_captions(spec, source_text, width=size[0], height=size[1]), fmt, size=size)


def static_image(fig: go.Figure, fmt: str = "svg", *, size: tuple[int, int] = SLIDE_SIZE, scale: float = 1) -> bytes:
    """PNG or SVG bytes of ``fig`` as it is (no captions added); ImageExportUnavailable without a
    Chromium."""
    import warnings

    with _lock, warnings.catch_warnings():
        # plotly warns that kaleido's options are ignored once its server runs (they are: it is set up once)
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        try:
            _ensure_server()
            return pio.to_image(fig, format=fmt, width=size[0], height=size[1], scale=scale)
        except (RuntimeError, OSError, ValueError) as exc:
            text = str(exc)
            if "Chrome" in text or "chrom" in text.lower() or "browser" in text.lower():
                raise ImageExportUnavailable(
                    "Server-side image export needs Chromium (Debian: apt-get install chromium). "
                    "Use the camera icon on the chart to save a PNG from your browser instead."
                ) from exc
            raise
