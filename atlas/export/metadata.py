"""Provenance for downloads: source lines, metadata.json, a README with a suggested citation, and
the ZIP bundle that carries data, metadata, README and the SQL that produced the data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pandas as pd

from atlas.export.cite import APP_NAME, make_citation
from atlas.export.tables import to_csv_bytes
from atlas.i18n import t


def source_text(source_ids: list[str] | str, sources: pd.DataFrame, lang: str, *, as_of: str | None = None,
                markdown: bool = False) -> str:
    """The caption every figure, table and download carries: 'Källa: <publisher>, <title>.
    Bearbetning: Inkluderingsatlas.' (plus ' (Period: <as_of>)'). ``markdown``: the publisher links
    to the source's published address (on screen); plain text for files. sources: the ``sources``
    query; an id it lacks is shown as it is."""
    ids = [source_ids] if isinstance(source_ids, str) else list(dict.fromkeys(source_ids))
    by_id = sources.set_index("id") if "id" in sources.columns else sources
    parts = []
    for sid in ids:
        if sid not in by_id.index:
            parts.append(str(sid))
            continue
        row = by_id.loc[sid]
        title = row["title_en" if lang == "en" else "title_sv"]
        linked = markdown and str(row["url"]).startswith("http")
        parts.append(f"[{row['publisher']}]({row['url']}), {title}" if linked else f"{row['publisher']}, {title}")
    text = f"{t('common.source', lang)}: " + "; ".join(parts) + ". " + t("common.processing", lang)
    if as_of:
        text += f" ({t('common.period', lang)}: {as_of})"
    return text


def citation(lang: str, *, today: date | None = None, url: str = "", version: str = "", title: str = "") -> str:
    """The plain-text citation (atlas.export.cite.make_citation, which gives every format) of
    ``title`` at ``url`` in data version ``version``."""
    return make_citation(lang, title=title, url=url, version=version, today=today).text


def indicator_metadata(indicator_ids: list[str], catalogue: pd.DataFrame, sources: pd.DataFrame,
                       lang: str, as_of: dict[str, str] | None = None) -> list[dict]:
    """One entry per indicator: label, unit, definition, sources (publisher, URL, licence,
    retrieved_at, sha256) and the latest period in the download (as_of)."""
    cat = catalogue.set_index("id", drop=False) if "id" in catalogue.columns else catalogue
    src = sources.set_index("id", drop=False)
    out = []
    for iid in dict.fromkeys(indicator_ids):
        if iid not in cat.index:
            continue
        row = cat.loc[iid]
        ids = [s for s in str(row["source_ids"]).split(",") if s]
        out.append({
            "id": iid,
            "label": row["label_en" if lang == "en" else "label_sv"],
            "unit": row["unit"],
            "definition": row["definition_en" if lang == "en" else "definition_sv"],
            "as_of": (as_of or {}).get(iid),
            "sources": [
                {k: (None if pd.isna(src.loc[s, k]) else src.loc[s, k]) for k in
                 ("id", "publisher", "url", "licence", "retrieved_at", "sha256")}
                for s in ids if s in src.index
            ],
        })
    return out


def metadata_document(columns: dict[str, str], indicators: list[dict], lang: str, *,
                      query_name: str = "", params: dict | None = None, today: date | None = None,
                      version: str = "", url: str = "", title: str = "", extra: dict | None = None) -> dict:
    """The metadata.json content: the data version it was drawn from, per column its description,
    per indicator its definition, unit, sources and licences, the query and parameters that
    produced the file, the share link of the view it came from (``url``) and its citation in every
    format ("citation": the plain text; "cite": text, BibTeX, RIS, CSL-JSON). ``extra``: further
    top-level entries (e.g. a comparison group's members and method)."""
    today = today or date.today()
    cite = make_citation(lang, title=title, url=url, version=version, today=today)
    return {
        "title": f"{APP_NAME}: {t('export.download_title', lang)}",
        "created": today.isoformat(),
        "data_version": version or None,
        "language": lang,
        "columns": [{"name": k, "description": v} for k, v in columns.items()],
        "indicators": indicators,
        "query": {"name": query_name, "parameters": params or {}},
        "view_url": cite.url or None,
        "citation": cite.text,
        "cite": cite.document(),
        "missing_values": t("export.missing_values", lang),
        **(extra or {}),
    }


def readme_text(meta: dict, lang: str) -> str:
    """A short README for the ZIP: what is in it, sources, definitions, citation."""
    lines = [f"# {meta['title']}", "", t("export.readme_intro", lang, date=meta["created"]), ""]
    if meta.get("data_version"):
        lines += [f"{t('export.data_version', lang)}: {meta['data_version']}", ""]
    lines += [
             f"## {t('export.readme_files', lang)}", "", t("export.readme_file_list", lang), "",
             f"## {t('export.readme_indicators', lang)}", ""]
    for ind in meta["indicators"]:
        lines.append(f"### {ind['label']} (`{ind['id']}`, {ind['unit']})")
        lines.append("")
        lines.append(ind["definition"])
        lines.append("")
        for s in ind["sources"]:
            lines.append(f"- {s['publisher']}: {s['url']} ({t('export.licence', lang)}: {s['licence']}; "
                         f"{t('export.retrieved', lang)}: {s['retrieved_at'] or '..'})")
        lines.append("")
    lines += [f"## {t('export.readme_columns', lang)}", ""]
    lines += [f"- `{c['name']}`: {c['description']}" for c in meta["columns"]]
    lines += ["", f"## {t('export.readme_cite', lang)}", "", meta["citation"], ""]
    if meta.get("cite", {}).get("bibtex"):
        lines += ["```bibtex", meta["cite"]["bibtex"].rstrip("\n"), "```", ""]
    lines += [meta["missing_values"], ""]
    return "\n".join(lines)


def bundle_zip(data: pd.DataFrame, meta: dict, lang: str, *, sql: str = "", stem: str = "data") -> bytes:
    """ZIP with <stem>.csv (UTF-8 BOM), metadata.json, README.md and query.sql."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{stem}.csv", to_csv_bytes(data))
        zf.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2, default=str))
        zf.writestr("README.md", readme_text(meta, lang))
        if sql:
            zf.writestr("query.sql", sql)
    return buf.getvalue()
