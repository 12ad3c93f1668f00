"""The value calculator's Streamlit parts: every input bound to the URL with its source (or the
label that it is the user's own value) right under it, and the result sections. pages/vinst.py puts
them in order; the model and the words are atlas.calculator and atlas.calculator_text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import calculator as calc
from atlas import calculator_text as ct
from atlas.asf import md_escape, md_url
from atlas.i18n import fmt_number, t
from atlas.ui.state import UrlState

KEY = {f.name: f"vinst_{f.name}" for f in calc.FIELDS}
SLIDERS = {"share_employed_pct", "success_pct", "mix_bistand_pct", "mix_ohalsa_pct", "mix_arbetsloshet_pct",
           "deadweight_pct", "attribution_pct", "displacement_pct", "dropoff_pct"}
GROUPS = {
    "group_people": ("persons_per_year", "share_employed_pct", "months_in_asf", "success_pct", "horizon_years",
                     "intake"),
    "group_mix": ("mix_bistand_pct", "mix_ohalsa_pct", "mix_arbetsloshet_pct"),
    "group_values": ("labour_cost_month", "bistand_household_year", "households_per_person", "fk_ohalsa_year",
                     "af_arbetsloshet_year", "tax_year", "region_year", "stat_year", "person_year"),
    "group_adjust": ("deadweight_pct", "attribution_pct", "displacement_pct", "dropoff_pct", "discount_pct",
                     "price_base_year"),
}


def _k(key: str, lang: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


def _link(title: str, url: str) -> str:
    return f"[{title}]({md_url(url)})" if url else title


def _quotes(e: dict) -> str:
    return " / ".join(f"”{q}”" for q in e.get("quote") or [])


def caption(name: str, value: object, lang: str) -> None:
    """The lines under an input: its source, group, year, price year and kind (or that no source
    gives a value, so the value is the user's), whether it was changed, and its low/high cases."""
    e = calc.starting_entry(name)
    lines = []
    if e is None:  # a model choice
        lines.append(_k(f"choice.{name}", lang))
    elif e["role"] == "unsourced":
        lines.append(_k("unsourced_line", lang, note=str(e["note_" + lang]).strip()))
    else:
        if value != e["value"]:
            lines.append(_k("own_value", lang, default=ct.plain_value(name, e["value"], lang)))
        lines.append(_k("source_line", lang, source=_link(e["source_title"], e["source_url"]),
                        population=str(e["population_" + lang]).strip()))
        price = "" if e.get("price_year") is None and e["unit"] not in ("kr_month", "kr_year", "kr_household_year") \
            else _k("price_line", lang, year=e["price_year"] or _k("price.unknown", lang))
        lines.append(_k("year_line", lang, year=e["year_" + lang], kinds=", ".join(ct.kind_labels(e, lang))) + price)
        if e.get("derivation"):
            lines.append(_k("derived_line", lang, text=e["derivation"]["text_" + lang]))
    low, high = calc.entries("low").get(name), calc.entries("high").get(name)
    if low and high:
        lines.append(_k("band_line", lang, low=ct.plain_value(name, low["value"], lang),
                        low_src=_link(_k("source_word", lang), low.get("source_url", "")),
                        high=ct.plain_value(name, high["value"], lang),
                        high_src=_link(_k("source_word", lang), high.get("source_url", ""))))
    st.caption("  \n".join(lines))


def _help(name: str, lang: str) -> str | None:
    e = calc.starting_entry(name)
    if e is None or e["role"] == "unsourced":
        return None
    return f"{_k('quote_help', lang, quotes=_quotes(e))}\n\n{str(e['note_' + lang]).strip()}"


def _widget(url: UrlState, name: str, base: calc.Inputs, lang: str):
    f, key, label = calc.FIELD[name], KEY[name], ct.input_label(name, lang)
    default = getattr(base, name)
    if f.choices:
        value = url.one(key, f.url, list(f.choices), default)
        if name == "intake":
            st.radio(label, list(f.choices), key=key, format_func=lambda v: _k(f"intake.{v}", lang), horizontal=True)
        elif name == "horizon_years":
            st.radio(label, list(f.choices), key=key, horizontal=True, format_func=lambda n: _k("horizon_option", lang, n=n),
                     help=_k("horizon_help", lang))
        else:
            st.selectbox(label, list(f.choices), key=key, help=_k("base_year_help", lang))
    else:
        value = url.number(key, f.url, f.lo, f.hi, default, decimals=f.decimals, optional=f.optional)
        if name in SLIDERS:
            st.slider(label, min_value=int(f.lo), max_value=int(f.hi), step=1, key=key, help=_help(name, lang))
        elif f.decimals:
            st.number_input(label, min_value=float(f.lo), max_value=float(f.hi), step=0.1, format="%.1f", key=key,
                            help=_help(name, lang))
        else:
            st.number_input(label, min_value=int(f.lo), max_value=int(f.hi), step=1 if f.hi <= 10_000 else 100,
                            key=key, help=_help(name, lang), placeholder=_k("missing_placeholder", lang))
            value = st.session_state[key]
    caption(name, value, lang)
    return value


def reset(base: calc.Inputs) -> None:
    """Put every input back to its starting value (a button's on_click)."""
    for f in calc.FIELDS:
        st.session_state[KEY[f.name]] = getattr(base, f.name)


def read_inputs(url: UrlState, base: calc.Inputs, lang: str) -> calc.Inputs:
    """Draw every input group (in the current container) and return the inputs they hold."""
    values = {}
    for group, names in GROUPS.items():
        with st.container(border=True):
            st.markdown(f"**{_k(group, lang)}**")
            if group in ("group_mix", "group_adjust"):
                st.caption(_k(f"{group}_help", lang))
            for name in names:
                values[name] = _widget(url, name, base, lang)
            if group == "group_mix":
                total = sum(values[n] or 0 for n in names)
                if total != 100:
                    st.warning(_k("mix_warning", lang, total=fmt_number(total, lang)), icon=":material/percent:")
    fixed = {}
    for f in calc.FIELDS:  # a cleared required number falls back to its starting value
        v = values[f.name]
        fixed[f.name] = getattr(base, f.name) if v is None and not f.optional else v
    return calc.Inputs(**fixed)


def problems_notice(url: UrlState, lang: str) -> None:
    """One notice for the numbers in the link that could not be used as given, saying what was used."""
    if not url.problems:
        return
    by_url = {f.url: f.name for f in calc.FIELDS}
    items = [_k(f"notice_{reason}", lang, param=param, raw=md_escape(raw),
                used=ct.plain_value(by_url[param], used, lang)) for param, (raw, used, reason) in url.problems.items()]
    st.info(_k("notice", lang, items="; ".join(items)), icon=":material/link_off:")


# --- Results --------------------------------------------------------------------------------------

def money_frame(df: pd.DataFrame, lang: str, columns: list[str]) -> pd.DataFrame:
    """``df`` with the kronor columns written as money ('..' where unknown)."""
    out = df.copy()
    for c in columns:
        out[c] = [ct.fmt_money(v, lang) if v is not None and v == v else ".." for v in df[c]]
    return out


def key_results(x: calc.Inputs, r: calc.Result, band: dict, lang: str) -> None:
    """The present values: the societal gain with its band, then the budget effect per actor and the
    public sum (a lower bound when actors lack a value), the person apart; never added."""
    period = ct.years_text(x.horizon_years, lang)
    with st.container(border=True):
        st.markdown(f"#### {_k('societal_title', lang)}")
        b = band["societal"]
        st.metric(_k("metric_societal", lang, period=period), ct.fmt_money(r.societal.total("present"), lang),
                  help=_k("metric_societal_help", lang))
        st.caption(_k("band_caption", lang, low=ct.fmt_money(b["low"], lang), high=ct.fmt_money(b["high"], lang)))
    st.warning(_k("never_add", lang), icon=":material/block:")
    with st.container(border=True):
        st.markdown(f"#### {_k('budget_title', lang)}")
        cols = st.columns(2)
        for i, actor in enumerate(calc.PUBLIC):
            tr = r.budget[actor]
            cols[i % 2].metric(_k(f"actors_short.{actor}", lang), ct.fmt_money(None if tr is None else tr.total("present"), lang),
                               help=_k(f"actors.{actor}", lang))
        missing = [_k(f"actors.{a}", lang) for a in r.missing_actors if a in calc.PUBLIC]
        b = band["public"]
        st.metric(_k("metric_public", lang, period=period), ct.fmt_money(r.public_present, lang),
                  help=_k("public_help", lang, missing=_k("public_missing", lang, actors=", ".join(missing)) if missing else ""))
        st.caption(_k("band_caption", lang, low=ct.fmt_money(b["low"], lang), high=ct.fmt_money(b["high"], lang))
                   + (" " + _k("missing_caption", lang) if missing else ""))
    person = r.budget["person"]
    st.metric(_k("metric_person", lang, period=period), ct.fmt_money(None if person is None else person.total("present"), lang),
              help=_k("actors.person", lang))


def steps_section(x: calc.Inputs, r: calc.Result, lang: str) -> pd.DataFrame:
    """The step table (each step summed over the years, per track) with one line per step saying
    what it does; returns the numeric table (for the download)."""
    table = ct.step_table(r, lang)
    shown = [c for c in ["societal", "public", *calc.ACTORS] if c in ("societal", "public") or r.budget.get(c) is not None]
    named = money_frame(table, lang, shown)[["step", *shown]]
    st.dataframe(named.rename(columns=lambda c: _k(f"col_track.{c}", lang)), hide_index=True, width="stretch",
                 key="vinst-steps")
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(ct.step_explanations(x, lang), start=1)))
    return table


def table(df: pd.DataFrame, lang: str, *, key: str, prefix: str, widths: dict | None = None, links=()) -> None:
    """A read-only table whose columns are named t('vinst.<prefix>.<column>'); ``widths``: column ->
    'small' | 'medium' | 'large'."""
    config = {c: st.column_config.TextColumn(_k(f"{prefix}.{c}", lang), width=w) for c, w in (widths or {}).items()}
    config.update({c: st.column_config.LinkColumn(_k(f"{prefix}.{c}", lang)) for c in links})
    config.update({c: _k(f"{prefix}.{c}", lang) for c in df.columns if c not in config})
    st.dataframe(df, hide_index=True, width="stretch", key=key, column_config=config,
                 height=min(38 + 35 * len(df), 640))
