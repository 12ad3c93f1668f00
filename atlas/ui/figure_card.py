"""The figure card: one component for every chart and map (title, unit and period, the figure,
source caption with as-of, definition, a text alternative with the data as a table, downloads, the
citation in four formats, an embed snippet and "add to the seminar deck"). In an embedded view
(atlas.ui.embed) only the figure asked for is drawn."""

from __future__ import annotations

import shutil

import streamlit as st

from atlas.export import images
from atlas.export.cite import FILE_TYPES, Citation, make_citation
from atlas.export.metadata import bundle_zip, metadata_document, source_text
from atlas.export.tables import file_name, to_csv_bytes, to_xlsx_bytes
from atlas.figures.spec import FigureSpec
from atlas.i18n import t
from atlas.ui import embed
from atlas.ui.components import display_table, source_line
from atlas.ui.data import query
from atlas.ui.state import view_url
from atlas.ui.versions import version_id

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
DECK_KEY = "deck_specs"
DECK_MAX = 30


def image_export_available() -> bool:
    """True when kaleido can find a Chromium (Debian package or $BROWSER_PATH)."""
    import os

    return bool(os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("google-chrome")
                or shutil.which("chromium-browser"))


def spec_citation(spec: FigureSpec, lang: str) -> Citation:
    """The citation of ``spec`` as shown: its title, this view's share link, the data version."""
    return make_citation(lang, title=spec.title, url=view_url(drop=(embed.FIG_PARAM,)), version=version_id())


def figure_bundle(spec: FigureSpec, lang: str, cite: Citation, src) -> bytes:
    """ZIP of what the card shows: data.csv (the rows drawn), metadata.json (the citation in every
    format, the view's link, data version, sources, definition, and spec.meta['download'] when the
    page put more there, e.g. a comparison group), README. src: the ``sources`` query (read when the
    card is drawn: the bundle is made later, outside the page's run)."""
    sources = src[src["id"].isin(spec.source_ids)]
    indicator = {"id": str(spec.meta.get("indicator") or spec.key), "label": spec.title, "unit": spec.subtitle,
                 "definition": spec.definition, "as_of": spec.as_of,
                 "sources": [{k: (None if v != v else v) for k, v in row.items()} for row in
                             sources[["id", "publisher", "url", "licence", "retrieved_at", "sha256"]].to_dict("records")]}
    meta = metadata_document({str(c): str(c) for c in spec.data.columns}, [indicator], lang, query_name=spec.key,
                             params={k: v for k, v in spec.meta.items() if k not in ("download", "file_parts")},
                             version=cite.version, url=cite.url, title=spec.title, today=cite.accessed,
                             extra=spec.meta.get("download"))
    return bundle_zip(spec.data, meta, lang, stem="data")


def _downloads(spec: FigureSpec, lang: str) -> None:
    parts = spec.meta.get("file_parts") or [spec.key]
    cite = spec_citation(spec, lang)
    about = {
        t("common.source", lang): source_text(spec.source_ids, query("sources"), lang),
        t("common.period", lang): spec.as_of,
        "Definition": spec.definition,
        t("export.data_version", lang): version_id(),
        t("cite.view_link", lang): cite.url,
        t("cite.citation", lang): cite.text,
    }
    for key, value in (spec.meta.get("download") or {}).get("about", {}).items():
        about[key] = value
    cols = st.columns(3)
    if image_export_available():
        caption = source_text(spec.source_ids, query("sources"), lang)
        cols[0].download_button(t("export.png", lang), lambda: images.render_image(spec, caption, "png"),
                                file_name=file_name(*parts, ext="png"), mime="image/png",
                                on_click="ignore", key=f"png-{spec.key}", icon=":material/image:")
        cols[0].download_button(t("export.svg", lang), lambda: images.render_image(spec, caption, "svg"),
                                file_name=file_name(*parts, ext="svg"), mime="image/svg+xml",
                                on_click="ignore", key=f"svg-{spec.key}", icon=":material/draw:")
    else:
        cols[0].caption(t("export.no_browser", lang))
    cols[1].download_button(t("export.csv_shown", lang), lambda: to_csv_bytes(spec.data),
                            file_name=file_name(*parts, "visat", ext="csv"), mime="text/csv",
                            on_click="ignore", key=f"csv-{spec.key}", icon=":material/table:")
    cols[1].download_button(t("export.csv_semicolon", lang), lambda: to_csv_bytes(spec.data, variant="semicolon"),
                            file_name=file_name(*parts, "visat", "semikolon", ext="csv"), mime="text/csv",
                            on_click="ignore", key=f"csvs-{spec.key}", icon=":material/table:")
    full = spec.full_data if spec.full_data is not None else spec.data
    cols[2].download_button(t("export.csv_full", lang), lambda: to_csv_bytes(full),
                            file_name=file_name(*parts, "hela-serien", ext="csv"), mime="text/csv",
                            on_click="ignore", key=f"csvf-{spec.key}", icon=":material/dataset:")
    cols[2].download_button(t("export.xlsx", lang), lambda: to_xlsx_bytes(spec.data, sheet=spec.title, about=about),
                            file_name=file_name(*parts, ext="xlsx"),
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            on_click="ignore", key=f"xlsx-{spec.key}", icon=":material/grid_on:")
    sources = query("sources")
    cols[0].download_button(t("cite.zip", lang), lambda: figure_bundle(spec, lang, cite, sources),
                            file_name=file_name(*parts, ext="zip"), mime="application/zip", on_click="ignore",
                            key=f"zip-{spec.key}", icon=":material/folder_zip:",
                            help=t("cite.zip_help", lang))


def citation_tabs(cite: Citation, lang: str, *, key: str, stem: list) -> None:
    """The citation in four formats (tabs), each with a copy button (st.code) and a file named from
    ``stem``; widget keys from ``key``. Used by every figure card and by Om datan."""
    st.caption(t("cite.help", lang))
    texts = cite.formats()
    for tab, fmt in zip(st.tabs([t(f"cite.format.{f}", lang) for f in texts]), texts):
        with tab:
            st.code(texts[fmt], language={"bibtex": "latex", "csl_json": "json"}.get(fmt), wrap_lines=True)
            ext, mime = FILE_TYPES[fmt]
            st.download_button(t("cite.download", lang, ext=ext), texts[fmt].encode("utf-8"),
                               file_name=file_name(*stem, "citat", ext=ext), mime=mime, on_click="ignore",
                               key=f"cite-{fmt}-{key}", icon=":material/format_quote:")


def _cite(spec: FigureSpec, lang: str) -> None:
    citation_tabs(spec_citation(spec, lang), lang, key=spec.key, stem=spec.meta.get("file_parts") or [spec.key])


def _embed(spec: FigureSpec, lang: str) -> None:
    """The iframe snippet of this figure's embedded view, and the view itself to open."""
    url = embed.embed_url(spec)
    width, height = embed.SNIPPET_SIZE
    st.caption(t("embed.help", lang, width=width, height=height))
    st.code(embed.snippet(spec, url), language="html", wrap_lines=True)
    st.markdown(f"[{t('embed.preview', lang)}]({url})")


def add_to_deck(spec: FigureSpec) -> int:
    """Keep the spec (with the filters it was drawn with) for the seminar deck; returns the count."""
    deck = st.session_state.setdefault(DECK_KEY, {})
    deck[spec.key] = spec
    while len(deck) > DECK_MAX:
        deck.pop(next(iter(deck)))
    return len(deck)


def figure_card(spec: FigureSpec, lang: str, *, on_select=None, selection_mode=None):
    """Render ``spec``; returns the chart's selection state when ``on_select`` is given. The
    expanders' open state is in st.session_state under ``def-<key>``, ``alt-<key>``, ``dl-<key>``,
    ``cite-<key>`` and ``emb-<key>``. In an embedded view: only the figure the link asks for (then the
    page stops), nothing for the others."""
    if embed.active():
        embed.figure(spec, lang, source_line=source_line(spec.source_ids, lang, as_of=spec.as_of))
        return None
    with st.container(border=True, key=f"card-{spec.key}"):  # the key: print styles keep the card whole
        st.markdown(f"#### {spec.title}")
        st.caption(spec.subtitle)
        config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": spec.key, "scale": 2}}
        kwargs = {"key": f"fig-{spec.key}", "width": "stretch", "config": config}
        if on_select is not None:
            kwargs.update(on_select=on_select, selection_mode=selection_mode or "points")
        event = st.plotly_chart(spec.figure, alt=spec.alt_text, **kwargs)
        st.caption(source_line(spec.source_ids, lang, as_of=spec.as_of))
        # What is under the chart (definition, table, download buttons) is drawn only once its
        # expander is opened (a rerun): drawn closed on every card it cost the browser about a tenth
        # of the time to first chart (tools.bench's time-to-chart on Översikt, 1.30 -> 1.15 of the bare app).
        with st.expander(t("common.read_more", lang), key=f"def-{spec.key}", on_change="rerun") as box:
            if box.open:
                st.markdown(spec.definition)
        with st.expander(t("common.text_alternative", lang), key=f"alt-{spec.key}", on_change="rerun") as box:
            if box.open:
                st.markdown(spec.alt_text)
                st.dataframe(display_table(spec.data, lang), hide_index=True, width="stretch")
        with st.expander(t("export.downloads", lang), icon=":material/download:", key=f"dl-{spec.key}",
                         on_change="rerun") as box:
            if box.open:
                _downloads(spec, lang)
        with st.expander(t("cite.title", lang), icon=":material/format_quote:", key=f"cite-{spec.key}",
                         on_change="rerun") as box:
            if box.open:
                _cite(spec, lang)
        with st.expander(t("embed.title", lang), icon=":material/code:", key=f"emb-{spec.key}",
                         on_change="rerun") as box:
            if box.open:
                _embed(spec, lang)
        if st.button(t("export.add_to_deck", lang), key=f"deck-{spec.key}", icon=":material/slideshow:",
                     type="tertiary"):
            st.toast(t("export.added_to_deck", lang, n=add_to_deck(spec)))
    return event
