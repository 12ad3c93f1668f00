"""Vinsten av samarbete: a value calculator built the way social-value accounts are built. Inputs
(each with its source, or labelled as the user's own value), the societal gain and the budget effect
per actor as separate results (never added), every step from gross outcome to present value, the
band and what moves the result most, the price conversions, a published case reproduced, the method
and every sourced value with its quotation.

URL: one parameter per input (atlas.calculator.FIELDS: ?personer= ?lyckas= ?dodvikt= ?ranta= ...);
an optional amount without a value is ?skatt=.. ."""

import streamlit as st

from atlas import calculator as calc
from atlas import calculator_text as ct
from atlas.export.tables import file_name, to_csv_bytes
from atlas.figures.calculator import actor_split_spec, gain_over_time_spec, inputs_key, sensitivity_spec
from atlas.i18n import fmt_number, t
from atlas.ui import calculator as ui
from atlas.ui.data import query
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

lang, lan = lang(), county()
url = UrlState("vinst", lang)
INPUTS_HEIGHT = 900  # px: about as tall as the results beside it


def k(key: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


base = calc.defaults()
st.title(k("title"))
url.slots()
notice = st.container()
st.markdown(k("intro"))

col_in, col_out = st.columns([1, 1], gap="large")
with col_in:
    st.subheader(k("inputs_title"))
    st.caption(k("inputs_help"))
    st.button(k("reset"), on_click=ui.reset, args=(base,), icon=":material/restart_alt:", key="vinst-reset")
    context = ct.dalarna_context(query("asf_county_totals")) if lan == "20" else None
    if context:
        st.caption(k("dalarna_context", approx=k("approx") if context["approx"] else "",
                     employees=fmt_number(context["employees"], lang), training=fmt_number(context["work_training"], lang),
                     n=fmt_number(context["n_asf"], lang), publisher=f"[{context['publisher']}]({context['source_url']})",
                     year=context["year"]))
    with st.container(height=INPUTS_HEIGHT, border=True):  # the inputs scroll; the results stay beside them
        x = ui.read_inputs(url, base, lang)
url.finish()
with notice:
    ui.problems_notice(url, lang)

result = calc.compute(x)
band = calc.band(x)
sens = calc.sensitivity(x)
key = inputs_key(calc.to_query(x))
sources = [e["source_title"] for e in calc.parameters() if e["role"] == "default" and getattr(x, e["id"]) == e["value"]]
sources = list(dict.fromkeys(sources)) + ([k("own_values")] if calc.changed(x, base) else [])

with col_out:
    st.subheader(k("results_title"))
    st.caption(k("results_caption", base=x.price_base_year, rate=fmt_number(x.discount_pct, lang, 1),
                 period=ct.years_text(x.horizon_years, lang)))
    ui.key_results(x, result, band, lang)
    if sum(result.work_person_years) == 0 and x.persons_per_year and x.success_pct:
        st.info(k("no_work_caption", months=x.months_in_asf, period=ct.years_text(x.horizon_years, lang)),
                icon=":material/schedule:")

# --- Step by step ---------------------------------------------------------------------------------
st.subheader(k("steps_title"))
st.caption(k("steps_caption", base=x.price_base_year))
steps = ui.steps_section(x, result, lang)
st.download_button(k("download_steps"), lambda: to_csv_bytes(steps.rename(columns=lambda c: k(f"col_track.{c}"))),
                   on_click="ignore", key="vinst-dl-steps", file_name=file_name("vinst", "steg", key, ext="csv"),
                   mime="text/csv", icon=":material/table:")
with st.expander(k("yearly_title"), icon=":material/calendar_month:"):
    st.dataframe(ct.yearly_table(result, lang), hide_index=True, width="stretch", key="vinst-yearly")

chart_a, chart_b = st.columns(2)
with chart_a:
    figure_card(gain_over_time_spec(result, lang=lang, base_year=x.price_base_year, sources=sources, key=key), lang)
with chart_b:
    figure_card(actor_split_spec(result, lang=lang, base_year=x.price_base_year, sources=sources, key=key), lang)

# --- Uncertainty: the band and what moves the result most --------------------------------------------
st.subheader(k("uncertainty_title"))
st.markdown(k("uncertainty_intro", input=ct.input_label(sens[0]["name"], lang),
              low=ct.fmt_money(band["societal"]["low"], lang), high=ct.fmt_money(band["societal"]["high"], lang)))
figure_card(sensitivity_spec(sens, result.societal.total("present"), lang=lang, years=x.horizon_years,
                             base_year=x.price_base_year, sources=sources, key=key), lang)
ui.table(ct.sensitivity_table(sens, lang), lang, key="vinst-sens", prefix="sens")

# --- Prices -----------------------------------------------------------------------------------------
st.subheader(k("prices_title"))
kpi = calc.kpi_entry()
st.markdown(k("prices_intro", base=x.price_base_year, source=f"[{kpi['title_' + lang]}]({kpi['source_url']})",
              quote=kpi["quote"]))
ui.table(ct.price_table(x, lang), lang, key="vinst-prices", prefix="price_col",
         widths={"input": "medium", "note": "medium", "value": "small", "price_year": "small", "factor": "small"})

with st.container(border=True):
    st.markdown(f"#### {k('assumptions_title')}")
    st.markdown("\n".join(f"- {line}" for line in ct.assumptions(x, base, lang)))

# --- The published case --------------------------------------------------------------------------------
st.subheader(k("case_title"))
case = calc.published_case()
st.markdown(k("case_intro", labour=ct.fmt_money(case["labour_cost_month"], lang)))
ui.table(ct.published_table(case, lang), lang, key="vinst-case", prefix="case_col",
         widths={"measure": "medium", "why": "large", "quote": "large"})
st.caption(k("case_caption"))

with st.expander(k("method_title"), icon=":material/menu_book:"):
    st.markdown(k("method"))

st.subheader(k("sources_title"))
st.caption(k("sources_caption"))
ui.table(ct.sources_table(lang), lang, key="vinst-sources", prefix="src_col",
         widths={"param": "medium", "quote": "large", "note": "large"}, links=("url",))
