"""Om datan: every source with provenance, the indicator catalogue, the ASF definition, citation."""

import streamlit as st

from atlas.i18n import MISSING, fmt_period, t
from atlas.ui.data import query
from atlas.ui.components import freshness_table
from atlas.ui.state import lang, view_url
from atlas.export.cite import make_citation
from atlas.ui.figure_card import citation_tabs
from atlas.ui.versions import show_versions, version_id

lang = lang()
st.title(t("about.title", lang))
st.markdown(t("about.intro", lang))

st.subheader(t("about.sources", lang))
src = query("sources")
title_col = "title_en" if lang == "en" else "title_sv"
# Which API delivered each live dataset (SCB PxWebApi 2 or PxWeb v1, Kolada v3, ...); files say so.
src = src.assign(api=[a if a else t("versions.api_unknown" if o == "live" else "versions.api_file", lang)
                      for a, o in zip(src["api"].fillna(""), src["origin"])])
st.dataframe(
    src[["id", "publisher", "api", title_col, "url", "licence", "retrieved_at", "rows", "sha256"]],
    hide_index=True, width="stretch",
    column_config={
        "id": t("about.col_id", lang), "publisher": t("about.col_publisher", lang),
        title_col: st.column_config.TextColumn(t("about.col_title", lang), width="large"),
        "api": st.column_config.TextColumn(t("versions.col_api", lang), width="medium"),
        "url": st.column_config.LinkColumn(t("about.col_url", lang)),
        "licence": t("about.col_licence", lang), "retrieved_at": t("about.col_retrieved", lang),
        "rows": t("about.col_rows", lang), "sha256": t("about.col_sha256", lang),
    },
)

st.subheader(t("about.indicators", lang))
cat_raw = query("indicator_coverage")
cat = cat_raw
label_col, def_col = ("label_en", "definition_en") if lang == "en" else ("label_sv", "definition_sv")
cat = cat.assign(first_period=cat["first_period"].map(lambda p: fmt_period(p, lang)),
                 last_period=cat["last_period"].map(lambda p: fmt_period(p, lang)),
                 unit=cat["unit"].map(lambda u: t(f"unit_names.{u}", lang)),
                 levels=cat["levels"].fillna(MISSING),  # an indicator not loaded has no levels: "..", not "None"
                 source_ids=cat["source_ids"].str.replace(",", ", "))
st.dataframe(
    cat[[label_col, "unit", "first_period", "last_period", "levels", "source_ids", def_col]],
    hide_index=True, width="stretch",
    column_config={
        label_col: t("about.col_label", lang), "unit": t("about.col_unit", lang),
        "first_period": t("about.col_first", lang), "last_period": t("about.col_last", lang),
        "levels": t("about.col_levels", lang), "source_ids": t("about.col_source", lang),
        def_col: st.column_config.TextColumn(t("about.col_definition", lang), width="large"),
    },
)

missing = cat_raw[cat_raw["live_only"] & (cat_raw["n_values"] == 0)]
if not missing.empty:
    st.caption(t("about.not_loaded", lang, n=len(missing), names=", ".join(missing[label_col])))

st.subheader(t("freshness.title", lang))
st.caption(t("freshness.intro", lang))
st.dataframe(freshness_table(cat_raw, src, lang), hide_index=True, width="stretch")

st.subheader(t("about.asf_definition_title", lang))
st.markdown(t("about.asf_definition", lang))

st.subheader(t("about.citation_title", lang))
info = dict(zip(*query("build_info").to_dict("list").values()))
built_at = info.get("built_at", "")
st.markdown(t("about.citation", lang))
# The one citation (atlas.export.cite, as on every figure card and in every download), naming the version
citation_tabs(make_citation(lang, title=t("about.citation_cited", lang), url=view_url(), version=version_id()),
              lang, key="om-datan", stem=["inkluderingsatlas"])
st.caption(t("about.built", lang, built_at=built_at.replace("T", " ").replace("+00:00", " UTC")))

show_versions(lang)
