"""För köpare: which services and products Dalarna's ASF offer according to public sources
(filterable by category, kommun and text, with each enterprise's own website where known), an
export of the filtered list, and the procurement routes as cards with sourced facts and links to
Upphandlingsmyndigheten's guidance. URL: ?kat= (category ids), ?kommun= (codes or 'okand'), ?q=."""

import streamlit as st

from atlas import asf, buyers
from atlas.export.tables import file_name, to_csv_bytes, to_xlsx_bytes
from atlas.i18n import fmt_number, t
from atlas.ui.data import query
from atlas.ui.state import UrlState, county, lang

lang, lan = lang(), county()


def k(key: str, **kw) -> str:
    return t(f"kopare.{key}", lang, **kw)


def md(text: object) -> str:
    """Curated text for st.markdown with markdown/LaTeX characters made literal."""
    return asf.md_escape(str(text).strip())


def link(label: str, url: str) -> str:
    return f"[{md(label)}]({asf.md_url(url)})"


# --- Curated data: a broken file shows what is wrong instead of raising --------------------------
errors = []
try:
    services = buyers.load_services()
    register = query("kopare_enterprises")
    rows = buyers.service_list(services, register)
except buyers.CuratedDataError as exc:
    services = rows = None
    errors.append(str(exc))
try:
    routes = buyers.load_routes()
except buyers.CuratedDataError as exc:
    routes = None
    errors.append(str(exc))
has_list = rows is not None and lan == "20"  # the curated list covers Dalarna only

# --- Options the filters offer (the URL is checked against them below) ---------------------------
kommun_names, cat_n, kommun_n = {}, {}, {}
if has_list:
    kommun_df = query("kopare_kommuner", lan=lan)
    kommun_names = dict(zip(kommun_df["code"], kommun_df["name_en" if lang == "en" else "name"]))
    cat_options = buyers.category_options(services, lang)
    kommun_options = [*kommun_names, asf.UNKNOWN]
    cat_n, kommun_n = buyers.counts(rows, "category_id"), buyers.counts(rows, "kommun")

st.title(k("title"))
url = UrlState("kopare", lang)
url.slots()
st.markdown(k("intro"))
if routes:
    intro = routes["intro"]
    st.markdown(k("intro_quote", quote=md(" ".join(intro["quote"].split())), who=md(buyers.pick(intro, "who", lang)),
                  url=asf.md_url(intro["source_url"])))
for error in errors:
    st.error(error, icon=":material/error:")

# --- The services list -------------------------------------------------------------------------
if rows is not None and not has_list:
    st.info(k("other_county"))
if has_list:
    unknown = buyers.without_services(register, services)
    st.info("\n".join([
        f"**{k('coverage_title')}**", "", k("coverage"), "",
        k("coverage_counts", n_with=register["asf_id"].isin(services["asf_id"]).sum(), n_total=len(register),
          n_without=len(unknown)),
    ]), icon=":material/info:")

    st.subheader(k("list_title"))
    c1, c2, c3 = st.columns([3, 3, 2])
    kat = url.many("kop_kat", "kat", cat_options, [], max_items=len(cat_options))
    c1.multiselect(
        k("category_filter"), options=cat_options, key="kop_kat", placeholder=k("category_all"),
        help=k("count_help"),
        format_func=lambda c: k("option_count", label=buyers.category_label(c, lang), n=cat_n.get(c, 0)))
    kommuner = url.many("kop_kommun", "kommun", kommun_options, [], max_items=len(kommun_options))
    c2.multiselect(
        k("kommun_filter"), options=kommun_options, key="kop_kommun", placeholder=k("kommun_all"),
        help=k("count_help"),
        format_func=lambda c: k("option_count", n=kommun_n.get(c, 0),
                                label=k("unknown_kommun") if c == asf.UNKNOWN else kommun_names.get(c, c)))
    q = url.text("kop_q", "q", max_len=asf.MAX_SEARCH, valid=asf.valid_search)
    c3.text_input(k("search_label"), key="kop_q", max_chars=asf.MAX_SEARCH,
                  placeholder=k("search_placeholder"), help=k("search_help"))

    shown = buyers.filter_services(rows, categories=kat, kommuner=kommuner, q=q, lang=lang)
    tab_cards, tab_table = st.tabs([k("tab_cards"), k("tab_table")])
    with tab_cards:  # one card per enterprise: its services, each with its source, and how to reach it
        groups = buyers.by_enterprise(shown)
        for start in range(0, len(groups), 3):
            for col, group in zip(st.columns(3), groups[start:start + 3]):
                first = group.iloc[0]
                with col.container(border=True):
                    st.markdown(f"**{md(first['name'])}**  \n{md(buyers.kommun_label(first, lang))}")
                    st.markdown("\n".join(
                        f"- **{md(buyers.category_label(r['category_id'], lang))}:** "
                        f"{md(buyers.pick(r, 'service', lang))} "
                        f"({md(buyers.pick(r, 'year', lang))}, {link(asf.url_label(r['source_url']), r['source_url'])})"
                        for _, r in group.iterrows()))
                    contact = first["contact_url"]
                    st.markdown(f":material/language: {link(k('contact_site'), contact)}" if contact
                                else f":material/block: {k('contact_missing')}")
    with tab_table:
        st.dataframe(
            buyers.table_frame(shown, lang), hide_index=True, width="stretch", key="kop-list",
            height=min(len(shown), 40) * 35 + 40,  # the whole list without an inner scroll bar
            column_config={
                "name": st.column_config.TextColumn(k("col_name"), width="medium"),
                "kommun": k("col_kommun"),
                "category": k("col_category"),
                "service": st.column_config.TextColumn(k("col_service"), width="large"),
                "year": st.column_config.TextColumn(k("col_year"), help=k("col_year_help")),
                "source_url": st.column_config.LinkColumn(k("col_source"), display_text=asf.URL_LABEL_RE,
                                                          help=k("col_source_help")),
                "contact": st.column_config.TextColumn(k("col_contact"), help=k("col_contact_help")),
                "contact_url": st.column_config.LinkColumn(k("col_contact_url"), display_text=asf.URL_LABEL_RE,
                                                           help=k("col_contact_help"), width="medium"),
            },
        )
    st.caption(k("showing", shown=len(shown), total=len(rows), companies=shown["asf_id"].nunique()) + " "
               + k("list_caption"))
    if shown.empty:
        st.info(k("no_match"), icon=":material/search_off:")

    # Export of exactly what the table shows; bytes are built only when a button is clicked.
    st.markdown(f"**{k('export_title')}**")
    if shown.empty:
        st.caption(k("export_empty"))
    else:
        export = buyers.export_frame(shown, lang)
        filters = buyers.filter_summary(kat, kommuner, q, kommun_names, lang)
        stem = [k("file_stem"), "dalarna"] + (["urval" if lang == "sv" else "filtered"] if kat or kommuner or q else [])
        xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        buttons = st.container(horizontal=True, gap="small")
        buttons.download_button(
            k("csv"), lambda: to_csv_bytes(export), file_name=file_name(*stem, ext="csv"), mime="text/csv",
            on_click="ignore", key="kop-csv", icon=":material/download:")
        buttons.download_button(
            k("csv_semicolon"), lambda: to_csv_bytes(export, variant="semicolon"),
            file_name=file_name(*stem, "semikolon", ext="csv"), mime="text/csv", on_click="ignore", key="kop-csvs",
            icon=":material/download:")
        buttons.download_button(
            k("xlsx"), lambda: to_xlsx_bytes(export, sheet=k("file_stem"),
                                             about=buyers.about_sheet(shown, lang, filters=filters)),
            file_name=file_name(*stem, ext="xlsx"), mime=xlsx_mime, on_click="ignore", key="kop-xlsx",
            icon=":material/download:")
        st.caption(k("export_caption", n=len(export)))

    # Enterprises whose services no source states: listed, never given a guessed category.
    st.markdown(f"**{k('unknown_title', n=len(unknown))}**")
    st.markdown(k("unknown_intro"))
    st.markdown("\n".join(
        "- " + k("unknown_item", name=md(r["name"]),
                 kommun=md(r["kommun_name_en" if lang == "en" else "kommun_name"])
                 if not asf.blank(r["kommun_name"]) else k("unknown_kommun"))
        for _, r in unknown.iterrows()))

# --- Procurement routes --------------------------------------------------------------------------
if routes:
    st.subheader(k("routes_title"))
    st.markdown(k("routes_intro"))

    def fact_lines(facts: list[dict]) -> str:
        """One list item per fact: the fact, the source's own words (when quoted), the source link."""
        items = []
        for f in facts:
            item = f"- {md(buyers.pick(f, 'text', lang))}"
            if f.get("quote"):
                item += "  \n  " + k("quote_line", quote=md(" ".join(str(f["quote"]).split())))
            item += f"  \n  {k('source_label')}: {link(buyers.pick(f, 'source', lang), f['source_url'])}"
            items.append(item)
        return "\n".join(items)

    for block in [*routes["routes"], {**routes["dalarna"], "id": "dalarna"}]:
        with st.expander(buyers.pick(block, "title", lang), icon=":material/gavel:" if block["id"] != "dalarna"
                         else ":material/location_on:"):
            st.markdown(md(buyers.pick(block, "summary", lang)))
            figures = block.get("key_figures") or []
            if figures:
                cols = st.columns(len(figures))
                for col, fig in zip(cols, figures):
                    with col.container(border=True):
                        label = buyers.pick(fig, "label", lang)
                        st.markdown(f"**{md(label)}**")  # wraps, unlike a metric label
                        st.metric(label, f"{fmt_number(fig['value'], lang)} {buyers.pick(fig, 'unit', lang)}",
                                  label_visibility="collapsed")
                        st.caption(k("key_figure_caption", valid=md(buyers.pick(fig, "valid", lang)),
                                     url=asf.md_url(fig["source_url"])))
            if buyers.pick(block, "caveat", lang):
                st.warning(f"**{k('caveat_label')}:** {md(buyers.pick(block, 'caveat', lang))}",
                           icon=":material/warning:")
            st.markdown(f"**{k('facts_title')}**")
            st.markdown(fact_lines(block["facts"]))
            if block["id"] != "dalarna":
                st.markdown(f"**{k('guidance_title')}**")
                guidance = block.get("guidance") or []
                st.markdown("\n".join(f"- {link(buyers.pick(g, 'title', lang), g['url'])}" for g in guidance)
                            if guidance else k("no_guidance"))
    st.caption(k("routes_caption"))
url.finish()  # the filters in the URL (empty ones left out), the share link and the notice
