"""Timing a page's server-side run with Streamlit's AppTest, and the bare two-page app the time to
first chart is compared with (used by tools.bench)."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path


def time_page(path: Path, runs: int) -> tuple[list[float], bool]:
    """Run the page once to warm the caches, then ``runs`` times; returns (milliseconds per run,
    whether any run raised)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(path), default_timeout=120)
    at.run()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
    return times, bool(at.exception)


# The bare two-page app the benchmark compares time-to-first-chart against.
BARE_APP = textwrap.dedent('''
    import plotly.graph_objects as go
    import streamlit as st

    def home():
        st.title("Bare")
        st.plotly_chart(go.Figure(go.Scatter(x=list(range(76)), y=[i % 7 for i in range(76)])))

    def other():
        st.title("Other")

    st.navigation([st.Page(home, title="Home", default=True), st.Page(other, title="Other")]).run()
''')
