"""Session and URL state: language and county, kept in st.query_params so links can be shared."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import DEFAULT_LANG, LANGS, normalise_lang, t

DEFAULT_COUNTY = "20"  # Dalarnas län; the county picker (live data issue) will set this


def init_language() -> str:
    """Read ?lang= once per session, show the switch in the sidebar, and mirror it in the URL.

    The language lives in a plain session key ("lang"); the widget has its own key and is primed
    from it every run, so the choice survives page switches even where Streamlit drops the state
    of a widget it did not see in a run."""
    if "lang" not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state.lang = normalise_lang(raw)
        if raw is not None and raw not in LANGS:
            st.session_state.lang_notice = str(raw)[:40]
    st.session_state["_lang_pick"] = st.session_state.lang

    def changed() -> None:
        st.session_state.lang = normalise_lang(st.session_state.get("_lang_pick"))  # None when deselected

    st.sidebar.segmented_control(
        "Språk / Language", options=list(LANGS), key="_lang_pick", on_change=changed,
        format_func={"sv": "Svenska", "en": "English"}.get, selection_mode="single",
    )
    lang = normalise_lang(st.session_state.lang)
    notice = st.session_state.pop("lang_notice", None)
    if notice:
        st.toast(t("app.lang_notice", lang, value=notice))
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def lang() -> str:
    """The current UI language ('sv' or 'en')."""
    return normalise_lang(st.session_state.get("lang"))


def county() -> str:
    """The current county code (2 digits)."""
    return st.session_state.get("county", DEFAULT_COUNTY)


def init_county(lang_code: str) -> str:
    """County picker in the sidebar (any of the 21 län; Dalarna by default), mirrored as ?lan=.
    When the chosen county has no municipal data loaded, say how to load it."""
    from atlas.ui.data import query

    regions = query("regions_all")
    lan = regions[regions["level"] == "lan"]
    names = dict(zip(lan["code"], lan["name_en" if lang_code == "en" else "name"]))
    if "county" not in st.session_state:
        st.session_state.county = url_value("lan", list(names), DEFAULT_COUNTY)
    st.session_state["_county_pick"] = st.session_state.county  # see init_language for why

    def changed() -> None:
        st.session_state.county = st.session_state["_county_pick"]

    st.sidebar.selectbox(t("app.county", lang_code), list(names), key="_county_pick", on_change=changed,
                         format_func=names.get)
    chosen = st.session_state.county
    if st.query_params.get("lan") != chosen:
        st.query_params["lan"] = chosen
    coverage = query("county_coverage", lan=chosen).iloc[0]
    if int(coverage["kommun_values"]) == 0:
        st.sidebar.info(t("app.county_not_loaded", lang_code, county=names.get(chosen, chosen), code=chosen))
    return chosen


# --- Filters bound to the URL -------------------------------------------------------------------
# Pages read their filters with url_value/url_values, draw the widget with that as its initial
# value, then call set_url(...) with what the widget returns. Anything in the URL that is not a
# valid option falls back to the default and is listed in one notice; nothing raises.

_MAX_SHOWN = 40  # characters of a rejected value echoed back in the notice


def _reject(param: str, raw: object) -> None:
    bad = st.session_state.setdefault("_url_rejects", {})
    bad[param] = str(raw)[:_MAX_SHOWN]


def url_value(param: str, options, default):
    """The URL's ?param= if it is one of ``options`` (compared as strings), else ``default``."""
    raw = st.query_params.get(param)
    if raw is None:
        return default
    for opt in options:
        if str(opt) == raw:
            return opt
    _reject(param, raw)
    return default


def url_values(param: str, options, default: list, *, max_items: int = 50) -> list:
    """The URL's ?param=a,b,c as a list of valid options (order kept, duplicates dropped).
    Unknown items are dropped with a notice; an empty or wholly invalid list gives ``default``."""
    raw = st.query_params.get(param)
    if raw is None:
        return list(default)
    by_text = {str(o): o for o in options}
    items = [x for x in dict.fromkeys(raw.split(",")) if x != ""]
    good = [by_text[x] for x in items if x in by_text][:max_items]
    if len(good) != len(items) or (raw and not items):
        _reject(param, raw)
    return good or list(default)


def url_text(param: str, max_len: int, default: str = "") -> str:
    """Free text from ?param= (any characters are safe: it is only ever compared as text);
    longer than ``max_len`` -> ``default`` with a notice."""
    raw = st.query_params.get(param)
    if raw is None:
        return default
    if len(raw) > max_len:
        _reject(param, raw)
        return default
    return raw


def set_url(**values) -> None:
    """Mirror the page's current filters in the URL (lists as comma-separated values), and
    refresh the page's share link so it always holds this run's filters."""
    for k, v in values.items():
        text = ",".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else str(v))
        if st.query_params.get(k) != text:
            st.query_params[k] = text
    share = st.session_state.get(_SHARE_KEY)
    if share is not None:
        slot, lang_code = share
        try:
            with slot.container():
                _share_popover(lang_code)
        except Exception:  # a slot from an earlier run: the link drawn at the top stays
            st.session_state.pop(_SHARE_KEY, None)


def url_notice(lang_code: str) -> None:
    """Show, once, which URL parameters were ignored and that defaults are used instead."""
    bad = st.session_state.pop("_url_rejects", None)
    if bad:
        listed = ", ".join(f"{k}={v!r}" for k, v in bad.items())
        st.info(t("common.url_notice", lang_code, params=listed), icon=":material/link_off:")


_SHARE_KEY = "_share_link_slot"


def _share_popover(lang_code: str) -> None:
    from urllib.parse import urlencode

    base = str(st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    with st.popover(t("common.share", lang_code), icon=":material/link:"):
        st.caption(t("common.share_help", lang_code))
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)


def share_link(lang_code: str) -> None:
    """A 'copy link' affordance: the view's full URL in a code box with a copy button. Drawn
    where it is called and redrawn by every later set_url() in the same run, so it never lags."""
    slot = st.empty()
    with slot.container():
        _share_popover(lang_code)
    st.session_state[_SHARE_KEY] = (slot, lang_code)


def reset_share_link() -> None:
    """Forget the previous run's slot (called by app.py at the start of every run)."""
    st.session_state.pop(_SHARE_KEY, None)
