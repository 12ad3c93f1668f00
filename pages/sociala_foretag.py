"""Sociala företag (ASF): the register as a searchable table with a detail view, a map of known
enterprises per kommun, the county statements as dots (not a series), support organisations, and
a visible coverage note. URL: ?q= (search text), ?kommun= (codes or 'okand'), ?asf= (an asf_id)."""

import pandas as pd
import streamlit as st

from atlas import asf
from atlas.figures.asf import build_county_totals, build_kommun_map
from atlas.i18n import t
from atlas.ui.components import asf_statements_table, source_line
from atlas.ui.data import cached_builder, query
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

# Figure specs cached by their inputs (a rerun with the same data does not rebuild them).
build_county_totals, build_kommun_map = map(cached_builder, (build_county_totals, build_kommun_map))

lang, lan = lang(), county()


def k(key: str, **kw) -> str:
    return t(f"sociala_foretag.{key}", lang, **kw)


def md(text: object) -> str:
    """Curated text shown through st.markdown, with markdown/LaTeX characters made literal."""
    return asf.md_escape(text) if isinstance(text, str) and text.strip() else t("common.missing", lang)


def link(url: str) -> str:
    return f"[{asf.md_escape(asf.url_label(url))}]({asf.md_url(url)})"


register = query("asf_register")
counts = query("asf_kommun_counts", lan=lan)
names = dict(zip(register["asf_id"], register["name"]))
name_col = "name_en" if lang == "en" else "name"
kommun_names = dict(zip(counts["code"], counts[name_col]))
known_n = dict(zip(counts["code"], counts["n_asf"].astype(int)))
n_unknown = int(register["kommun_code"].map(asf.kommun_key).eq(asf.UNKNOWN).sum())

kommun_options = sorted(kommun_names, key=lambda c: kommun_names[c]) + [asf.UNKNOWN]

st.title(k("title"))
url = UrlState("sociala_foretag", lang)
url.slots()
st.markdown(k("intro"))

if lan != "20" or register.empty:  # the curated register covers Dalarna only
    st.info(k("other_county"))
    url.finish()
    st.stop()

# --- Coverage note: visible, before any count ---------------------------------------------------
cov = asf.coverage(register, query("asf_fact_counts"))
excluded = asf.excluded_organisations()
st.info("\n".join([
    f"**{k('coverage_title')}**", "",
    "- " + k("coverage_voluntary"),
    "- " + k("coverage_years", first=cov["first_year"] or "..", last=cov["last_year"] or "..",
             n_without_year=cov["n_without_year"], n_total=cov["n_total"]),
    "- " + k("coverage_truncated"),
    "- " + k("coverage_unknown", n_unknown=cov["n_unknown_kommun"], n_with_facts=cov["n_with_facts"],
             n_total=cov["n_total"]),
    "- " + k("coverage_status", names=md(", ".join(cov["status_not_stated"]) or "")),
    "- " + (k("coverage_excluded", names=md(", ".join(excluded))) if excluded else k("coverage_excluded_link")),
]), icon=":material/info:")

# --- Register: search, kommun filter, table, detail view -----------------------------------------
st.subheader(k("register_title", n=len(register)))
col_q, col_k = st.columns([3, 2])
q = url.text("asf_q", "q", max_len=asf.MAX_SEARCH, valid=asf.valid_search)
col_q.text_input(k("search_label"), key="asf_q", max_chars=asf.MAX_SEARCH,
                 placeholder=k("search_placeholder"), help=k("search_help"))
kommuner = url.many("asf_kommun", "kommun", kommun_options, [], max_items=len(kommun_options))
col_k.multiselect(
    k("kommun_filter"), options=kommun_options, key="asf_kommun", placeholder=k("kommun_all"),
    format_func=lambda c: (f"{k('unknown_kommun')} ({n_unknown})" if c == asf.UNKNOWN
                           else f"{kommun_names.get(c, c)} ({known_n.get(c, 0)})"),
)
shown = asf.filter_register(register, q=q, kommuner=kommuner, lang=lang)
table = pd.DataFrame({
    "name": shown["name"],
    "kommun": [asf.kommun_label(r, lang) for _, r in shown.iterrows()],
    "town": shown["town"],
    "line_of_business": shown[asf.lob_column(lang)],
    "source_url": shown["source_url"],
    "year": [asf.year_label(y, None, lang, missing=k("no_single_year")) for y in shown["year_of_statement"]],
    "year_note": shown["year_note"],
    "note": shown["asf_status_note"],
})
st.dataframe(
    table, hide_index=True, width="stretch", key="asf-register",
    column_config={
        "name": st.column_config.TextColumn(k("col_name"), width="medium"),
        "kommun": k("col_kommun"), "town": k("col_town"),
        "line_of_business": st.column_config.TextColumn(k("col_lob"), width="large"),
        "source_url": st.column_config.LinkColumn(k("col_source"), display_text=asf.URL_LABEL_RE),
        "year": st.column_config.TextColumn(k("col_year"), help=k("col_year_help")),
        "year_note": st.column_config.TextColumn(k("col_year_note_all"), help=k("col_notes_en")),
        "note": st.column_config.TextColumn(k("col_note"), help=k("col_note_help")),
    },
)
st.caption(k("showing", shown=len(shown), total=len(register)) + " " + source_line("curated_asf", lang))
if shown.empty:
    st.info(k("no_match"), icon=":material/search_off:")

order = register.sort_values("name", key=lambda s: s.str.casefold())["asf_id"].tolist()
detail = url.one("asf_detail", "asf", ["", *order], "")
st.selectbox(k("detail_label"), options=["", *order], key="asf_detail",
             format_func=lambda i: k("detail_none") if i == "" else names.get(i, i))
url.finish()  # the search, filter and detail in the URL (empty ones left out), the share link, the notice

if detail:
    row = register[register["asf_id"] == detail].iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {md(row['name'])}")
        lines = [
            (k("col_kommun"), md(asf.kommun_label(row, lang))),
            (k("field_kommun_note"), md(row["kommun_note"])),
            (k("col_town"), md(row["town"])),
            (k("col_lob"), md(row[asf.lob_column(lang)])),
            (k("field_name_note"), md(row["name_note"])),
            (k("col_note"), k("status_stated") if asf.blank(row["asf_status_note"]) else md(row["asf_status_note"])),
            (k("col_year"), md(asf.year_label(row["year_of_statement"], None, lang, missing=k("no_single_year")))),
            (k("col_year_note_all"), md(row["year_note"])),
            (k("field_primary_source"), link(row["source_url"])),
            (k("field_other_sources"), ", ".join(link(u) for u in asf.split_urls(row["other_source_urls"]))
             or t("common.missing", lang)),
        ]
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
        facts = query("asf_facts", asf_id=detail)
        st.markdown(f"**{k('facts_title')}**")
        if facts.empty:
            st.caption(k("no_facts"))
        else:
            st.dataframe(
                pd.DataFrame({
                    "measure": [asf.measure_label(m, lang) for m in facts["measure"]],
                    "value": [asf.fact_value(r, lang) for _, r in facts.iterrows()],
                    "approx": [k("answer_yes") if asf.is_true(a) else k("answer_no") for a in facts["approx"]],
                    "quote": facts["quote"],
                    "note": facts["note"],
                    "year": [asf.year_label(y, None, lang) for y in facts["year"]],
                    "year_note": facts["year_note"],
                    "source_url": facts["source_url"],
                }),
                hide_index=True, width="stretch", key="asf-facts",
                column_config={
                    "measure": k("col_measure"), "value": k("col_value"), "approx": k("col_approx"),
                    "quote": st.column_config.TextColumn(k("col_quote"), width="large", help=k("col_quote_help")),
                    "year": k("col_year"),
                    "year_note": st.column_config.TextColumn(k("field_year_note"), help=k("col_notes_en")),
                    "source_url": st.column_config.LinkColumn(k("col_source"), display_text=asf.URL_LABEL_RE),
                    "note": st.column_config.TextColumn(k("col_fact_note"), help=k("col_notes_en")),
                },
            )
            st.caption(k("facts_caption"))

# --- Map of known enterprises per kommun ---------------------------------------------------------
st.subheader(k("map_section"))
as_of = k("as_of_register", first=cov["first_year"] or "..", last=cov["last_year"] or "..")
spec = build_kommun_map(counts, lang=lang, n_unknown=n_unknown, n_total=len(register), as_of=as_of,
                        key=f"asf-karta-{lan}")
col_map, col_side = st.columns([3, 2])
with col_map:
    figure_card(spec, lang)
with col_side:
    with st.container(border=True):
        st.markdown(f"**{k('unknown_count', n=n_unknown)}**")
        unknown_names = register.loc[register["kommun_code"].map(asf.kommun_key) == asf.UNKNOWN, "name"]
        st.caption(md("; ".join(unknown_names)))
    ranked = counts.sort_values(["n_asf", name_col], ascending=[False, True])
    st.dataframe(
        pd.DataFrame({"kommun": ranked[name_col], "n_asf": ranked["n_asf"].astype(int), "names": ranked["names"]}),
        hide_index=True, width="stretch", key="asf-ranked",
        column_config={
            "kommun": k("col_kommun"),
            "n_asf": st.column_config.ProgressColumn(k("map_legend_plain"), format="%d", min_value=0,
                                                     max_value=max(int(ranked["n_asf"].max()), 1)),
            "names": st.column_config.TextColumn(k("col_enterprises"), width="medium"),
        },
    )
    st.caption(k("ranked_caption"))

# --- County statements: dots per statement + the table of every statement ------------------------
st.subheader(k("totals_section"))
totals = query("asf_county_statements")
figure_card(build_county_totals(totals, lang=lang, key=f"asf-lan-uttalanden-{lan}"), lang)


asf_statements_table(totals, lang, key="asf-totals")

# --- Support organisations -----------------------------------------------------------------------
st.subheader(k("support_section"))
st.markdown(k("support_intro"))
support = query("asf_support_organisations")
st.dataframe(
    pd.DataFrame({
        "name": support["name"],
        "role": support["role_en" if lang == "en" else "role_sv"],
        "kommun": support["kommun_name_en" if lang == "en" else "kommun_name"].fillna(""),
        "source_url": support["source_url"],
        "year_note": support["year_note"],
    }),
    hide_index=True, width="stretch", key="asf-support",
    column_config={
        "name": k("col_name"), "role": st.column_config.TextColumn(k("col_role"), width="large"),
        "kommun": k("col_kommun"),
        "source_url": st.column_config.LinkColumn(k("col_source"), display_text=asf.URL_LABEL_RE),
        "year_note": st.column_config.TextColumn(k("field_year_note"), help=k("col_notes_en")),
    },
)
st.caption(source_line("curated_asf", lang))
