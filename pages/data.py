"""Data och nedladdning: filtered research downloads with definitions, sources and citation."""

import pandas as pd
import streamlit as st

from atlas.db import load_query
from atlas.downloads import observation_bundle, shape_observations, table_bundle
from atlas.export.metadata import citation
from atlas.export.tables import file_name, to_csv_bytes, to_parquet_bytes, to_xlsx_bytes
from atlas.i18n import fmt_period, t
from atlas.ui.data import indicators, query
from atlas.ui.state import UrlState, county, lang
from atlas.ui.versions import version_id

lang, lan = lang(), county()
PREVIEW_ROWS = 1000

st.title(t("download.title", lang))
url = UrlState("data", lang)
url.slots()  # the share link, then the bad-link notice (filled once the filters are read)
st.markdown(t("download.intro", lang))


def download_row(df: pd.DataFrame, stem: list, *, key: str, bundle=None) -> None:
    """CSV, semicolon CSV, XLSX, Parquet (and ZIP) buttons; bytes are built only on click."""
    cols = st.columns(5 if bundle else 4)
    cols[0].download_button(t("download.csv", lang), lambda: to_csv_bytes(df), file_name=file_name(*stem, ext="csv"),
                            mime="text/csv", on_click="ignore", key=f"{key}-csv", icon=":material/download:")
    cols[1].download_button(t("download.csv_semicolon", lang), lambda: to_csv_bytes(df, variant="semicolon"),
                            file_name=file_name(*stem, "semikolon", ext="csv"), mime="text/csv",
                            on_click="ignore", key=f"{key}-csvs", icon=":material/download:")
    cols[2].download_button(t("download.xlsx", lang), lambda: to_xlsx_bytes(df, sheet=str(stem[0])),
                            file_name=file_name(*stem, ext="xlsx"), on_click="ignore", key=f"{key}-xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            icon=":material/download:")
    cols[3].download_button(t("download.parquet", lang), lambda: to_parquet_bytes(df),
                            file_name=file_name(*stem, ext="parquet"), mime="application/octet-stream",
                            on_click="ignore", key=f"{key}-parquet", icon=":material/download:")
    if bundle:
        cols[4].download_button(t("download.zip", lang), bundle, file_name=file_name(*stem, ext="zip"),
                                mime="application/zip", on_click="ignore", key=f"{key}-zip",
                                icon=":material/folder_zip:", type="primary")


tab_stats, tab_occ, tab_asf, tab_dict = st.tabs([t("download.tab_stats", lang), t("download.tab_occupations", lang),
                                                  t("download.tab_asf", lang), t("download.tab_dictionary", lang)])
catalogue = indicators()
label_col = "label_en" if lang == "en" else "label_sv"

with tab_stats:
    ids = catalogue.index[catalogue["n_values"] > 0].tolist()  # live_only indicators appear once loaded
    labels = dict(zip(catalogue["id"], catalogue[label_col]))
    regions_all = query("regions_all")
    in_county = regions_all[(regions_all["code"].isin(["00", lan])) | (regions_all["parent_code"] == lan)
                            | (regions_all["level"] == "lan")]
    name_col = "name_en" if lang == "en" else "name"
    region_names = dict(zip(in_county["code"], in_county[name_col]))
    default_regions = [c for c in in_county["code"] if c in ("00", lan) or c.startswith(lan) and len(c) == 4]

    c1, c2 = st.columns([3, 2])
    chosen_ind = url.many("dl_ind", "ind", ids, ["arbetsloshet"], max_items=50)
    c1.multiselect(t("download.indicators", lang), ids, format_func=lambda i: labels.get(i, i), key="dl_ind")
    chosen_reg = url.many("dl_reg", "reg", list(region_names), default_regions, max_items=400)
    c2.multiselect(t("download.regions", lang), list(region_names), format_func=lambda c: region_names.get(c, c),
                   key="dl_reg")
    span = query("download_year_range", indicators=chosen_ind or ["arbetsloshet"]).iloc[0]
    first, last = int(span["first_year"]), int(span["last_year"])
    c3, c4, c5 = st.columns([3, 1, 2])
    lo, hi = url.span("dl_years", ("fran", "till"), list(range(first, last + 1)))
    if first < last:
        c3.slider(t("download.years", lang), first, last, key="dl_years")
    else:
        c3.markdown(f"{t('download.years', lang)}: {first}")
    chosen_sex = url.many("dl_sex", "kon", ["T", "K", "M"], ["T"], max_items=3)
    c4.multiselect(t("download.sexes", lang), ["T", "K", "M"], format_func=lambda s: t(f"download.sex_{s}", lang),
                   key="dl_sex")
    with_cat = url.flag("dl_cat", "grupper", False)
    c5.checkbox(t("download.with_categories", lang), key="dl_cat")
    url.finish()

    if not chosen_ind or not chosen_reg or not chosen_sex:
        st.info(t("download.pick_something", lang))
    else:
        params = {"indicators": chosen_ind, "regions": chosen_reg, "from_year": lo, "to_year": hi,
                  "sexes": chosen_sex, "with_categories": with_cat}
        data = shape_observations(query("download_observations", **params), lang)
        if data.empty:
            st.warning(t("download.empty", lang))
        else:
            st.markdown(f"**{t('download.preview', lang, n=len(data))}**")
            st.dataframe(data.head(PREVIEW_ROWS), hide_index=True, width="stretch")
            if len(data) > PREVIEW_ROWS:
                st.caption(t("download.preview_cut", lang, shown=PREVIEW_ROWS, n=len(data)))
            stem = [chosen_ind[0] if len(chosen_ind) == 1 else f"{len(chosen_ind)}-indikatorer", f"{lo}-{hi}"]
            sql = load_query("download_observations").sql
            download_row(data, stem, key="obs", bundle=lambda: observation_bundle(
                data, query("indicator_coverage"), query("sources"), lang, sql=sql, params=params,
                version=version_id()))
    st.caption(f"{t('download.cite', lang)}: {citation(lang, version=version_id())}")

with tab_occ:
    occ = query("download_occupations", regions=["00", lan])
    if occ.empty:
        st.info(t("common.missing", lang))
    else:
        st.markdown(t("download.occupations_intro", lang, omgang=", ".join(sorted(occ["omgang"].dropna().unique()))))
        st.dataframe(occ, hide_index=True, width="stretch", height=320)
        src = query("sources")
        download_row(occ, ["yrkesbarometern", lan], key="occ", bundle=lambda: table_bundle(
            occ, lang, query_name="download_occupations", sql=load_query("download_occupations").sql,
            source_rows=src[src["id"].isin(occ["source_id"].unique())],
            description=t("download.occupations_description", lang), version=version_id()))

with tab_asf:
    st.markdown(t("download.asf_intro", lang))
    src = query("sources")
    for name, label in (("download_asf_register", "download.asf_register"), ("download_asf_facts", "download.asf_facts")):
        df = query(name)
        st.markdown(f"**{t(label, lang)}** ({len(df)})")
        st.dataframe(df, hide_index=True, width="stretch", height=260,
                     column_config={"source_url": st.column_config.LinkColumn()})
        download_row(df, [name.removeprefix("download_")], key=name, bundle=lambda df=df, name=name: table_bundle(
            df, lang, query_name=name, sql=load_query(name).sql, source_rows=src[src["id"] == "curated_asf"],
            description=t("download.asf_description", lang), version=version_id()))

with tab_dict:
    st.markdown(t("download.dictionary_intro", lang))
    cat = query("indicator_coverage")
    def_col = "definition_en" if lang == "en" else "definition_sv"
    table = pd.DataFrame({
        t("about.col_id", lang): cat["id"], t("about.col_label", lang): cat[label_col],
        t("about.col_unit", lang): cat["unit"].map(lambda u: t(f"unit_names.{u}", lang)),
        t("about.col_definition", lang): cat[def_col], t("about.col_source", lang): cat["source_ids"],
        t("about.col_levels", lang): cat["levels"], t("about.col_first", lang): cat["first_period"].map(lambda p: fmt_period(p, lang)),
        t("about.col_last", lang): cat["last_period"].map(lambda p: fmt_period(p, lang)),
        t("download.regions", lang): cat["n_regions"],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    download_row(table, ["datakatalog"], key="dict")
