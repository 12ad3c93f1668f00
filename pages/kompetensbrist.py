"""Kompetensbrist: Arbetsförmedlingen's Yrkesbarometer per occupation, the county beside Riket,
with filters and search bound to the URL, a detail view, summary charts and the unassessed list."""

import streamlit as st

from atlas import occupations as occ
from atlas.figures.occupations import build_area_chart, build_comparison_chart
from atlas.i18n import fmt_number, t
from atlas.ui.components import freshness_notice, source_line
from atlas.ui.data import cached_builder, query
from atlas.asf import md_escape
from atlas.figures.spec import spec_key
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

# Figure specs cached by their inputs (a rerun with the same data does not rebuild them).
build_area_chart, build_comparison_chart = map(cached_builder, (build_area_chart, build_comparison_chart))

lang, lan = lang(), county()
K = "kompetensbrist."

# --- Which release and regions are there? -------------------------------------------------------
rel = query("yrke_releases", regions=[lan, "00"])
name_col, short_col = ("name_en", "short_name_en") if lang == "en" else ("name", "short_name")
lan_rows = rel[(rel["region_code"] == lan) & (rel["n_occupations"] > 0)]
riket_rows = rel[(rel["region_code"] == "00") & (rel["n_occupations"] > 0)]
lan_names = rel[rel["region_code"] == lan]
county_name = lan_names[name_col].iloc[0] if not lan_names.empty else lan
riket_names = rel.loc[rel["region_code"] == "00", name_col]
riket_name = riket_names.iloc[0] if not riket_names.empty else t(K + "riket", lang)

st.title(t(K + "title", lang, county=county_name))
url = UrlState("kompetensbrist", lang)
if lan_rows.empty and riket_rows.empty:
    st.info(t(K + "no_data", lang), icon=":material/database:")
    url.finish()
    st.stop()

riket_only = lan_rows.empty or lan == "00"
release = (riket_rows if riket_only else lan_rows).iloc[0]
omgang, taxonomi = str(release["omgang"]), str(release["taxonomi_version"])
region_short = t(K + "riket_inline", lang) if riket_only else str(lan_names[short_col].iloc[0])
as_of = t(K + "as_of", lang, omgang=omgang, taxonomi=taxonomi)

df = query("yrke_outlook", region=lan, omgang=omgang)
source_ids = sorted(df["source_id"].dropna().unique()) or ["yrkesbarometer"]  # live rows name their own source
ids = df.sort_values("yb_yrke")["yb_concept_id"].tolist()
by_id = df.set_index("yb_concept_id")
slugs = occ.area_slugs(df["yrkesomrade"])

head, share = st.columns([5, 1], vertical_alignment="bottom")
head.caption(t(K + "release", lang, omgang=omgang, taxonomi=taxonomi))
freshness_notice(lang, omgang=omgang)
with share:
    url.slots()  # the share link here, the bad-link notice under it (filled by url.finish())
if riket_only and lan != "00":
    st.info(t(K + "no_county", lang, county=county_name), icon=":material/public:")
st.markdown(t(K + ("intro_riket" if riket_only else "intro"), lang, n=fmt_number(len(df), lang), county=region_short))
if lang == "en":
    st.caption(t(K + "names_note", lang))

# --- Filters bound to the URL (validated against the data) ---------------------------------------
c_area, c_sit, c_q = st.columns(3)
omr = url.many("kb_omr", "omr", list(slugs), [], max_items=len(slugs))
c_area.multiselect(t(K + "filter_area", lang), list(slugs), format_func=slugs.get, key="kb_omr",
                   placeholder=t(K + "filter_area_placeholder", lang))
sit = url.many("kb_sit", "sit", list(occ.SITUATION_CODES), [], max_items=len(occ.SITUATION_CODES))
c_sit.multiselect(t(K + "filter_sit", lang, region=region_short), list(occ.SITUATION_CODES),
                  format_func=lambda c: occ.situation_label(c, lang), key="kb_sit",
                  placeholder=t(K + "filter_sit_placeholder", lang))
q = url.text("kb_q", "q", max_len=occ.MAX_SEARCH, clean=occ.clean_search)
c_q.text_input(t(K + "search", lang), max_chars=occ.MAX_SEARCH, key="kb_q",
               placeholder=t(K + "search_placeholder", lang), help=t(K + "search_help", lang))
yrke = url.one("kb_yrke", "yrke", ids, None)
with st.expander(t(K + "definitions_title", lang), icon=":material/help:"):
    st.markdown(t(K + "definitions", lang))

areas = [slugs[s] for s in omr]
shown = occ.sort_occupations(occ.filter_occupations(df, areas=areas, situations=sit, text=q,
                                                    riket_only=riket_only), riket_only)
notes = {  # the active filters in words, for the chart subtitles
    "omr": (t(K + "filter_desc_area", lang, n=len(omr)) if len(omr) > 1 else areas[0]) if omr else "",
    "sit": t(K + "filter_desc_sit", lang, sits=", ".join(occ.situation_label(c, lang, symbol=False) for c in sit))
    if sit else "",
    "q": t(K + "filter_desc_q", lang, q=q) if q else "",
}


def _filter_note(params) -> str:
    what = "; ".join(notes[p] for p in params if notes[p])
    return t(K + "chart_filtered", lang, what=what) if what else ""


# --- Main table; clicking a row opens its details below -----------------------------------------
st.subheader(t(K + "table_title", lang))
st.caption(t(K + "shown", lang, n=fmt_number(len(shown), lang), total=fmt_number(len(df), lang)))
if shown.empty:
    st.info(t(K + "none_match", lang), icon=":material/filter_alt_off:")
else:
    table = occ.display_table(shown, lang, riket_only=riket_only)
    table.columns = [t(K + f"col.{c}", lang, region=region_short) for c in table.columns]
    # Wide enough for each header to be read in full (Streamlit does not wrap headers); not pinned,
    # since a pinned column's text is drawn in low-contrast grey.
    fixed = {t(K + "col.yrke", lang): 240, t(K + "col.ssyk", lang): 70, t(K + "col.omrade", lang): 170}
    config = {c: st.column_config.TextColumn(width=fixed.get(c, max(100, int(7.4 * len(c)) + 28)))
              for c in table.columns}
    st.session_state["_kb_table_ids"] = shown["yb_concept_id"].tolist()

    def _open_row() -> None:
        rows = st.session_state["kb_table"].selection.rows
        if rows:
            st.session_state["kb_yrke"] = st.session_state["_kb_table_ids"][rows[0]]

    st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 560),
                 column_config=config, key="kb_table", on_select=_open_row, selection_mode="single-row")
    st.caption(t(K + "table_help", lang))

# --- Details for one occupation -------------------------------------------------------------------
st.subheader(t(K + "detail_title", lang))
st.selectbox(t(K + "detail_pick", lang), ids, index=None, key="kb_yrke",
             format_func=lambda i: f"{by_id.loc[i, 'yb_yrke']} ({by_id.loc[i, 'ssyk']})",
             placeholder=t(K + "detail_placeholder", lang))


def _assessment(row, region: str, *, riket: bool) -> None:
    """One region's assessment of the chosen occupation, then Arbetsförmedlingen's own sentence."""
    st.markdown(f"**{region}**")
    lines = occ.assessment_lines(row, lang, riket=riket)
    st.markdown("  \n".join(f"{label}: **{value}**" if i == 0 else f"{label}: {value}"
                             for i, (label, value) in enumerate(lines)))
    text = row["text_rekryteringssituation_riket" if riket else "text_rekryteringssituation"]
    st.caption(t(K + "detail_af_text", lang, region=region))
    # Arbetsförmedlingen's text and names are data: escaped, never read as Markdown
    st.markdown("> " + (md_escape(text) if isinstance(text, str) and text else t(K + "detail_no_text", lang)))


if yrke is not None:
    row = by_id.loc[yrke]
    with st.container(border=True):
        st.markdown(f"##### {md_escape(row['yb_yrke'])}")
        st.caption(t(K + "detail_ssyk", lang, ssyk=md_escape(row["ssyk"]), text=md_escape(row["ssyk_text"])) + " · "
                   + t(K + "detail_area", lang, area=md_escape(row["yrkesomrade"])))
        if riket_only:
            _assessment(row, riket_name, riket=True)
        else:
            left, right = st.columns(2)
            with left:
                if row["in_region"]:
                    _assessment(row, county_name, riket=False)
                else:
                    st.info(t(K + "detail_no_region", lang, county=county_name))
            with right:
                _assessment(row, riket_name, riket=True)

# --- Summary charts: situations per yrkesområde, and the county beside Riket --------------------
c_area, c_cmp = st.columns([3, 2]) if not riket_only else (st.container(), None)
if not shown.empty:
    with c_area:
        figure_card(build_area_chart(occ.counts_by_area(shown, riket_only), lang=lang,
                                     region_name=riket_name if riket_only else county_name, omgang=omgang,
                                     as_of=as_of, situations=sit, filter_note=_filter_note(notes),
                                     source_ids=source_ids,
                                     key=spec_key("kompetensbrist-omraden", lan, omgang, omr, sit, q)), lang)
same_set = occ.filter_occupations(df, areas=areas, text=q)
if c_cmp is not None and not same_set.empty:
    # The situation filter is left out: the county and Riket may differ for the same occupation.
    cmp_note = _filter_note(["omr", "q"]) + (t(K + "chart_cmp_note", lang) if sit else "")
    with c_cmp:
        figure_card(build_comparison_chart(occ.counts_county_vs_riket(same_set), lang=lang, region_name=county_name,
                                           riket_name=riket_name, omgang=omgang, as_of=as_of,
                                           filter_note=cmp_note, source_ids=source_ids,
                                           key=spec_key("kompetensbrist-jamforelse", lan, omgang, omr, q)), lang)

# --- Occupations without assessment (all of them, whatever the filters) --------------------------
none_col = "situation_riket" if riket_only else "situation"
base = df if riket_only else df[df["in_region"]]
unassessed = base[base[none_col].map(occ.situation_code) == "ingen"].sort_values("yb_yrke")
st.subheader(t(K + "unassessed_title", lang, region=region_short, n=fmt_number(len(unassessed), lang),
               total=fmt_number(len(base), lang)))
if unassessed.empty:
    st.markdown(t(K + "unassessed_none", lang, region=region_short, omgang=omgang))
else:
    st.caption(t(K + ("unassessed_intro_riket" if riket_only else "unassessed_intro"), lang, region=region_short,
                 omgang=omgang))
    keep = ["yrke", "ssyk", "omrade"] + ([] if riket_only else ["sit_riket"])  # Riket's own view for comparison
    listing = occ.display_table(unassessed, lang, riket_only=riket_only)[keep]
    listing.columns = [t(K + f"col.{c}", lang, region=region_short) for c in listing.columns]
    with st.expander(t(K + "unassessed_show", lang, n=fmt_number(len(unassessed), lang)), expanded=False):
        st.dataframe(listing, hide_index=True, width="stretch", key="kb_unassessed")

st.caption(source_line(source_ids, lang, as_of=as_of))

url.finish()  # the view in the URL (empty filters left out), the share link and the notice
