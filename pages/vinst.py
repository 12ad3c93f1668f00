"""Vinsten av samarbete: a value calculator for seminars. Inputs (every one changeable, each with its
source, population and year beside it), the societal gain and the public-budget gain per actor as
two separate results (never added), two charts, the assumptions written from the inputs, the method
in plain words and every sourced value with its quotation.

URL: ?personer= ?anstallda= ?manader= ?lyckas= ?ar= (1, 3, 5, 10) ?intag= (en, varje) ?lonekostnad=
?kommun= ?fkaf= ?skatt= ?region= (empty = no value). See atlas.calculator.FIELDS for the ranges."""

import pandas as pd
import streamlit as st

from atlas import calculator as calc
from atlas.figures.calculator import actor_split_spec, gain_over_time_spec
from atlas.i18n import fmt_number, t
from atlas.ui.data import query
from atlas.ui.figure_card import figure_card
from atlas.ui.state import county, lang, set_url, share_link, url_notice

lang, lan = lang(), county()
INPUTS_HEIGHT = 850  # px: about as tall as the key figures beside it


def k(key: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


base = calc.defaults()
entries = calc.default_entries()
from_url, problems = calc.parse_query(st.query_params.to_dict(), base)
KEY = {f.name: f"vinst_{f.name}" for f in calc.FIELDS}
for f in calc.FIELDS:  # widgets start from the link; afterwards they keep their own state
    if KEY[f.name] not in st.session_state:
        st.session_state[KEY[f.name]] = getattr(from_url, f.name)

st.title(k("title"))
share_link(lang)
url_notice(lang)
if problems:  # the rejected text is echoed with markdown made literal (a link cannot inject a link)
    items = [k(f"notice_{p.reason}", param=name, raw=calc.md_literal(p.raw), used=calc.plain_value(
        next(f.name for f in calc.FIELDS if f.url == name), p.used, lang)) for name, p in problems.items()]
    st.info(k("notice", items="; ".join(items)), icon=":material/link_off:")
st.markdown(k("intro"))


def reset() -> None:
    for f in calc.FIELDS:
        st.session_state[KEY[f.name]] = getattr(base, f.name)


def use(name: str, value: int) -> None:
    st.session_state[KEY[name]] = value


def quote_help(name: str) -> str | None:
    e = entries.get(name)
    if e is None:
        return None
    quotes = " / ".join(f"”{q}”" for q in e["quote"])
    return f"{k('quote_help', quotes=quotes)}\n\n{e['note_' + lang].strip()}"


def source_caption(name: str, value: object) -> None:
    """The visible source lines under an input: own value, source, population, year, kind."""
    e = entries.get(name)
    if e is None:  # the region: no source gives a value
        st.caption(k("no_source_value") if value is None else t("vinst.assume.own", lang,
                   label=k(f"inputs.{name}"), new=calc.plain_value(name, value, lang)))
        return
    lines = []
    if value != e["value"]:
        lines.append(k("own_value", default=calc.plain_value(name, e["value"], lang)))
    lines.append(k("source_line", title=e["source_title"], url=e["source_url"],
                   population=e["population_" + lang].strip()))
    lines.append(k("year_line", year=e["year_" + lang], price_year=e["price_year_" + lang],
                   kinds=", ".join(calc.kind_labels(e, lang))))
    if e.get("derivation"):
        lines.append(k("derived_line", text=e["derivation"]["text_" + lang]))
    st.caption("  \n".join(lines))


def alternatives(name: str) -> None:
    for alt in calc.alternatives_for(name):
        shown = f"{fmt_number(alt['value'], lang)} {k('units.' + alt['unit'])}"
        st.caption(k("alternative_line", value=shown, label=alt["label_" + lang], url=alt["source_url"],
                     year=alt["year_" + lang], kinds=", ".join(calc.kind_labels(alt, lang)),
                     note=alt["note_" + lang].strip()))
        st.button(k("use_alternative", value=shown), key=f"vinst-alt-{alt['id']}", type="tertiary",
                  icon=":material/input:", on_click=use, args=(name, int(alt["value"])))


def number(name: str, step: int, **kw) -> int | None:
    f = calc.FIELD[name]
    value = st.number_input(k(f"inputs.{name}"), min_value=f.lo, max_value=f.hi, step=step,
                            key=KEY[name], help=quote_help(name), **kw)
    source_caption(name, value)
    return value


def slider(name: str) -> int:
    f = calc.FIELD[name]
    value = st.slider(k(f"inputs.{name}"), min_value=f.lo, max_value=f.hi, step=1, key=KEY[name],
                      help=quote_help(name))
    source_caption(name, value)
    return value


col_in, col_out = st.columns([1, 1], gap="large")
with col_in:
    st.subheader(k("inputs_title"))
    st.caption(k("inputs_help"))
    st.button(k("reset"), on_click=reset, icon=":material/restart_alt:", key="vinst-reset")
# The inputs scroll inside their own box so the results stay beside them while values change.
inputs_box = col_in.container(height=INPUTS_HEIGHT, border=True)
with inputs_box:
    with st.container(border=True):
        st.markdown(f"**{k('group_people')}**")
        persons = number("persons_per_year", 1)
        context = calc.dalarna_context(query("asf_county_totals")) if lan == "20" else None
        if context:
            st.caption(k("dalarna_context", approx=k("approx") if context["approx"] else "",
                         employees=fmt_number(context["employees"], lang),
                         training=fmt_number(context["work_training"], lang),
                         n=fmt_number(context["n_asf"], lang),
                         publisher=f"[{context['publisher']}]({context['source_url']})", year=context["year"]))
        alternatives("persons_per_year")
        employed = slider("share_employed_pct")
        months = slider("months_in_asf")
        success = slider("success_pct")
        alternatives("success_pct")
        horizon = st.radio(k("inputs.horizon_years"), options=list(calc.HORIZONS), horizontal=True,
                           key=KEY["horizon_years"], format_func=lambda n: k("horizon_option", n=n),
                           help=k("horizon_help"))
        source_caption("horizon_years", horizon)
        intake = st.radio(k("inputs.intake"), options=list(calc.INTAKES), key=KEY["intake"],
                          format_func=lambda v: k(f"intake.{v}"))
        st.caption(k("intake_help"))
    with st.container(border=True):
        st.markdown(f"**{k('group_values')}**")
        labour = number("labour_cost_month", 100)
        st.caption(k("yearly_line", value=calc.fmt_money(12 * labour if labour is not None else None, lang)))
        kommun = number("kommun_kr_year", 1000)
        alternatives("kommun_kr_year")
        fk_af = number("fk_af_kr_year", 1000)
        tax = number("tax_kr_year", 1000)
        region = number("region_kr_year", 1000, placeholder=k("region_placeholder"))

# A cleared required field falls back to its source value (number_input allows clearing).
inputs = calc.Inputs(
    persons_per_year=persons if persons is not None else base.persons_per_year,
    share_employed_pct=employed, months_in_asf=months, success_pct=success,
    horizon_years=horizon if horizon in calc.HORIZONS else base.horizon_years,
    intake=intake if intake in calc.INTAKES else base.intake,
    labour_cost_month=labour if labour is not None else base.labour_cost_month,
    kommun_kr_year=kommun, fk_af_kr_year=fk_af, tax_kr_year=tax, region_kr_year=region,
)
set_url(**calc.to_query(inputs))
result = calc.compute(inputs)
years = inputs.horizon_years
period = calc.years_text(years, lang)

with col_out:
    st.subheader(k("results_title"))
    with st.container(border=True):
        st.markdown(f"#### {k('societal_title')}")
        if years == 1:
            st.metric(k("metric_only_year"), calc.fmt_money(result.societal_by_year[0], lang))
        else:
            c1, c2 = st.columns(2)
            c1.metric(k("metric_year", year=1), calc.fmt_money(result.societal_by_year[0], lang))
            c2.metric(k("metric_year", year=years), calc.fmt_money(result.societal_by_year[-1], lang))
            st.metric(k("metric_total", years=years), calc.fmt_money(result.societal_total, lang))
        st.caption(k("societal_caption", work=fmt_number(sum(result.work_person_years), lang, 1),
                     asf=fmt_number(sum(result.asf_employed_person_years), lang, 1), period=period))
    st.warning(k("never_add"), icon=":material/block:")
    with st.container(border=True):
        st.markdown(f"#### {k('budget_title')}")
        cols = st.columns(2)
        for i, actor in enumerate(calc.ACTORS):
            value = result.budget_total[actor]
            cols[i % 2].metric(k("metric_actor", actor=k(f"actors_short.{actor}"), period=period),
                               calc.fmt_money(value, lang), help=k(f"actors.{actor}"))
        missing = ", ".join(k(f"actors.{a}") for a in result.missing_actors)
        st.metric(k("metric_public_total", period=period), calc.fmt_money(result.public_budget_total, lang),
                  help=k("public_total_help", missing=k("public_total_missing", actors=missing) if missing else ""))
        st.caption(k("budget_caption", period=period) + (" " + k("missing_caption") if missing else ""))
        if sum(result.work_person_years) == 0 and inputs.persons_per_year and inputs.success_pct:
            st.info(k("no_work_caption", months=inputs.months_in_asf, period=period), icon=":material/schedule:")

with st.container(border=True):
    st.markdown(f"#### {k('assumptions_title')}")
    st.markdown("\n".join(f"- {line}" for line in calc.assumptions(inputs, base, lang)))

societal_inputs = ["persons_per_year", "share_employed_pct", "months_in_asf", "success_pct", "labour_cost_month"]
budget_inputs = ["persons_per_year", "months_in_asf", "success_pct", *calc.ACTOR_FIELD.values()]
chart_a, chart_b = st.columns(2)
with chart_a:
    figure_card(gain_over_time_spec(result, lang=lang, sources=calc.sources_used(inputs, base, societal_inputs, lang)),
                lang)
with chart_b:
    figure_card(actor_split_spec(result, lang=lang, sources=calc.sources_used(inputs, base, budget_inputs, lang)),
                lang)

with st.container(border=True):
    st.subheader(k("method_title"))
    st.markdown(k("method"))

st.subheader(k("sources_title"))
st.caption(k("sources_caption"))
rows = []
for e in calc.parameters():
    value = (f"{fmt_number(e['value'], lang)} {k('units.' + e['unit'])}" if e.get("value") is not None
             else e.get("value_" + lang, ".."))
    if e["role"] == "default":
        what = k(f"inputs.{e['id']}")
    elif e["role"] == "reference":
        what = e["label_" + lang]
    else:  # an alternative value for the input named in `for`
        what = f"{k('inputs.' + e['for'])}: {e['label_' + lang]}"
    rows.append({
        "param": what, "value": value, "quote": " / ".join(e["quote"]), "source": e["source_title"],
        "url": e["source_url"], "year": e["year_" + lang], "price_year": e["price_year_" + lang],
        "kinds": ", ".join(calc.kind_labels(e, lang)), "role": k(f"roles.{e['role']}"),
        "population": e["population_" + lang].strip(), "note": e["note_" + lang].strip(), "row": e["row"],
    })
st.dataframe(
    pd.DataFrame(rows), hide_index=True, width="stretch", key="vinst-sources", height=35 * (len(rows) + 1) + 3,
    column_config={
        "param": st.column_config.TextColumn(k("col_param"), width="medium"), "value": k("col_value"), "role": k("col_role"),
        "kinds": k("col_kinds"), "year": k("col_year_src"), "price_year": k("col_price_year"),
        "population": st.column_config.TextColumn(k("col_population"), width="medium"),
        "quote": st.column_config.TextColumn(k("col_quote"), width="large", help=k("quote_col_help")),
        "note": st.column_config.TextColumn(k("col_note"), width="large"),
        "source": k("col_source"), "url": st.column_config.LinkColumn(k("col_url")), "row": k("col_row"),
    },
)
