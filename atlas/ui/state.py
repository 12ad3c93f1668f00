"""Session and URL state: language and county, kept in st.query_params so links can be shared, and
each page's filters bound to the URL (``UrlState``).

Why not Streamlit's own binding (``bind="query-params"``, Streamlit 1.67) for language and county?
Tried in Chromium (a selectbox and a segmented control bound to ?lan= and ?lang=), it cannot express
our rule:
- it matches the URL against the *displayed* labels, not the option values: ?lan=03 and ?lang=en (the
  links already shared) are silently rejected, and the link it writes is ?lan=Uppsala%20län, whose
  label changes with the language (?lang=English, ?lan=Uppsala County);
- it removes the default from the URL (?lang=sv&lan=20 becomes a bare URL, also with index=None and
  the default put in st.session_state first), so a shared link would not carry the language and
  county it was made in;
- a bound parameter can no longer be written through st.query_params, and st.switch_page(query_params=)
  naming it raises StreamlitAPIException (Karta opens a profile with ?kommun=&lang=).
The raw value is readable before the widget is drawn, so the bad-link notice alone would have been
possible; the first two points are not. tests/ui/test_state.py keeps the first point checked, so a
Streamlit upgrade that changes it shows up.
"""

from __future__ import annotations

import streamlit as st

from atlas.i18n import LANGS, normalise_lang, t

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


# --- Filters bound to the URL: the primitives -------------------------------------------------------
# url_value/url_values/url_text read a filter from the URL, set_url(...) writes what the widgets
# return, url_notice and share_link draw the notice and the link. UrlState (below) builds on them;
# pages not yet moved to it call them directly. Anything in the URL that is not a valid option
# falls back to the default and is listed in one notice; nothing raises.

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


# --- One page's filters ---------------------------------------------------------------------------

APP_PARAMS = ("lang", "lan")  # written by the sidebar on every page (init_language, init_county)


def _page_params() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k not in APP_PARAMS}


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and value == "") or (isinstance(value, (list, tuple)) and not value)


class UrlState:
    """A page's filters bound to the URL. Made once per page run::

        url = UrlState("karta", lang)
        st.title(...); url.slots()                   # where the share link and the notice go
        ind = url.one("karta_ind", "ind", ids, ids[0])
        st.selectbox("...", ids, key="karta_ind")  # the widget shows the value put in its state
        ...
        url.finish()                                 # URL written, link and notice drawn

    Each picker method puts a valid value in the widget's state (drawn next with the same key) and
    returns it. Where the value comes from:
    - the URL, when it changed other than through this page's widgets (first visit, a shared link,
      a switch to this page), when the widget has no state (Streamlit forgets the state of a widget
      it did not draw: a section just opened, a picker that appears) or when its section has just
      been opened. A value the options do not hold is replaced by the default and named in the
      bad-link notice; an empty or absent parameter means the default, without a notice;
    - otherwise the widget's state: the user's own choice, kept as long as it is one of the options.
      A choice that no longer fits because the user changed what the options depend on (another
      picker, the county) is replaced by the default silently, since it is no bad link.
    Changes of ?lang= and ?lan= (the sidebar's language and county) do not count as a new URL.

    Pickers: one (a single value), many (a list, at most max_items), text (free text), flag (?p=1|0), span (a range
    in two parameters), fixed (a parameter whose picker is not drawn), section (which section of
    the page is shown; see there). ``page`` names the page; it keys the URL remembered between runs.
    finish() writes every value asked for (lists comma-separated; empty values remove their
    parameter), leaves the other parameters alone (another section's), then draws the share link
    and the notice.
    """

    def __init__(self, page: str, lang_code: str):
        self.lang = lang_code
        self._snapshot_key, self._shown_key = f"_url_{page}", f"_url_{page}_section"
        self.changed = st.session_state.get(self._snapshot_key) != _page_params()
        self._opened = False  # a section shown now that was not shown in the previous run
        self._section: str | None = None
        self._values: dict[str, object] = {}
        self._slots: tuple | None = None

    # --- where a value comes from ---
    def _from_url(self, key: str | None) -> bool:
        return self.changed or self._opened or (key is not None and key not in st.session_state)

    @staticmethod
    def _raw(param: str) -> str | None:
        raw = st.query_params.get(param)
        return None if raw in (None, "") else raw

    def _keep(self, key: str, param: str, value, url_text=None):
        st.session_state[key] = value
        self._values[param] = value if url_text is None else url_text
        return value

    # --- pickers ---
    def one(self, key: str, param: str, options, default):
        """One of ``options`` for widget ``key`` (selectbox, radio, segmented control), bound to ?param=."""
        options = list(options)
        if self._from_url(key):
            value = default if self._raw(param) is None else url_value(param, options, default)
        else:
            value = st.session_state[key]
            value = value if value in options else default  # a deselected control gives None
        return self._keep(key, param, value)

    def many(self, key: str, param: str, options, default: list, *, max_items: int) -> list:
        """Up to ``max_items`` of ``options`` for a multiselect, bound to ?param=a,b. A list emptied
        by changed options falls back to ``default``; a list the user emptied stays empty."""
        options = list(options)
        if self._from_url(key):
            value = list(default) if self._raw(param) is None else \
                url_values(param, options, default, max_items=max_items)
        else:
            current = st.session_state[key] or []
            value = [v for v in current if v in options][:max_items]
            value = value if value or not current else list(default)
        return self._keep(key, param, value)

    def text(self, key: str, param: str, *, max_len: int, clean=str.strip, valid=None) -> str:
        """Free text for a text input, bound to ?param= (only ever compared as text, so any
        characters are safe); a value longer than ``max_len``, or one ``valid`` refuses, is no link
        this page made: '' with the notice. ``clean`` normalises it (e.g. strip and cut)."""
        if self._from_url(key):
            raw = self._raw(param) or ""
            if len(raw) > max_len or (raw and valid is not None and not valid(raw)):
                _reject(param, raw)
                raw = ""
            value = clean(raw)
        else:
            value = clean(st.session_state[key] or "")
            value = value if valid is None or not value or valid(value) else ""
        return self._keep(key, param, value)

    def flag(self, key: str, param: str, default: bool) -> bool:
        """On/off for a toggle or checkbox, bound to ?param=1|0."""
        if self._from_url(key):
            value = default if self._raw(param) is None else \
                url_value(param, ["1", "0"], "1" if default else "0") == "1"
        else:
            value = bool(st.session_state[key])
        return self._keep(key, param, value, "1" if value else "0")

    def span(self, key: str, params: tuple[str, str], options: list) -> tuple:
        """(first, last) of the ordered ``options`` for a range slider, bound to two parameters (a
        range given backwards is turned round); the whole range by default."""
        whole = (options[0], options[-1])
        if self._from_url(key):
            ends = [d if self._raw(p) is None else url_value(p, options, d) for p, d in zip(params, whole)]
            value = (min(ends), max(ends))
        else:
            current = st.session_state[key]
            ok = isinstance(current, (tuple, list)) and len(current) == 2 and all(v in options for v in current)
            value = tuple(current) if ok else whole
        st.session_state[key] = value
        self._values.update(zip(params, value))
        return value

    def fixed(self, param: str, value) -> None:
        """A parameter whose picker is not drawn because ``value`` is the only choice: another
        value in a link gets the notice (the link asked for what the page cannot show); the
        parameter is dropped from the URL."""
        raw = self._raw(param)
        if self._from_url(None) and raw is not None and raw != str(value):
            _reject(param, raw)
        self._values[param] = None

    def section(self, key: str, param: str, sections: dict[str, tuple[str, ...]]) -> str:
        """The section to show, for a picker of ``sections`` (name -> its parameters, in page
        order) bound to ?param=. A link without it opens the first section whose parameters it
        carries. The other sections' parameters stay in the URL for the way back; the chosen
        section's pickers read the URL when it has just been opened."""
        names = list(sections)
        linked = next((s for s, params in sections.items() if any(self._raw(p) for p in params)), names[0])
        shown = st.session_state.get(self._shown_key)
        if self._from_url(key):
            value = linked if self._raw(param) is None else url_value(param, names, linked)
        else:
            value = st.session_state[key]
            if value not in sections:  # clicking the chosen option again deselects it: keep it
                value = shown if shown in sections else linked
        self._section, self._opened = value, shown != value
        return self._keep(key, param, value)

    # --- the URL, the share link and the notice ---
    def set(self, **values) -> None:
        """Record values for the URL that no picker method gave (an empty value removes the parameter)."""
        self._values.update(values)

    def slots(self) -> None:
        """Reserve the place of the share link and the bad-link notice (filled by finish())."""
        self._slots = (st.container(), st.container())

    def finish(self) -> None:
        """Write the recorded values to the URL, remember it as this page's own, draw the share
        link and the notice (where slots() was called, else here). Call it before any st.stop()."""
        set_url(**{k: v for k, v in self._values.items() if not _empty(v)})
        for k in [k for k, v in self._values.items() if _empty(v)]:
            st.query_params.pop(k, None)
        st.session_state[self._snapshot_key] = _page_params()
        if self._section is not None:
            st.session_state[self._shown_key] = self._section
        share, notice = self._slots or (st.container(), st.container())
        with share:
            share_link(self.lang)
        with notice:
            url_notice(self.lang)
