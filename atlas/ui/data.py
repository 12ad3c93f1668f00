"""The data gate (build on first start, with progress) and cached named queries."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import streamlit as st

from atlas import db
from atlas.build import BuildError, build
from atlas.i18n import t
from atlas.paths import db_path

_build_lock = threading.Lock()
_STEPS = ("fetch", "parse", "write", "wait", "unchanged", "done")


def step_text(step: str, lang: str) -> str:
    """A build progress step ("fetch:<source id>", "write", "wait", ...) in the reader's language."""
    kind, _, source = step.partition(":")
    return t(f"build.steps.{kind}", lang, source=source) if kind in _STEPS else t("build.step", lang, step=step)


def _source_title(source_id: str, lang: str) -> str:
    """The manifest's title of a source (the reader's language), else its id."""
    from atlas.sources.manifest import load_manifest

    try:
        for s in load_manifest():
            if s.id == source_id:
                return f"{s.publisher}: {s.title_en if lang == 'en' else s.title_sv}"
    except Exception:  # an unreadable manifest is itself reported by the build
        pass
    return source_id


def _explain_failure(exc: BuildError, lang: str) -> None:
    """The first screen when the database could not be built: what failed and what to do, in the
    reader's language, a retry button, and the technical message folded away for an administrator."""
    st.error(t("build.failed_title", lang))
    reason = exc.reason if exc.reason in ("mirror_missing", "not_in_mirror", "download", "checksum", "format",
                                          "write", "data") else "other"
    st.markdown(t(f"build.reason.{reason}", lang, source=_source_title(exc.source_id, lang)))
    st.markdown(t("build.advice", lang))
    st.button(t("build.retry", lang), type="primary", key="build_retry")  # a rerun builds again
    with st.expander(t("build.details", lang)):
        st.code(str(exc), language=None, wrap_lines=True)
    st.stop()


def _build_with_progress(path, lang: str) -> None:
    failure = None
    with st.status(t("build.running", lang), expanded=True) as status:
        bar = st.progress(0.0)

        def show(frac: float, step: str) -> None:
            bar.progress(min(max(frac, 0.0), 1.0), text=step_text(step, lang))

        try:
            build(path, progress=show)
        except BuildError as exc:
            failure = exc
            status.update(label=t("build.stopped", lang), state="error", expanded=False)
        else:
            status.update(label=t("build.done", lang), state="complete", expanded=False)
    if failure is not None:  # outside the folded status box, where everybody sees it
        _explain_failure(failure, lang)


def ensure_database(lang: str) -> None:
    """Make sure a readable database is served: build it with a visible progress bar on first start
    (waiting for any other writer), else serve what is there. A page load never rebuilds an existing
    file: a damaged one is replaced by its last good previous with a notice (atlas.db.status), and
    without one the page says what an administrator should do."""
    path = db_path()
    with _build_lock:  # several sessions may arrive at once on a fresh server
        if not path.exists():
            _build_with_progress(path, lang)
    try:
        served = db.status(path)
    except db.DatabaseLocked as exc:
        st.warning(t("build.locked", lang, error=str(exc)))
        st.stop()
    except db.DatabaseMissing as exc:
        st.error(t("build.unreadable", lang))
        st.markdown(t("build.unreadable_advice", lang))
        with st.expander(t("build.details", lang)):
            st.code(str(exc), language=None, wrap_lines=True)
        st.stop()
    if served["previous"]:
        st.warning(t("build.serving_previous", lang, built_at=served["built_at"][:16].replace("T", " ")))


def _stamp() -> tuple:
    try:
        st_ = db_path().stat()
        return (st_.st_ino, st_.st_mtime_ns)
    except FileNotFoundError:
        return (0, 0)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, stamp: tuple, params: tuple) -> pd.DataFrame:
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
        st.error(t("build.query_failed", lang))
        st.markdown(t("build.unreadable_advice", lang))
        with st.expander(t("build.details", lang)):
            st.code(f"{type(exc).__name__}: {str(exc)[:300]}", language=None, wrap_lines=True)
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
