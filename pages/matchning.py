"""Matchning: shortage and paradox occupations (Yrkesbarometern), how demanding they are to enter
(SSYK major group) and which of them the county's ASF train toward (a curated, committed mapping).
URL: ?omr= (yrkesområde slugs, comma-separated), ?kommun= (kommun codes, comma-separated)."""

import streamlit as st

from atlas import matching as mt
from atlas import occupations as occ
from atlas.asf import md_escape
from atlas.export.tables import file_name, to_csv_bytes, to_xlsx_bytes
from atlas.figures.matching import build_coverage_chart
from atlas.i18n import fmt_number, t
from atlas.ui.components import source_line
from atlas.ui.data import cached_builder, query
from atlas.figures.spec import spec_key
from atlas.ui.figure_card import figure_card
from atlas.ui.state import county, lang, set_url, share_link, url_notice, url_values

build_coverage_chart = cached_builder(build_coverage_chart)  # cached by its inputs

lang, lan = lang(), county()


def k(key: str, **kw) -> str:
    return t(f"matchning.{key}", lang, **kw)


rel = query("match_release", region=lan)
name_col = "name_en" if lang == "en" else "name"
county_name = str(rel[name_col].iloc[0]) if not rel.empty else lan
st.title(k("title", county=county_name))
share_link(lang)
if lan != "20":  # the ASF register and the mapping cover Dalarna only
    url_notice(lang)
    st.info(k("other_county"), icon=":material/public:")
    st.stop()
if rel.empty:
    url_notice(lang)
    st.info(k("no_data"), icon=":material/database:")
    st.stop()

omgang, taxonomi = str(rel["omgang"].iloc[0]), str(rel["taxonomi_version"].iloc[0])
as_of = k("as_of", omgang=omgang)
occupations = query("match_occupations", region=lan, omgang=omgang)
register = query("match_asf")
regions = query("regions", lan=lan)
kommun_rows = regions[regions["level"] == "kommun"]
kommun_names = dict(zip(kommun_rows["code"], kommun_rows[name_col]))
mapping = mt.load_mapping()
services = mt.load_services()
slugs = occ.area_slugs(occupations["yrkesomrade"])
all_active = mt.active_mapping(mapping, register)
per_kommun = mt.mapped_per_kommun(all_active)

# --- Filters from the URL, validated against the data; one notice for anything rejected ---------
omr = url_values("omr", list(slugs), [])
kommuner = url_values("kommun", list(kommun_names), [])
st.caption(k("release", omgang=omgang, taxonomi=taxonomi))
url_notice(lang)
st.markdown(k("intro", county=county_name))
st.caption(":material/info: " + k("judgement"))

for key, value in [("mt_omr", omr), ("mt_kommun", kommuner)]:
    if key not in st.session_state:  # the URL seeds the widgets once; afterwards the widgets lead
        st.session_state[key] = value
c_area, c_kommun = st.columns(2)
omr = c_area.multiselect(k("filter_area"), list(slugs), format_func=slugs.get, key="mt_omr",
                         placeholder=k("filter_area_placeholder"))
kommuner = c_kommun.multiselect(k("filter_kommun"), list(kommun_names), key="mt_kommun",
                                format_func=lambda c: k("kommun_option", name=kommun_names[c], n=per_kommun.get(c, 0)),
                                placeholder=k("filter_kommun_placeholder"))
unknown_place = sorted(set(all_active.loc[all_active["kommun_code"].fillna("") == "", "name"]), key=str.casefold)
if unknown_place:
    c_kommun.caption(k("kommun_filter_note", names=md_escape(", ".join(unknown_place))))
chosen = {"omr": omr, "kommun": kommuner}
set_url(**{p: v for p, v in chosen.items() if v})
for p, v in chosen.items():
    if not v and p in st.query_params:  # an empty filter is no filter: keep the link short
        del st.query_params[p]

with st.expander(k("definitions_title"), icon=":material/help:"):
    st.markdown(k("definitions"))

# --- Coverage note, before any count -------------------------------------------------------------
unmapped = mt.unmapped_enterprises(register, mapping)
note = [f"**{k('coverage_title')}**", "",
        "- " + k("coverage_register", n_total=len(register), n_mapped=all_active["asf_id"].nunique()),
        "- " + k("coverage_judgement", n_rows=len(mapping), n_lob=mapping["line_of_business_key"].nunique(),
                 n_ssyk=mapping["ssyk"].nunique())]
if unmapped["no_business"]:
    note.append("- " + k("coverage_no_business", names=md_escape(", ".join(unmapped["no_business"]))))
if unmapped["not_mapped"]:
    note.append("- " + k("coverage_not_mapped", names=md_escape(", ".join(unmapped["not_mapped"]))))
note.append("- " + k("coverage_release", omgang=omgang, county=county_name))
st.info("\n".join(note), icon=":material/info:")

# --- The matching itself -------------------------------------------------------------------------
areas = [slugs[s] for s in omr]
shortage = mt.shortage_occupations(occupations, areas=areas)
active = mt.active_mapping(mapping, register, kommuner=kommuner)
cov = mt.covered(shortage, active)
gap = mt.gaps(shortage, active)
counts = mt.coverage_counts(shortage, active)

m1, m2, m3 = st.columns(3)
m1.metric(k("kf_shortage"), fmt_number(len(shortage), lang))
m2.metric(k("kf_covered"), fmt_number(cov["yb_concept_id"].nunique(), lang))
m3.metric(k("kf_gaps"), fmt_number(len(gap), lang))
st.caption(k("kf_filtered") if (omr or kommuner) else k("kf_all"))

# (1) Shortage occupations that ASF train toward
st.subheader(k("covered_title"))
cov_table = mt.covered_table(cov, services, lang)
cov_named = cov_table.rename(columns=lambda c: k(f"col.{c}"))
if cov_table.empty:
    st.info(k("covered_none"), icon=":material/filter_alt_off:")
else:
    st.caption(k("covered_caption", n_occ=fmt_number(cov["yb_concept_id"].nunique(), lang),
                 n_asf=fmt_number(cov["asf_id"].nunique(), lang)))
    st.dataframe(cov_named, hide_index=True, width="stretch", key="mt_covered", column_config={
        k("col.kalla"): st.column_config.LinkColumn(k("col.kalla"), display_text=r"^https?://(?:www\.)?([^/?#]+)"),
        k("col.motivering"): st.column_config.TextColumn(k("col.motivering"), width="large"),
        k("col.verksamhet"): st.column_config.TextColumn(k("col.verksamhet"), width="medium"),
    })

# (2) Gaps: low entry requirements and no ASF
st.subheader(k("gaps_title"))
st.markdown(k("gaps_intro"))
gap_table = mt.gaps_table(gap, lang)
gap_named = gap_table.rename(columns=lambda c: k(f"col.{c}"))
if gap_table.empty:
    st.info(k("gaps_none"), icon=":material/check_circle:")
else:
    by_area = mt.gaps_by_area(gap)
    st.caption(k("gaps_caption", n=fmt_number(len(gap), lang), n_areas=fmt_number(len(by_area), lang)) + " "
               + k("gaps_by_area", parts="; ".join(f"{a}: {fmt_number(n, lang)}"
                                                    for a, n in zip(by_area["yrkesomrade"], by_area["n"]))))
    st.dataframe(gap_named, hide_index=True, width="stretch", key="mt_gaps",
                 height=min(38 + 35 * len(gap_named), 600))

# (3) Summary figure
what = "; ".join(x for x in [
    (k("filter_desc_area", n=len(omr)) if len(omr) > 1 else areas[0]) if omr else "",
    k("filter_desc_kommun", names=", ".join(kommun_names[c] for c in kommuner)) if kommuner else "",
] if x)
figure_card(build_coverage_chart(counts, lang=lang, region_name=county_name, omgang=omgang, as_of=as_of,
                                 filter_note=k("chart_filtered", what=what) if what else "",
                                 key=spec_key("matchning-tackning", lan, omgang, omr, kommuner)), lang)

# (4) Downloads of exactly the tables shown (made only when clicked)
st.subheader(k("downloads_title"))
about = {t("common.source", lang): source_line(["yrkesbarometer", "curated_asf"], lang),
         t("common.period", lang): as_of, "Definition": k("definitions")}
stem = ["matchning", county_name, omgang]
d1, d2, d3 = st.columns(3)
d1.download_button(k("download_covered_csv"), lambda: to_csv_bytes(cov_named), on_click="ignore", key="mt_dl_cov_csv",
                   file_name=file_name(*stem, "asf-tranar-mot", ext="csv"), mime="text/csv", icon=":material/table:")
d1.download_button(k("download_covered_xlsx"), lambda: to_xlsx_bytes(cov_named, sheet=k("sheet_covered"), about=about),
                   on_click="ignore", key="mt_dl_cov_xlsx", file_name=file_name(*stem, "asf-tranar-mot", ext="xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/grid_on:")
d2.download_button(k("download_gaps_csv"), lambda: to_csv_bytes(gap_named), on_click="ignore", key="mt_dl_gap_csv",
                   file_name=file_name(*stem, "luckor", ext="csv"), mime="text/csv", icon=":material/table:")
d2.download_button(k("download_gaps_xlsx"), lambda: to_xlsx_bytes(gap_named, sheet=k("sheet_gaps"), about=about),
                   on_click="ignore", key="mt_dl_gap_xlsx", file_name=file_name(*stem, "luckor", ext="xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/grid_on:")
map_named = mt.mapping_table(mapping, register, lang).rename(columns=lambda c: k(f"col.{c}"))
d3.download_button(k("download_mapping_csv"), lambda: to_csv_bytes(map_named), on_click="ignore", key="mt_dl_map_csv",
                   file_name=file_name("asf-ssyk-koppling", ext="csv"), mime="text/csv", icon=":material/dataset:")

st.caption(source_line(["yrkesbarometer", "curated_asf"], lang, as_of=as_of))
