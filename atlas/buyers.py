"""Pure helpers for the buyers' page ("För köpare"): the curated list of services and products that
sources say Dalarna's ASF offer, its filters and export, and the procurement routes.

Both curated files are read here, not from the database (the build does not load them yet):
- data/curated/asf_services.csv: one row per (enterprise, category) a source states;
- data/curated/procurement_routes.yml: the routes with sourced facts and guidance links.
A missing or malformed file raises CuratedDataError with a message that says what is wrong.
No Streamlit; every function is unit-tested in tests/test_buyers.py.
"""

from __future__ import annotations

import copy
import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import yaml

from atlas import CURATED_DIR
from atlas.asf import UNKNOWN, blank, kommun_key
from atlas.i18n import t, t_or

SERVICES_CSV = CURATED_DIR / "asf_services.csv"
ROUTES_YML = CURATED_DIR / "procurement_routes.yml"
SERVICE_COLUMNS = ["asf_id", "category_id", "service_sv", "service_en", "quote", "source_url",
                   "contact_url", "year_sv", "year_en"]
REQUIRED = ["asf_id", "category_id", "service_sv", "service_en", "quote", "source_url", "year_sv", "year_en"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^https?://\S+$")


class CuratedDataError(ValueError):
    """A curated file for the buyers' page is missing or does not follow its documented format."""


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(CURATED_DIR.parent.parent))
    except ValueError:
        return str(path)


# --- Loading ----------------------------------------------------------------------------------


def load_services(path: Path = SERVICES_CSV) -> pd.DataFrame:
    """The services list as text columns SERVICE_COLUMNS ('' for empty), in file order.

    Raises CuratedDataError when the file is missing, a column is missing, a required field is
    empty, an id is not a lower-case slug, a URL is not http(s), or an (asf_id, category_id) pair
    repeats."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise CuratedDataError(f"{_rel(path)} is missing: {exc}") from exc
    return _load_services(path, stamp).copy()


@lru_cache(maxsize=8)
def _load_services(path: Path, stamp: int) -> pd.DataFrame:
    del stamp  # cache key only: an edited file is read again
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError, csv.Error) as exc:
        raise CuratedDataError(f"{_rel(path)} could not be read as UTF-8 CSV: {exc}") from exc
    missing = [c for c in SERVICE_COLUMNS if c not in df.columns]
    if missing:
        raise CuratedDataError(f"{_rel(path)}: missing columns {missing}; expected {SERVICE_COLUMNS}")
    df = df[SERVICE_COLUMNS].apply(lambda s: s.str.strip())
    for i, row in df.iterrows():
        line = i + 2  # header is line 1
        empty = [c for c in REQUIRED if not row[c]]
        if empty:
            raise CuratedDataError(f"{_rel(path)} line {line}: empty {empty}")
        for col in ("asf_id", "category_id"):
            if not _ID.match(row[col]):
                raise CuratedDataError(f"{_rel(path)} line {line}: {col} {row[col]!r} is not a lower-case id")
        for col in ("source_url", "contact_url"):
            if row[col] and not _URL.match(row[col]):
                raise CuratedDataError(f"{_rel(path)} line {line}: {col} {row[col]!r} is not an http(s) URL")
    dup = df[df.duplicated(["asf_id", "category_id"], keep=False)]
    if not dup.empty:
        pairs = sorted(set(zip(dup["asf_id"], dup["category_id"])))
        raise CuratedDataError(f"{_rel(path)}: (asf_id, category_id) repeated: {pairs}")
    return df.reset_index(drop=True)


def load_routes(path: Path = ROUTES_YML) -> dict:
    """The procurement routes file as a dict with keys 'intro', 'routes' (list) and 'dalarna'.

    Every route and the 'dalarna' block have title_sv/en, summary_sv/en and facts (each with
    text_sv/en, source_sv/en, source_url and an optional verbatim quote); routes have guidance
    (title_sv/en, url) and may have caveat_sv/en and key_figures (label_sv/en, value, stated_as,
    unit_sv/en, valid_sv/en, source_url). Raises CuratedDataError on a missing file or field."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise CuratedDataError(f"{_rel(path)} is missing: {exc}") from exc
    return copy.deepcopy(_load_routes(path, stamp))


@lru_cache(maxsize=8)
def _load_routes(path: Path, stamp: int) -> dict:
    del stamp  # cache key only
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CuratedDataError(f"{_rel(path)} could not be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise CuratedDataError(f"{_rel(path)} is not valid YAML: {exc}") from exc
    where = _rel(path)

    def need(node: object, keys: list[str], at: str) -> dict:
        if not isinstance(node, dict):
            raise CuratedDataError(f"{where}: {at} must be a mapping")
        gone = [k for k in keys if blank(node.get(k))]
        if gone:
            raise CuratedDataError(f"{where}: {at} lacks {gone}")
        return node

    need(data, ["intro", "routes", "dalarna"], "the file")
    need(data["intro"], ["quote", "who_sv", "who_en", "source_url"], "intro")
    if not isinstance(data["routes"], list) or not data["routes"]:
        raise CuratedDataError(f"{where}: routes must be a non-empty list")
    blocks = [(f"route {i + 1}", r) for i, r in enumerate(data["routes"])] + [("dalarna", data["dalarna"])]
    seen = set()
    for at, block in blocks:
        need(block, ["title_sv", "title_en", "summary_sv", "summary_en", "facts"], at)
        if at != "dalarna":
            need(block, ["id"], at)
            if block["id"] in seen or not _ID.match(str(block["id"])):
                raise CuratedDataError(f"{where}: {at} id {block['id']!r} is repeated or not a lower-case id")
            seen.add(block["id"])
        for j, fact in enumerate(block["facts"] or []):
            need(fact, ["text_sv", "text_en", "source_sv", "source_en", "source_url"], f"{at} fact {j + 1}")
        for j, link in enumerate(block.get("guidance") or []):
            need(link, ["title_sv", "title_en", "url"], f"{at} guidance {j + 1}")
        for j, fig in enumerate(block.get("key_figures") or []):
            need(fig, ["label_sv", "label_en", "value", "stated_as", "unit_sv", "unit_en", "valid_sv",
                       "valid_en", "source_url"], f"{at} key figure {j + 1}")
    return data


def pick(node: dict, field: str, lang: str) -> str:
    """node['<field>_en'] for lang 'en', else node['<field>_sv']; '' when absent."""
    value = node.get(f"{field}_{'en' if lang == 'en' else 'sv'}")
    return "" if value is None else str(value).strip()


# --- The services list ------------------------------------------------------------------------


def category_label(category_id: str, lang: str) -> str:
    """The category's label in ``lang`` (from the kopare locale files); the id itself if unlabelled."""
    return t_or(f"kopare.category.{category_id}", lang, category_id)


def category_options(services: pd.DataFrame, lang: str) -> list[str]:
    """The category ids used in ``services``, ordered by their label in ``lang``."""
    ids = list(dict.fromkeys(services["category_id"]))
    return sorted(ids, key=lambda c: category_label(c, lang).casefold())


def service_list(services: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """``services`` joined with the register (a ``kopare_enterprises`` result) by asf_id.

    Adds name, kommun_code ('' when unknown), kommun (UNKNOWN 'okand' or the code), kommun_name,
    kommun_name_en and town; sorted by enterprise name, then file order. Raises CuratedDataError
    when an asf_id is not in the register (so a typo never silently drops a row)."""
    unknown = sorted(set(services["asf_id"]) - set(register["asf_id"]))
    if unknown:
        raise CuratedDataError(f"data/curated/asf_services.csv: asf_id not in the register: {unknown}")
    reg = register[["asf_id", "name", "kommun_code", "kommun_name", "kommun_name_en", "town"]]
    out = services.reset_index(names="_order").merge(reg, on="asf_id", how="left")
    out["kommun_code"] = out["kommun_code"].map(lambda c: "" if blank(c) else str(c).strip())
    out["kommun"] = out["kommun_code"].map(kommun_key)
    out = out.sort_values(["name", "_order"], key=lambda s: s.str.casefold() if s.name == "name" else s)
    return out.drop(columns="_order").reset_index(drop=True)


def kommun_label(row: pd.Series, lang: str) -> str:
    """The municipality name of a row in ``lang``, or 'okänd kommun'/'unknown municipality'."""
    name = row.get("kommun_name_en" if lang == "en" else "kommun_name")
    return t("kopare.unknown_kommun", lang) if blank(name) else str(name)


def search_text(row: pd.Series, lang: str) -> str:
    """What the free-text search looks in for one row: enterprise name, town, municipality name,
    category label and the service description in ``lang``, case-folded."""
    parts = [row.get("name"), row.get("town"), kommun_label(row, lang),
             category_label(row["category_id"], lang), row.get("service_en" if lang == "en" else "service_sv")]
    return " \u241f ".join("" if blank(p) else str(p) for p in parts).casefold()


def filter_services(rows: pd.DataFrame, *, categories: list[str] | None = None,
                    kommuner: list[str] | None = None, q: str = "", lang: str = "sv") -> pd.DataFrame:
    """Rows of a ``service_list`` result that match every filter given (row order kept).

    categories: category ids; empty/None = all. kommuner: 4-digit codes and/or UNKNOWN ('okand');
    empty/None = all. q: plain text, matched case-insensitively as a substring of search_text
    (no wildcards or regular expressions); '' matches every row."""
    mask = pd.Series(True, index=rows.index)
    if categories:
        mask &= rows["category_id"].isin(set(categories))
    if kommuner:
        mask &= rows["kommun"].isin(set(kommuner))
    needle = (q or "").strip().casefold()
    if needle:
        mask &= pd.Series([needle in search_text(r, lang) for _, r in rows.iterrows()], index=rows.index,
                          dtype=bool)
    return rows[mask]


def contact_text(url: object, lang: str) -> str:
    """'Kontakt: företagets webbplats' when the enterprise's own site is known, else
    'kontaktuppgift saknas' (in ``lang``)."""
    return t("kopare.contact_site" if not blank(url) else "kopare.contact_missing", lang)


def readable_url(url: object) -> str:
    """``url`` with an internationalised host name shown as written ('xn--tervinningsbutiken-3tb.se'
    -> 'återvinningsbutiken.se'); browsers open both forms alike. '' when blank."""
    if blank(url):
        return ""
    text = str(url).strip()
    parts = urlsplit(text)
    host = parts.hostname or ""
    if "xn--" not in host:
        return text
    try:
        shown = host.encode("ascii").decode("idna")
    except UnicodeError:
        return text
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(host, shown)))


def table_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list as shown on the page: one row per service, columns name, kommun, category,
    service, contact, contact_url ('' when unknown: an empty link cell, never the text 'None'),
    source_url, year, in ``lang``; URLs with readable host names."""
    return pd.DataFrame({
        "name": rows["name"].tolist(),
        "kommun": [kommun_label(r, lang) for _, r in rows.iterrows()],
        "category": [category_label(c, lang) for c in rows["category_id"]],
        "service": rows["service_en" if lang == "en" else "service_sv"].tolist(),
        "year": rows["year_en" if lang == "en" else "year_sv"].tolist(),
        "source_url": [readable_url(u) for u in rows["source_url"]],
        "contact": [contact_text(u, lang) for u in rows["contact_url"]],
        "contact_url": [readable_url(u) for u in rows["contact_url"]],
    }, columns=["name", "kommun", "category", "service", "contact", "contact_url", "source_url", "year"])


def export_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The filtered list for a buyer's own files: one row per service with readable column names
    in ``lang`` (enterprise, municipality and its code, category, service, the compilation's
    quote, year of statement, source URL, contact URL or 'kontaktuppgift saknas', and the ids)."""
    def col(key: str) -> str:
        return t(f"kopare.export.{key}", lang)

    return pd.DataFrame({
        col("name"): rows["name"].tolist(),
        col("kommun"): [kommun_label(r, lang) for _, r in rows.iterrows()],
        col("kommun_code"): rows["kommun_code"].tolist(),
        col("category"): [category_label(c, lang) for c in rows["category_id"]],
        col("service"): rows["service_en" if lang == "en" else "service_sv"].tolist(),
        col("quote"): rows["quote"].tolist(),
        col("year"): rows["year_en" if lang == "en" else "year_sv"].tolist(),
        col("source_url"): rows["source_url"].tolist(),
        col("contact_url"): [u if not blank(u) else t("kopare.contact_missing", lang) for u in rows["contact_url"]],
        "asf_id": rows["asf_id"].tolist(),
        "category_id": rows["category_id"].tolist(),
    })


def filter_summary(categories: list[str], kommuner: list[str], q: str, kommun_names: dict[str, str],
                   lang: str) -> str:
    """The chosen filters in words ('Kategori: …; Kommun: …; Sök: "…"'), or 'inga filter'/'no filters'."""
    parts = []
    if categories:
        parts.append(f"{t('kopare.category_filter', lang)}: " + ", ".join(category_label(c, lang) for c in categories))
    if kommuner:
        names = [t("kopare.unknown_kommun", lang) if k == UNKNOWN else kommun_names.get(k, k) for k in kommuner]
        parts.append(f"{t('kopare.kommun_filter', lang)}: " + ", ".join(names))
    if (q or "").strip():
        parts.append(f"{t('kopare.search_label', lang)}: \"{q.strip()}\"")
    return "; ".join(parts) if parts else t("kopare.no_filters", lang)


def about_sheet(rows: pd.DataFrame, lang: str, *, filters: str, today: date | None = None) -> dict[str, str]:
    """The "Om datan" sheet of the XLSX export: what the file holds, the filters, the coverage
    caveat, how it was compiled, every source URL of the exported rows, and the date."""
    sources = list(dict.fromkeys(rows["source_url"]))
    about = {
        t("kopare.about.content", lang): t("kopare.about.content_text", lang, n=len(rows)),
        t("kopare.about.filters", lang): filters,
        t("kopare.about.coverage", lang): t("kopare.coverage", lang),
        t("kopare.about.method", lang): t("kopare.about.method_text", lang),
        t("kopare.about.created", lang): (today or date.today()).isoformat(),
    }
    for i, url in enumerate(sources, start=1):
        about[t("kopare.about.source_n", lang, n=i)] = url
    return about


def without_services(register: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Register enterprises with no row in the services list (their services are unknown), in
    register order."""
    return register[~register["asf_id"].isin(set(services["asf_id"]))]


def counts(rows: pd.DataFrame, column: str) -> dict[str, int]:
    """Number of service rows per value of ``column`` (e.g. 'category_id' or 'kommun')."""
    return {k: int(v) for k, v in rows[column].value_counts().items()}


def by_enterprise(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows of a ``service_list`` result split per enterprise (one frame per asf_id), in the
    order the enterprises first appear."""
    return [rows[rows["asf_id"] == a] for a in dict.fromkeys(rows["asf_id"])]
