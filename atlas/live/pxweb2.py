"""SCB's Statistikdatabasen through PxWebApi 2 (https://statistikdatabasen.scb.se/api/v2).

Endpoints used (PxTools/PxApiSpecs, PxAPI-2.yml, spec 2.x; every call with ``lang=sv``):

* ``GET /config``: ``apiVersion``, ``maxDataCells``, ``maxCallsPerTimeWindow`` per ``timeWindow``
  seconds. Read once per run; the rate limit and the cell limit come from here. A missing or zero
  limit is not "no limit" (SSB publishes 0 and limits by header): SCB's published v1 limits are
  used instead, the stricter ones.
* ``GET /tables/{id}``: the table's label and ``paths`` (its folders, e.g. AM > AM0210 > AM0210A);
  a pinned id is checked to still sit in the v1 table's folder.
* ``GET /tables?query=...&includeDiscontinued=true&pageSize=100``: the lookup for a table whose v2
  id is not pinned: candidates are the hits filed under the v1 folder, and the one whose metadata
  has the expected variables is used; none or several stop the update naming what was seen.
* ``GET /tables/{id}/metadata``: json-stat2 with ``"value": []``; each dimension's
  ``category.index`` / ``label`` are the values and texts, ``extension.elimination`` and
  ``extension.codelists`` (``codeLists`` in older servers) as the spec describes.
* ``GET /codelists/{id}``: ``{id, label, type, values: [{code, label, valueMap}]}``; the Region
  value sets for län and kommun (``vs_RegionLän07``, ``vs_RegionKommun07`` in SCB's tables) say
  which region codes are which, where a table offers them.
* ``POST /tables/{id}/data?outputFormat=json-stat2`` with ``{"selection": [{"variableCode",
  "valueCodes": [...]}]}``; every variable the atlas needs is selected explicitly (no selection means
  SCB's default selection), the query split so no call exceeds ``maxDataCells``.

Errors are ``application/problem+json``; the server answers too many cells with 400 ("Too many
cells selected") where the spec says 403, so both are read as a cell-limit refusal, and an unknown
table is 404 "Non-existent table". Every error names the table (v1 name and v2 id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from atlas.live import jsonstat
from atlas.live.http import LiveError, LiveHttp
from atlas.live.paging import Selection, cells, split_selection
from atlas.live.scb import (PUBLISHED_MAX_CALLS, PUBLISHED_MAX_CELLS, PUBLISHED_WINDOW_S, Fetched, Table,
                            TableMeta, Variable, named, schema_error)

SCB_V2_BASE = "https://statistikdatabasen.scb.se/api/v2"
V2_API = "PxWebApi 2"
LANG = "sv"
SEARCH_PAGE_SIZE = 100
SEARCH_MAX_PAGES = 5  # 500 hits is far more than any of our searches should give
MAX_CANDIDATES = 8  # metadata calls spent on one lookup at most
# The Region value sets that say which codes are län and kommuner (SCB's names for them).
REGION_LEVEL_LISTS = (("vs_RegionLän", "lan"), ("vs_RegionKommun", "kommun"))


def _fmt(where: str, sv: str, en: str) -> LiveError:
    return LiveError(f"{where}: {sv}", f"{where}: {en}", kind="format")


@dataclass(frozen=True)
class Resolved:
    """A table's v2 id and how it was found: "pinned" (the code's id, checked), "given" (an
    operator's --scb-table), "search" (looked up this run)."""

    table: Table
    id: str
    how: str
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.table.name} ({self.id})"


class PxWeb2Client:
    """PxWebApi 2 at ``base``; limits from ``/config`` on first use. ``pins``: {v1 name: v2 id}
    given by the operator, used instead of the code's id or the lookup."""

    api = V2_API

    def __init__(self, http: LiveHttp, base: str = SCB_V2_BASE, service: str = "scb",
                 pins: dict[str, str] | None = None):
        self.http, self.base, self.service = http, base.rstrip("/"), service
        self.pins = dict(pins or {})
        self.max_cells: int | None = None
        self.api_version = ""
        self._resolved: dict[str, tuple[Resolved, TableMeta, bytes]] = {}  # per run: one lookup per table
        self._levels: dict[str, dict[str, str]] = {}

    @property
    def host(self) -> str:
        return self.base.split("/")[2]

    def url(self, path: str, **params: Any) -> str:
        query = urlencode({"lang": LANG, **params}, quote_via=quote)
        return f"{self.base}{path}?{query}"

    def _get(self, path: str, where: str, **params: Any) -> tuple[Any, bytes]:
        try:
            raw = self.http.get(self.url(path, **params), service=self.service)
        except LiveError as exc:
            raise named(exc, where) from exc
        return jsonstat.loads(raw, f"SCB {where}"), raw

    # --- limits ----------------------------------------------------------------------------------

    def configure(self) -> int:
        """Read /config once (rate limit + cell limit); return the cell limit in use. Raises
        LiveError; kind "offline"/"timeout"/"missing"/"http" mean the API could not be reached."""
        if self.max_cells is not None:
            return self.max_cells
        self.http.set_limit(self.service, PUBLISHED_MAX_CALLS, PUBLISHED_WINDOW_S)
        cfg, _ = self._get("/config", "PxWebApi 2 /config")
        if not isinstance(cfg, dict) or not isinstance(cfg.get("apiVersion"), str):
            raise _fmt("SCB PxWebApi 2 /config", "svaret saknar apiVersion; det är inte PxWebApi 2.",
                       "the answer has no apiVersion; it is not PxWebApi 2.")
        self.api_version = cfg["apiVersion"]
        if not self.api_version.split(".")[0].isdigit() or int(self.api_version.split(".")[0]) < 2:
            raise _fmt("SCB PxWebApi 2 /config", f"apiVersion är {self.api_version!r}, inte 2.x.",
                       f"apiVersion is {self.api_version!r}, not 2.x.")

        def positive(key: str) -> int | None:
            value = cfg.get(key)
            return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None

        calls, window = positive("maxCallsPerTimeWindow"), positive("timeWindow")
        if calls and window:
            self.http.set_limit(self.service, calls, window)
        self.max_cells = positive("maxDataCells") or PUBLISHED_MAX_CELLS
        return self.max_cells

    # --- finding the table -----------------------------------------------------------------------

    def resolve(self, table: Table) -> tuple[Resolved, TableMeta, bytes]:
        """The table's v2 id, its metadata and the raw metadata body. Raises LiveError naming the
        table when the pinned id has moved or the lookup finds none or several."""
        self.configure()
        if table.name in self._resolved:
            return self._resolved[table.name]
        if table.name in self.pins:
            found = Resolved(table, self.pins[table.name], "given")
            meta, raw = self._metadata(found)
        elif table.confirmed:
            found = self._check_pinned(table)
            meta, raw = self._metadata(found)
        else:
            found, meta, raw = self._look_up(table)
        self._resolved[table.name] = (found, meta, raw)
        return found, meta, raw

    def _check_pinned(self, table: Table) -> Resolved:
        where = f"{table.name} ({table.v2_id})"
        item, _ = self._get(f"/tables/{quote(table.v2_id, safe='')}", where)
        if not isinstance(item, dict) or str(item.get("id", "")).upper() != table.v2_id.upper():
            raise _fmt(f"SCB {where}", "tabellsvaret har inte tabellens id.", "the table answer lacks the table's id.")
        folders = _folders(item)
        if folders and table.folder.upper() not in folders:
            raise schema_error(where, f"tabellen ligger inte längre i mappen {table.folder} "
                                      f"(nu: {', '.join(sorted(folders)) or 'ingen'}).",
                               f"the table is no longer filed under {table.folder} "
                               f"(now: {', '.join(sorted(folders)) or 'none'}).")
        return Resolved(table, table.v2_id, "pinned", str(item.get("label", "")))

    def search(self, query: str) -> list[dict]:
        """Every table item /tables returns for ``query`` (discontinued included), following pages."""
        items: list[dict] = []
        for page in range(1, SEARCH_MAX_PAGES + 1):
            doc, _ = self._get("/tables", f"PxWebApi 2 /tables?query={query}", query=query,
                               includeDiscontinued="true", pageSize=SEARCH_PAGE_SIZE, pageNumber=page)
            if not isinstance(doc, dict) or not isinstance(doc.get("tables"), list):
                raise _fmt(f"SCB PxWebApi 2 /tables?query={query}", "svaret saknar listan 'tables'.",
                           "the answer has no 'tables' list.")
            items += [t for t in doc["tables"] if isinstance(t, dict) and isinstance(t.get("id"), str)]
            info = doc.get("page") if isinstance(doc.get("page"), dict) else {}
            total = info.get("totalPages")
            if not isinstance(total, int) or page >= total:
                break
        return items

    def _look_up(self, table: Table) -> tuple[Resolved, TableMeta, bytes]:
        hits = self.search(table.search)
        under = [t for t in hits if table.folder.upper() in _folders(t)]
        # The lead (a third-party id) first, so it is checked even when the hits are many.
        under.sort(key=lambda t: t["id"] != table.v2_id)
        matches, seen = [], []
        for item in under[:MAX_CANDIDATES]:
            found = Resolved(table, item["id"], "search", str(item.get("label", "")))
            meta, raw = self._metadata(found)
            seen.append(f"{item['id']} ({', '.join(meta.variables)})")
            if set(meta.variables) == set(table.variables):
                matches.append((found, meta, raw))
        expected = ", ".join(sorted(table.variables))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            what_sv = "; ".join(seen) if seen else f"inga träffar i mappen {table.folder}"
            what_en = "; ".join(seen) if seen else f"no hits filed under {table.folder}"
            raise LiveError(
                f"SCB {table.name}: PxWebApi 2 har ingen tabell i mappen {table.folder} med variablerna {expected} "
                f"(sökning {table.search!r}: {what_sv}). Ange tabellens id med --scb-table {table.name}=TAB...",
                f"SCB {table.name}: PxWebApi 2 has no table filed under {table.folder} with the variables {expected} "
                f"(search {table.search!r}: {what_en}). Give the table's id with --scb-table {table.name}=TAB...",
                kind="missing")
        ids = ", ".join(f"{m[0].id} ({m[0].label})" for m in matches)
        raise LiveError(
            f"SCB {table.name}: flera tabeller i mappen {table.folder} passar ({ids}); ange vilken med "
            f"--scb-table {table.name}=TAB...",
            f"SCB {table.name}: several tables filed under {table.folder} fit ({ids}); say which with "
            f"--scb-table {table.name}=TAB...", kind="schema")

    # --- metadata, code lists, data --------------------------------------------------------------

    def _metadata(self, found: Resolved) -> tuple[TableMeta, bytes]:
        doc, raw = self._get(f"/tables/{quote(found.id, safe='')}/metadata", found.name)
        meta = parse_metadata(doc, found.name)
        levels = self._region_levels(doc, found.name)
        if levels is not None:
            meta = TableMeta(meta.name, meta.title, meta.variables, levels)
        return meta, raw

    def _region_levels(self, doc: dict, where: str) -> dict[str, str] | None:
        """{code: "lan" | "kommun"} from the Region dimension's län and kommun value sets, when the
        table lists both; None when it does not (the code's length decides then)."""
        region = (doc.get("dimension") or {}).get("Region")
        ext = region.get("extension") if isinstance(region, dict) else None
        lists = []
        if isinstance(ext, dict):
            lists = ext.get("codelists") or ext.get("codeLists") or []
        ids = [c.get("id") for c in lists if isinstance(c, dict) and isinstance(c.get("id"), str)]
        chosen = {}
        for prefix, level in REGION_LEVEL_LISTS:
            match = sorted(i for i in ids if i.startswith(prefix))
            if match:
                chosen[level] = match[-1]  # the newest division when several years are offered
        if len(chosen) < len(REGION_LEVEL_LISTS):
            return None
        levels: dict[str, str] = {}
        for level, list_id in chosen.items():
            for code in self.codelist(list_id, where):
                levels.setdefault(code, level)
        return levels

    def codelist(self, list_id: str, where: str) -> list[str]:
        """The value codes of a code list (fetched once per run)."""
        if list_id not in self._levels:
            doc, _ = self._get(f"/codelists/{quote(list_id, safe='')}", f"{where} /codelists/{list_id}")
            values = doc.get("values") if isinstance(doc, dict) else None
            if not isinstance(values, list) or not all(isinstance(v, dict) and isinstance(v.get("code"), str)
                                                       for v in values):
                raise _fmt(f"SCB {where} /codelists/{list_id}", "kodlistan saknar 'values' med koder.",
                           "the code list has no 'values' with codes.")
            self._levels[list_id] = {v["code"]: str(v.get("label", "")) for v in values}
        return list(self._levels[list_id])

    def metadata(self, table: Table) -> tuple[TableMeta, bytes]:
        _, meta, raw = self.resolve(table)
        return meta, raw

    def _found(self, table: Table) -> Resolved | None:
        entry = self._resolved.get(table.name)
        return entry[0] if entry else None

    def table_url(self, table: Table) -> str:
        found = self._found(table)
        return f"{self.base}/tables/{found.id if found else table.v2_id or table.name}/data"

    def api_text(self, table: Table) -> str:
        """What the source row says delivered the data: API (version from /config), host, table id and
        how the id was found."""
        found = self._found(table)
        version = f" {self.api_version}" if self.api_version else ""
        how = {"pinned": "fast id", "given": "id angivet", "search": "funnen via sökning"}.get(
            found.how if found else "", "")
        tid = found.id if found else "?"
        return f"{self.api}{version}: {tid} = {table.name}" + (f" ({how})" if how else "") + f" · {self.host}"

    def data(self, table: Table, selection: Selection) -> Fetched:
        """POST the selection as json-stat2, split under the cell limit; every answer checked (a
        dataset, the selected dimensions and only those, or an eliminated one with a single value)."""
        max_cells = self.configure()
        found, meta, _ = self.resolve(table)  # from this run's cache after metadata()
        queries = split_selection(selection, max_cells)
        docs, raws = [], []
        for i, q in enumerate(queries):
            where = f"SCB {found.name} (anrop/call {i + 1}/{len(queries)})"
            body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in q.items()]}
            try:
                raw = self.http.post_json(self.url(f"/tables/{quote(found.id, safe='')}/data",
                                                   outputFormat="json-stat2"), body, service=self.service)
            except LiveError as exc:
                raise named(exc, where) from exc
            doc = jsonstat.loads(raw, where)
            jsonstat.dataset_frame(doc, where, max_cells=max_cells)  # validate now, before anything is written
            _check_dimensions(doc, q, meta, found.name)
            docs.append(doc)
            raws.append(raw)
        return Fetched(docs, raws, len(queries), cells(selection))


def _folders(item: dict) -> set[str]:
    """Upper-case ids of every folder in a table item's ``paths`` (a list of lists of {id, label})."""
    paths = item.get("paths")
    out: set[str] = set()
    if isinstance(paths, list):
        for path in paths:
            for level in path if isinstance(path, list) else []:
                if isinstance(level, dict) and isinstance(level.get("id"), str):
                    out.add(level["id"].upper())
    return out


def _check_dimensions(doc: dict, query: Selection, meta: TableMeta | None, table: str) -> None:
    ids = list(doc["id"])
    extra = [d for d, n in zip(ids, doc["size"]) if d not in query]
    missing = [d for d in query if d not in ids]
    eliminable = {c for c, v in (meta.variables.items() if meta else []) if v.elimination}
    sizes = dict(zip(ids, doc["size"]))
    if missing or any(sizes[d] != 1 or (meta and d not in eliminable) for d in extra):
        raise schema_error(table, f"svaret har dimensionerna {ids}, frågan {list(query)}.",
                           f"the response has dimensions {ids}, the query {list(query)}.")


def parse_metadata(doc: Any, name: str) -> TableMeta:
    """TableMeta from a PxWebApi 2 metadata document (json-stat2, ``value`` empty): each dimension in
    ``id`` order with its category codes (index order) and labels; elimination from ``extension``;
    time from ``role.time``. ``size`` is not used: the spec's own example lists more categories than
    its sizes. LiveError(kind="format") when it is not such a document."""
    where = f"SCB {name} metadata"
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or not isinstance(doc.get("id"), list):
        raise _fmt(where, "svaret är inte json-stat2-metadata (class 'dataset' med 'id').",
                   "the answer is not json-stat2 metadata (class 'dataset' with 'id').")
    dims = doc.get("dimension")
    if not isinstance(dims, dict):
        raise _fmt(where, "'dimension' saknas.", "'dimension' is missing.")
    role = doc.get("role") if isinstance(doc.get("role"), dict) else {}
    time_ids = set(role.get("time") or [])
    variables = {}
    for dim_id in doc["id"]:
        dim = dims.get(dim_id)
        category = dim.get("category") if isinstance(dim, dict) else None
        index = category.get("index") if isinstance(category, dict) else None
        labels = category.get("label") if isinstance(category, dict) else None
        if isinstance(index, dict):
            try:
                codes = [str(c) for c, _ in sorted(index.items(), key=lambda kv: int(kv[1]))]
            except (TypeError, ValueError):
                codes = None
        elif isinstance(index, list):
            codes = [str(c) for c in index]
        else:
            codes = None
        if codes is None or not isinstance(labels, dict) or any(c not in labels for c in codes):
            raise _fmt(where, f"dimensionen {dim_id!r} saknar category.index eller en etikett.",
                       f"dimension {dim_id!r} lacks category.index or a label.")
        ext = dim.get("extension") if isinstance(dim.get("extension"), dict) else {}
        variables[str(dim_id)] = Variable(str(dim_id), str(dim.get("label", dim_id)), tuple(codes),
                                          tuple(str(labels[c]) for c in codes), bool(ext.get("elimination", False)),
                                          dim_id in time_ids)
    return TableMeta(name, str(doc.get("label", "")), variables)
