"""Small shared pieces: source captions, key-figure cards and the ASF statements table."""

from __future__ import annotations

import streamlit as st

from atlas.i18n import t
from atlas.ui.data import query


def source_line(source_ids: list[str] | str, lang: str, *, as_of: str | None = None) -> str:
    """'Källa: <publisher>, <title>. Bearbetning: Inkluderingsatlas.' for one or more source ids, each
    publisher linking to its source (atlas.export.metadata.source_text, as in every download)."""
    from atlas.export.metadata import source_text

    return source_text(source_ids, query("sources"), lang, as_of=as_of, markdown=True)


def key_figure(label: str, value: str, *, lang: str, source_ids: list[str] | str, caption: str = "",
               delta: str | None = None, delta_color: str = "normal", help: str | None = None) -> None:
    """A bordered metric with its comparison line and its source right under it."""
    with st.container(border=True):
        st.metric(label, value, delta=delta, delta_color=delta_color, help=help)
        if caption:
            st.markdown(caption)
        st.caption(source_line(source_ids, lang))


def display_table(df, lang: str):
    """A Styler for st.dataframe: missing values as '..', numbers in the UI language's format
    (sv: 12 345,6). The DataFrame itself stays numeric for downloads."""
    import pandas as pd

    from atlas.i18n import NBSP_THIN

    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    sv = lang != "en"
    styler = df.style.format(na_rep="..")
    if floats:
        styler = styler.format(subset=floats, na_rep="..", precision=1,
                               decimal="," if sv else ".", thousands=NBSP_THIN if sv else ",")
    return styler


def freshness_notice(lang: str, *, indicator: str | None = None, omgang: str | None = None) -> None:
    """A visible warning when the newest data is older than its publication cycle (see
    atlas.freshness), with the period it refers to and how to update."""
    from datetime import date

    from atlas.freshness import check_period, check_release
    from atlas.i18n import fmt_period
    from atlas.ui.data import indicators

    today = date.today()
    if indicator is not None:
        cat = indicators()
        if indicator in cat.index and isinstance(cat.loc[indicator, "last_period"], str):
            row = cat.loc[indicator]
            f = check_period(row["last_period"], row["frequency"], today)
            if f is not None and f.stale:
                label = row["label_en" if lang == "en" else "label_sv"]
                st.warning(t("freshness.stale_indicator", lang, label=label, last=fmt_period(f.last_period, lang),
                             expected=fmt_period(f.expected_period, lang)), icon=":material/update:")
    if omgang:
        f = check_release(omgang, today)
        if f.stale:
            st.warning(t("freshness.stale_release", lang, last=f.last_period, expected=f.expected_period),
                       icon=":material/update:")


def freshness_table(catalogue, sources, lang: str):
    """One row per indicator: latest period, what the publication cycle should have reached by
    today, status, and when its source was retrieved."""
    from datetime import date

    import pandas as pd

    from atlas.freshness import check_period
    from atlas.i18n import fmt_period

    retrieved = dict(zip(sources["id"], sources["retrieved_at"]))
    rows = []
    for _, r in catalogue.iterrows():
        f = check_period(r["last_period"], r["frequency"], date.today()) if isinstance(r["last_period"], str) else None
        first_source = str(r["source_ids"]).split(",")[0]
        rows.append({
            t("about.col_label", lang): r["label_en" if lang == "en" else "label_sv"],
            t("about.col_last", lang): fmt_period(r["last_period"], lang),
            t("freshness.col_expected", lang): fmt_period(f.expected_period, lang) if f else "..",
            t("freshness.col_status", lang): ("⚠ " + t("freshness.stale", lang)) if f and f.stale
            else ("✓ " + t("freshness.ok", lang)) if f else "..",
            t("freshness.col_retrieved", lang): str(retrieved.get(first_source) or "..")[:10],
        })
    return pd.DataFrame(rows)


def asf_statements_table(totals, lang: str, *, key: str) -> None:
    """Every county-level ASF statement (an ``asf_county_statements`` result) with its numbers
    (approximate ones marked), quote, publisher and link, then the caption saying they are separate
    statements, not a series. The one table Översikt and Sociala företag both show."""
    from atlas import asf

    k = lambda name: t(f"sociala_foretag.{name}", lang)  # noqa: E731
    st.dataframe(
        asf.statements_frame(totals, lang), hide_index=True, width="stretch", key=key,
        column_order=["year", "n_asf", "employees", "work_training", "people_occupied", "turnover_msek",
                      "publisher", "quote", "source_url", "year_note", "note"],
        column_config={
            "year": k("col_year"), "n_asf": k("measure_total.n_asf"), "employees": k("measure_total.employees"),
            "work_training": k("measure_total.work_training"),
            "people_occupied": k("measure_total.people_occupied"), "turnover_msek": k("measure_total.turnover_msek"),
            "quote": st.column_config.TextColumn(k("col_quote"), width="large"),
            "publisher": k("col_publisher"),
            "source_url": st.column_config.LinkColumn(k("col_source"), display_text=asf.URL_LABEL_RE),
            "year_note": st.column_config.TextColumn(k("field_year_note"), help=k("col_notes_en")),
            "note": st.column_config.TextColumn(k("col_fact_note"), help=k("col_notes_en")),
        },
    )
    st.caption(t("overview.asf_table_caption", lang) + " " + source_line("curated_asf", lang))

