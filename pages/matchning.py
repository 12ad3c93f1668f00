"""Matchning: Yrkesbarometern's shortage and paradox occupations, the level each assessment rests on,
how demanding they are to enter (SSYK skill level and the curated formal requirements) and which of
them the county's ASF train toward (a curated, committed mapping on Yrkesbarometern's occupations).
URL: ?omr= (yrkesområde slugs), ?kommun= (kommun codes), ?niva= (assessment levels), ?styrka=direkt."""

import streamlit as st

from atlas import matching as mt
from atlas import matching_tables as tables
from atlas import occupations as occ
from atlas.asf import URL_LABEL_RE, md_escape
from atlas.export.tables import file_name, to_csv_bytes, to_xlsx_bytes
from atlas.figures.matching import build_coverage_chart
from atlas.figures.spec import spec_key
from atlas.i18n import fmt_number, t
from atlas.ui.components import source_line
from atlas.ui.data import cached_builder, query
from atlas.ui.figure_card import figure_card
from atlas.ui.state import UrlState, county, lang

build_coverage_chart = cached_builder(build_coverage_chart)  # cached by its inputs
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STRENGTH_OPTIONS = ("alla", "direkt")

lang, lan = lang(), county()
url = UrlState("matchning", lang)


def k(key: str, **kw) -> str:
    return t(f"matchning.{key}", lang, **kw)


rel = query("match_release", region=lan)
name_col = "name_en" if lang == "en" else "name"
county_name = str(rel[name_col].iloc[0]) if not rel.empty else lan
st.title(k("title", county=county_name))
url.slots()
if lan != "20" or rel.empty:  # the ASF register and the mapping cover Dalarna only
    url.finish()
    st.info(k("other_county" if lan != "20" else "no_data"),
            icon=":material/public:" if lan != "20" else ":material/database:")
    st.stop()

omgang, taxonomi = str(rel["omgang"].iloc[0]), str(rel["taxonomi_version"].iloc[0])
as_of = k("as_of", omgang=omgang)
occupations = query("match_occupations", region=lan, omgang=omgang)
register = query("match_asf")
regions = query("regions", lan=lan)
kommun_rows = regions[regions["level"] == "kommun"]
kommun_names = dict(zip(kommun_rows["code"], kommun_rows[name_col]))
mapping, requirements, services = mt.load_mapping(), mt.load_requirements(), mt.load_services()
slugs = occ.area_slugs(occupations["yrkesomrade"])
all_active = mt.active_mapping(mapping, register)
per_kommun = mt.mapped_per_kommun(all_active)
level_counts = mt.assessment_counts(occupations)

# --- Filters bound to the URL; one notice for anything rejected ---------------------------------------
omr = url.many("mt_omr", "omr", list(slugs), [], max_items=50)
kommuner = url.many("mt_kommun", "kommun", list(kommun_names), [], max_items=50)
levels = url.many("mt_niva", "niva", list(level_counts), [], max_items=len(mt.ASSESSMENT_LEVELS))
styrka = url.one("mt_styrka", "styrka", STRENGTH_OPTIONS, "alla")
st.caption(k("release", omgang=omgang, taxonomi=taxonomi))
st.markdown(k("intro", county=county_name))
st.caption(":material/info: " + k("judgement"))
c_area, c_kommun = st.columns(2)
c_area.multiselect(k("filter_area"), list(slugs), format_func=slugs.get, key="mt_omr",
                   placeholder=k("filter_area_placeholder"))
c_kommun.multiselect(k("filter_kommun"), list(kommun_names), key="mt_kommun",
                     format_func=lambda c: k("kommun_option", name=kommun_names[c], n=per_kommun.get(c, 0)),
                     placeholder=k("filter_kommun_placeholder"))
c_level, c_strength = st.columns(2)
c_level.multiselect(k("filter_level"), list(level_counts), key="mt_niva", help=k("filter_level_help"),
                    format_func=lambda v: k("level_option", level=tables.assessment_label(v, lang), n=level_counts[v]),
                    placeholder=k("filter_level_placeholder"))
c_strength.segmented_control(k("filter_strength"), STRENGTH_OPTIONS, key="mt_styrka", help=k("filter_strength_help"),
                             format_func=lambda v: k(f"strength_option.{v}"))
unknown_place = sorted(set(all_active.loc[all_active["kommun_code"].fillna("") == "", "name"]), key=str.casefold)
if unknown_place:
    c_kommun.caption(k("kommun_filter_note", names=md_escape(", ".join(unknown_place))))
url.finish()

with st.expander(k("definitions_title"), icon=":material/help:"):
    st.markdown(k("definitions"))

# --- Coverage note, before any count -------------------------------------------------------------
unmapped = mt.unmapped_enterprises(register, mapping)
note = [f"**{k('coverage_title')}**", "",
        "- " + k("coverage_register", n_total=len(register), n_mapped=all_active["asf_id"].nunique()),
        "- " + k("coverage_judgement", n_rows=len(mapping), n_occ=mapping["yb_concept_id"].nunique(),
                 n_direct=int((mapping["strength"] == "direct").sum()),
                 n_partial=int((mapping["strength"] == "partial").sum()))]
if unmapped["no_business"]:
    note.append("- " + k("coverage_no_business", names=md_escape(", ".join(unmapped["no_business"]))))
if unmapped["not_mapped"]:
    note.append("- " + k("coverage_not_mapped", names=md_escape(", ".join(unmapped["not_mapped"]))))
note.append("- " + k("coverage_release", omgang=omgang, county=county_name))
st.info("\n".join(note), icon=":material/info:")

# --- The matching itself -------------------------------------------------------------------------
areas = [slugs[s] for s in omr]
shortage = mt.shortage_occupations(occupations, requirements, areas=areas, assessments=levels)
active = mt.active_mapping(mapping, register, kommuner=kommuner, strengths=["direct"] if styrka == "direkt" else [])
cov, gap, counts = mt.covered(shortage, active), mt.gaps(shortage, active), mt.coverage_counts(shortage, active)

m1, m2, m3 = st.columns(3)
m1.metric(k("kf_shortage"), fmt_number(len(shortage), lang))
m2.metric(k("kf_covered"), fmt_number(cov["yb_concept_id"].nunique(), lang))
m3.metric(k("kf_gaps"), fmt_number(len(gap), lang))
shown_levels = mt.assessment_counts(shortage)
st.caption(k("kf_levels", parts="; ".join(f"{tables.assessment_label(lv, lang)}: {fmt_number(n, lang)}"
                                           for lv, n in shown_levels.items()) or "..")
           + " " + (k("kf_filtered") if (omr or kommuner or levels or styrka != "alla") else k("kf_all")))

# (1) Shortage occupations that ASF train toward
st.subheader(k("covered_title"))
cov_named = tables.covered_table(cov, services, lang).rename(columns=lambda c: k(f"col.{c}"))
if cov.empty:
    st.info(k("covered_none"), icon=":material/filter_alt_off:")
else:
    st.caption(k("covered_caption", n_occ=fmt_number(cov["yb_concept_id"].nunique(), lang),
                 n_asf=fmt_number(cov["asf_id"].nunique(), lang)))
    st.dataframe(cov_named, hide_index=True, width="stretch", key="mt_covered", column_config={
        k("col.kalla"): st.column_config.LinkColumn(k("col.kalla"), display_text=URL_LABEL_RE),
        k("col.motivering"): st.column_config.TextColumn(k("col.motivering"), width="large"),
        k("col.verksamhet"): st.column_config.TextColumn(k("col.verksamhet"), width="medium"),
    })

# (2) Gaps: low entry requirements and no ASF
st.subheader(k("gaps_title"))
st.markdown(k("gaps_intro"))
gap_named = tables.entry_table(gap, lang).rename(columns=lambda c: k(f"col.{c}"))
link_col = {k("col.krav_kalla"): st.column_config.LinkColumn(k("col.krav_kalla"), display_text=URL_LABEL_RE),
            k("col.krav"): st.column_config.TextColumn(k("col.krav"), width="large")}
if gap.empty:  # none left, or none with low entry requirements to begin with
    st.info(k("gaps_none" if shortage["entry_level"].isin(mt.LOW_ENTRY).any() else "gaps_no_low"),
            icon=":material/check_circle:")
else:
    by_area = mt.gaps_by_area(gap)
    st.caption(k("gaps_caption", n=fmt_number(len(gap), lang), n_areas=fmt_number(len(by_area), lang)) + " "
               + k("gaps_by_area", parts="; ".join(f"{a}: {fmt_number(n, lang)}"
                                                    for a, n in zip(by_area["yrkesomrade"], by_area["n"]))))
    st.dataframe(gap_named, hide_index=True, width="stretch", key="mt_gaps", column_config=link_col,
                 height=min(38 + 35 * len(gap_named), 600))
entry_named = tables.entry_table(shortage, lang).rename(columns=lambda c: k(f"col.{c}"))
with st.expander(k("entry_title", n=fmt_number(len(shortage), lang)), icon=":material/school:"):
    st.caption(k("entry_caption"))
    st.dataframe(entry_named, hide_index=True, width="stretch", key="mt_entry", column_config=link_col)

# (3) Summary figure
what = "; ".join(x for x in [
    (k("filter_desc_area", n=len(omr)) if len(omr) > 1 else areas[0]) if omr else "",
    k("filter_desc_kommun", names=", ".join(kommun_names[c] for c in kommuner)) if kommuner else "",
    k("filter_desc_level", levels=", ".join(tables.assessment_label(lv, lang) for lv in levels)) if levels else "",
    k("filter_desc_strength") if styrka == "direkt" else "",
] if x)
figure_card(build_coverage_chart(counts, lang=lang, region_name=county_name, omgang=omgang, as_of=as_of,
                                 levels=shown_levels, filter_note=k("chart_filtered", what=what) if what else "",
                                 key=spec_key("matchning-tackning", lan, omgang, omr, kommuner, levels, styrka)), lang)

# (4) The review behind the mapping, and downloads of exactly the tables shown (made when clicked)
review = mt.load_review()
rc = mt.review_counts(review)
review_named = tables.review_table(review, register, lang).rename(columns=lambda c: k(f"col.{c}"))
with st.expander(k("review_title"), icon=":material/fact_check:"):
    st.markdown(k("review_intro", **rc))
    st.dataframe(review_named, hide_index=True, width="stretch", key="mt_review",
                 column_config={k("col.skal"): st.column_config.TextColumn(k("col.skal"), width="large")})

st.subheader(k("downloads_title"))
about = {t("common.source", lang): source_line(["yrkesbarometer", "curated_asf"], lang),
         t("common.period", lang): as_of, "Definition": k("definitions")}
stem = ["matchning", county_name, omgang]
map_named = tables.mapping_table(mapping, register, lang).rename(columns=lambda c: k(f"col.{c}"))
d1, d2, d3 = st.columns(3)
for col, frame, part, sheet in ((d1, cov_named, "asf-tranar-mot", "sheet_covered"), (d2, gap_named, "luckor", "sheet_gaps")):
    col.download_button(k(f"download_{sheet[6:]}_csv"), lambda f=frame: to_csv_bytes(f), on_click="ignore",
                        key=f"mt_dl_{part}_csv", file_name=file_name(*stem, part, ext="csv"), mime="text/csv",
                        icon=":material/table:")
    col.download_button(k(f"download_{sheet[6:]}_xlsx"), lambda f=frame, s=sheet: to_xlsx_bytes(f, sheet=k(s), about=about),
                        on_click="ignore", key=f"mt_dl_{part}_xlsx", file_name=file_name(*stem, part, ext="xlsx"),
                        mime=XLSX, icon=":material/grid_on:")
d3.download_button(k("download_mapping_csv"), lambda: to_csv_bytes(map_named), on_click="ignore", key="mt_dl_map_csv",
                   file_name=file_name("asf-yrkeskoppling", ext="csv"), mime="text/csv", icon=":material/dataset:")
d3.download_button(k("download_review_csv"), lambda: to_csv_bytes(review_named), on_click="ignore",
                   key="mt_dl_review_csv", file_name=file_name("asf-yrkeskoppling-granskning", ext="csv"),
                   mime="text/csv", icon=":material/fact_check:")

st.caption(source_line(["yrkesbarometer", "curated_asf"], lang, as_of=as_of))
