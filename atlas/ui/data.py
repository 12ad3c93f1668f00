"""The data gate (build on first start, with progress) and cached named queries."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import streamlit as st

from atlas import db
from atlas.build import BuildError, build, db_path
from atlas.i18n import t

_build_lock = threading.Lock()


def _build_with_progress(path, lang: str, *, force: bool) -> None:
    with st.status(t("build.running", lang), expanded=True) as status:
        bar = st.progress(0.0)

        def show(frac: float, step: str) -> None:
            bar.progress(min(max(frac, 0.0), 1.0), text=t("build.step", lang, step=step))

        try:
            build(path, progress=show, force=force)
        except BuildError as exc:
            status.update(label=t("build.failed", lang, error=""), state="error")
            st.error(t("build.failed", lang, error=str(exc)))
            st.info(t("build.how_to_fix", lang))
            st.stop()
        status.update(label=t("build.done", lang), state="complete", expanded=False)


def ensure_database(lang: str) -> None:
    """Make sure a readable database exists: build it with a visible progress bar when it is
    missing, rebuild it when it is damaged, else stop the page saying what is wrong and what to do."""
    path = db_path()
    with _build_lock:  # several sessions may arrive at once on a fresh server
        if not path.exists():
            _build_with_progress(path, lang, force=False)
        try:
            db.connect(path)
            return
        except db.DatabaseLocked as exc:
            st.warning(t("build.locked", lang, error=str(exc)))
            st.stop()
        except db.DatabaseMissing as exc:  # damaged or unreadable: rebuild from the sources once
            st.warning(t("build.unreadable", lang, error=str(exc)))
            _build_with_progress(path, lang, force=True)
        try:
            db.connect(path)
        except db.DatabaseMissing as exc:
            st.error(t("build.unreadable", lang, error=str(exc)))
            st.info(t("build.how_to_fix", lang))
            st.stop()


def _stamp() -> float:
    try:
        return db_path().stat().st_mtime
    except FileNotFoundError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, stamp: float, params: tuple) -> pd.DataFrame:
    del stamp  # part of the cache key only: a rebuilt database invalidates every entry
    return db.run(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query through Streamlit's cache (keyed by name, parameters and database file).

    Returns a copy-safe DataFrame; list parameters may be given as lists or tuples. A database
    error stops the page with an explanation instead of a traceback.
    """
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    try:
        return _cached(name, _stamp(), frozen)
    except (duckdb.Error, db.DatabaseMissing) as exc:
        lang = st.session_state.get("lang", "sv")
        st.error(t("build.query_failed", lang, error=f"{type(exc).__name__}: {str(exc)[:300]}"))
        st.info(t("build.how_to_fix", lang))
        st.stop()


def indicators() -> pd.DataFrame:
    """The indicator catalogue with coverage (query ``indicator_coverage``), indexed by id."""
    return query("indicator_coverage").set_index("id", drop=False)


def region_names(lang: str) -> dict[str, str]:
    """Region code -> display name in ``lang`` for every region in the database."""
    df = query("regions_all")
    return dict(zip(df["code"], df["name_en" if lang == "en" else "name"]))


_BUILDERS: dict = {}


def cached_builder(builder):
    """``builder`` (a pure figure builder) with its FigureSpec cached by its arguments, so a rerun
    with unchanged filters does not rebuild the figure. DataFrame arguments are hashed by content.

    The wrapper is made once per builder (pages run top to bottom on every rerun, and making one
    reads and tokenises the builder's source). The spec is shared, not copied: st.cache_data would
    unpickle the Plotly figure on every hit, which costs about as much as building it. So callers
    must not modify a returned spec (use ``dataclasses.replace``); exports work on copies."""
    if builder not in _BUILDERS:
        _BUILDERS[builder] = st.cache_resource(show_spinner=False, max_entries=256)(builder)
    return _BUILDERS[builder]
