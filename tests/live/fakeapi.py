"""A local stand-in for SCB PxWeb v1 and PxWebApi 2, Kolada and Arbetsförmedlingen, over real HTTP.

It answers the way the real APIs do (documented formats): PxWeb ``?config``, table metadata on GET,
json-stat2 for the selected values on POST (403 above the cell limit, 400 for an unknown variable);
PxWebApi 2's /config, /tables search, /tables/{id}, /metadata, /codelists and POST /data with
problem+json errors as the server code writes them (400 "Too many cells selected", 404
"Non-existent table"), the bodies from tests/live/fixtures/pxwebapi2 (each names the spec version);
Kolada pages linked by ``next_page`` (or ``next_url``), the Yrkesbarometern array. Values come from
the mirror-built database, so every number in a response is a number from the sources. Canned
replies (a 429, a slow answer, a broken body) can be queued per path to test failures.
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb

from atlas.live.http import LiveHttp

FIXTURES = Path(__file__).parent / "fixtures"
SCB_ROOT = "/OV0104/v1/doris/sv/ssd/"
SCB_START = SCB_ROOT + "START/"
ARBSTATUSM = "AM/AM0210/AM0210A/ArbStatusM"
BAS_IDS = {
    "antal sysselsatta": "sysselsatta", "antal arbetslösa": "arbetslosa",
    "antal sysselsatta och arbetslösa (arbetskraften)": "arbetskraften", "antal studerande": "studerande",
    "antal pensionärer": "pensionarer", "antal sjuka": "sjuka", "antal övriga": "ovriga",
    "antal totalt": "befolkning_20_64", "arbetslöshet": "arbetsloshet",
    "arbetskraftsdeltagande": "arbetskraftsdeltagande", "sysselsättningsgrad": "sysselsattningsgrad",
}
KOLADA_KPIS = {"N03926": "langtidsarbetsloshet_25_64", "N00914": "forvarvsfrekvens_20_64"}


def quick_http(**overrides) -> LiveHttp:
    """Short timeouts and no backoff, so failure tests take seconds; 429 waits still follow Retry-After."""
    options = {"connect_timeout": 2.0, "read_timeout": 5.0, "retries": 1, "backoff_s": 0.0}
    return LiveHttp(**{**options, **overrides})


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay_s: float = 0.0
    chunk: int = 0  # send the body in pieces of this size (0: at once) ...
    chunk_delay_s: float = 0.0  # ... pausing this long after each (a server dripping bytes)


def json_reply(doc, status: int = 200) -> Reply:
    return Reply(status, json.dumps(doc, ensure_ascii=False).encode("utf-8"), {"Content-Type": "application/json"})


def mirror_value(con, indicator: str, region: str, period: str, sex: str = "T", category: str = ""):
    row = con.execute("SELECT value FROM observation WHERE preferred AND indicator_id=? AND region_code=? "
                      "AND period=? AND sex=? AND category=?", [indicator, region, period, sex, category]).fetchone()
    return None if row is None or row[0] != row[0] else row[0]


def bas_cube(db: Path, meta: dict, months: dict[str, str]) -> dict[tuple, float | None]:
    """Cells of ArbStatusM for every metadata combination: the total (Kon totalt, Fodelseregion
    totalt, 20-64 år) from the mirror database, month m taken from the database's month months[m];
    the 16-64 total is the mirror's 20-64 value twelve months earlier (a number from the sources that
    differs from the 20-64 one, so the two age groups cannot be mixed up unnoticed); every other cell
    is missing (null), as SCB marks cells it does not publish."""
    variables = meta["variables"]
    text = {v["code"]: dict(zip(v["values"], v["valueTexts"])) for v in variables}
    con = duckdb.connect(str(db), read_only=True)
    cube = {}
    try:
        def walk(i: int, key: tuple):
            if i == len(variables):
                cell = dict(zip([v["code"] for v in variables], key))
                age = text["Alder"][cell["Alder"]]
                total = (text["Kon"][cell["Kon"]] == "totalt"
                         and text["Fodelseregion"][cell["Fodelseregion"]] == "totalt"
                         and age in ("20-64 år", "16-64 år"))
                indicator = BAS_IDS[text["ContentsCode"][cell["ContentsCode"]]]
                month = months[cell["Tid"]] if age == "20-64 år" else year_earlier(months[cell["Tid"]])
                value = mirror_value(con, indicator, cell["Region"], month) if total else None
                if value is not None and text["ContentsCode"][cell["ContentsCode"]].startswith("antal"):
                    value = int(value)  # counts are integers in SCB's answers
                cube[key] = value
                return
            for code in variables[i]["values"]:
                walk(i + 1, key + (code,))
        walk(0, ())
    finally:
        con.close()
    return cube


def year_earlier(month: str) -> str:
    return f"{int(month[:4]) - 1}{month[4:]}"


# --- the other SCB tables: metadata built from ArbStatusM's regions, values from the mirror ---------

ARREGARBSTATUS = "AM/AM0210/AM0210D/ArRegArbStatus"
BEFOLKNINGNY = "BE/BE0101/BE0101A/BefolkningNy"
DAGSNI07KONKN = "AM/AM0207/AM0207Z/DagSni07KonKN"
YEARS = ["2023", "2024"]
# SNI 2007 groups as DagSni07KonKN lists them (texts as in data/curated/indicators.yml; the codes are
# placeholders, since the client selects by text).
SNI_TEXTS = [
    "jordbruk, skogsbruk och fiske", "tillverkning och utvinning", "energiförsörjning; miljöverksamhet",
    "byggverksamhet", "handel", "transport och magasinering", "hotell- och restaurangverksamhet",
    "information och kommunikation", "finans- och försäkringsverksamhet", "fastighetsverksamhet",
    "företagstjänster", "offentlig förvaltning och försvar", "utbildning", "vård och omsorg; sociala tjänster",
    "kulturella och personliga tjänster m.m.", "okänd verksamhet",
]


def _var(code: str, text: str, values: list[str], texts: list[str] | None = None, **flags) -> dict:
    return {"code": code, "text": text, "values": values, "valueTexts": texts or values, **flags}


def extra_metadata() -> dict[str, dict]:
    """PxWeb v1 metadata for ArRegArbStatus, BefolkningNy and DagSni07KonKN (variables as SOURCES.md
    lists them), with ArbStatusM's regions."""
    bas = fixture("scb_arbstatusm_metadata.json")
    by_code = {v["code"]: v for v in bas["variables"]}
    region = by_code["Region"]
    time = _var("Tid", "år", YEARS, time=True)
    ages = [str(a) for a in range(0, 100)] + ["100+"]
    return {
        ARREGARBSTATUS: {"title": "Befolkningens arbetsmarknadsstatus (BAS), år", "variables": [
            region, by_code["Kon"], by_code["Alder"], by_code["Fodelseregion"], by_code["ContentsCode"], time]},
        BEFOLKNINGNY: {"title": "Folkmängd efter region, civilstånd, ålder och kön. År", "variables": [
            region,
            _var("Civilstand", "civilstånd", ["OG", "G", "SK", "ÄNKL"],
                 ["ogifta", "gifta", "skilda", "änkor/änklingar"], elimination=True),
            _var("Alder", "ålder", ages, [f"{a} år" for a in ages], elimination=True),
            _var("Kon", "kön", ["1", "2"], ["män", "kvinnor"], elimination=True),
            _var("ContentsCode", "tabellinnehåll", ["BE0101N1", "BE0101N2"], ["Folkmängd", "Folkökning"]),
            time]},
        DAGSNI07KONKN: {"title": "Förvärvsarbetande efter region, näringsgren SNI 2007 och kön. År", "variables": [
            region,
            _var("SNI2007", "näringsgren SNI 2007", [f"S{i:02d}" for i in range(len(SNI_TEXTS))], SNI_TEXTS),
            _var("Kon", "kön", ["1", "2"], ["män", "kvinnor"]),
            _var("ContentsCode", "tabellinnehåll", ["000000LV", "000000LW"],
                 ["Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning)",
                  "Förvärvsarbetande 16+ år efter bostadens belägenhet (nattbefolkning)"]),
            time]},
    }


def share(total: float | None, n: int, i: int) -> int | None:
    """Part i of ``total`` split into n integers that add up to it exactly."""
    if total is None:
        return None
    base, rest = divmod(int(total), n)
    return base + (1 if i < rest else 0)


class MirrorValues:
    """Cell values for the extra tables, each a number from the mirror database (or derived from one
    exactly, so the tests can check sums):
    - ArRegArbStatus year Y: the total cell (Kon, Fodelseregion totalt; 20-64 år) is the mirror's
      monthly value for November of Y (BAS's annual reference month); other cells missing.
    - BefolkningNy year Y: the mirror's befolkning_20_64 for December of Y split over the 45 ages
      20-64 x 2 sexes (so the ages add up to it exactly); other ages missing.
    - DagSni07KonKN year Y: the mirror's sysselsatta for November of Y split over the industries x
      2 sexes; the night-population measure is missing."""

    def __init__(self, db: Path, meta: dict[str, dict]):
        self.con = duckdb.connect(str(db), read_only=True)
        self.text = {t: {v["code"]: dict(zip(v["values"], v["valueTexts"])) for v in m["variables"]}
                     for t, m in meta.items()}
        self.cache: dict[tuple, float | None] = {}
        self.lock = threading.Lock()

    def mirror(self, indicator: str, region: str, period: str):
        key = (indicator, region, period)
        with self.lock:
            if key not in self.cache:
                self.cache[key] = mirror_value(self.con, indicator, region, period)
            return self.cache[key]

    def __call__(self, table: str, cell: dict) -> float | None:
        text = {k: self.text[table][k][v] for k, v in cell.items()}
        year = text["Tid"]
        if table == ARREGARBSTATUS:
            if (text["Kon"], text["Fodelseregion"], text["Alder"]) != ("totalt", "totalt", "20-64 år"):
                return None
            value = self.mirror(BAS_IDS[text["ContentsCode"]], cell["Region"], f"{year}M11")
            return int(value) if value is not None and text["ContentsCode"].startswith("antal") else value
        if table == BEFOLKNINGNY:
            age = int(text["Alder"].split()[0].rstrip("+"))
            if text["ContentsCode"] != "Folkmängd" or not 20 <= age <= 64:
                return None
            i = (age - 20) * 2 + (0 if text["Kon"] == "män" else 1)
            return share(self.mirror("befolkning_20_64", cell["Region"], f"{year}M12"), 90, i)
        if table == DAGSNI07KONKN:
            if "dagbefolkning" not in text["ContentsCode"]:
                return None
            i = SNI_TEXTS.index(text["SNI2007"]) * 2 + (0 if text["Kon"] == "män" else 1)
            return share(self.mirror("sysselsatta", cell["Region"], f"{year}M11"), 2 * len(SNI_TEXTS), i)
        raise KeyError(table)


@lru_cache(maxsize=4)
def _cube(db: str, months: tuple, api: str = "v1") -> tuple:
    meta = fixture("scb_arbstatusm_metadata.json") if api == "v1" else v1_style(v2_fixture("metadata_TAB6260.json"))
    return tuple(bas_cube(Path(db), meta, dict(months)).items())


# --- PxWebApi 2 ----------------------------------------------------------------------------------

V2_ROOT = "/api/v2"
V2_METADATA = ("TAB6260", "TAB99001", "TAB99002", "TAB99003", "TAB638", "TAB5837")
# Which v1 table's mirror-derived values each v2 table serves (TAB6260 uses the BAS cube).
V2_VALUES = {"TAB99001": ARREGARBSTATUS, "TAB638": BEFOLKNINGNY, "TAB5837": DAGSNI07KONKN}


def v2_fixture(name: str):
    """The response body of a PxWebApi 2 fixture (the file wraps it with the spec version it follows)."""
    doc = fixture(f"pxwebapi2/{name}")
    assert doc["spec"].startswith("PxTools/PxApiSpecs PxAPI-2.yml"), name
    return doc["body"]


def _plain(text: str) -> str:
    return text.replace("\u2013", "-")  # the value functions compare v1's hyphenated texts


def v1_style(meta: dict) -> dict:
    """A v2 metadata document as the v1 shape the value functions read (texts with hyphens)."""
    variables = []
    for code in meta["id"]:
        cat = meta["dimension"][code]["category"]
        codes = sorted(cat["index"], key=cat["index"].get)
        variables.append({"code": code, "text": meta["dimension"][code]["label"], "values": codes,
                          "valueTexts": [_plain(cat["label"][c]) for c in codes]})
    return {"title": meta["label"], "variables": variables}


def problem(status: int, title: str, type_: str = "Parameter error") -> Reply:
    body = json.dumps({"type": type_, "title": title, "status": status}).encode()
    return Reply(status, body, {"Content-Type": "application/problem+json; charset=utf-8"})


def jsonstat2_v2(meta: dict, selected: dict[str, list[str]], value_of) -> dict:
    """The json-stat2 data answer PxWebApi 2 gives: the table's dimensions in its order, the
    eliminated ones absent, labels as in the metadata, row-major values (None -> status "..")."""
    order = [d for d in meta["id"] if d in selected]
    values, status = cells_in_order(order, selected, value_of)
    dims = {}
    for d in order:
        src = meta["dimension"][d]
        dims[d] = {"label": src["label"], "category": {
            "index": {c: i for i, c in enumerate(selected[d])},
            "label": {c: src["category"]["label"][c] for c in selected[d]}},
            "extension": {"elimination": src.get("extension", {}).get("elimination", False)}}
    return {"version": "2.0", "class": "dataset", "label": meta["label"], "source": "SCB",
            "updated": meta["updated"], "role": meta["role"], "id": order, "size": [len(selected[d]) for d in order],
            "dimension": dims, "extension": {"px": {"tableid": meta["extension"]["px"]["tableid"]}},
            "value": values, "status": status}


@lru_cache(maxsize=4)
def _kolada(db: str) -> str:
    return json.dumps(kolada_records(Path(db)))


def kolada_records(db: Path) -> dict[str, list[dict]]:
    """Kolada records per KPI for Region Dalarna ("0020") from the mirror database, plus one record
    for Falun with a null value (Kolada's way of saying the value is missing)."""
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    try:
        for kpi, indicator in KOLADA_KPIS.items():
            rows = con.execute("SELECT period, sex, value FROM observation WHERE preferred AND indicator_id=? "
                               "AND region_code='20' ORDER BY period, sex", [indicator]).fetchall()
            by_year: dict[str, list] = {}
            for period, sex, value in rows:
                by_year.setdefault(period, []).append({"gender": sex, "status": "", "value": value, "count": 1})
            records = [{"kpi": kpi, "municipality": "0020", "period": int(y), "values": v} for y, v in by_year.items()]
            last = max(by_year)
            records.append({"kpi": kpi, "municipality": "2080", "period": int(last),
                            "values": [{"gender": "T", "status": "", "value": None, "count": 0}]})
            out[kpi] = records
    finally:
        con.close()
    return out


def cells_in_order(order: list[str], selected: dict[str, list[str]], value_of) -> tuple[list, dict]:
    """(values, status) of every combination of the selected codes in row-major order (the last
    dimension fastest); value_of({dimension: code}) gives a cell, None is missing (status "..")."""
    values, status = [], {}

    def walk(i: int, cell: dict):
        if i == len(order):
            value = value_of(cell)
            if value is None:
                status[str(len(values))] = ".."
            values.append(value)
            return
        for code in selected[order[i]]:
            walk(i + 1, {**cell, order[i]: code})
    walk(0, {})
    return values, status


def jsonstat2(meta: dict, selected: dict[str, list[str]], value_of) -> dict:
    """The json-stat2 answer PxWeb gives for ``selected`` (variables in table order; eliminated ones
    absent): value_of({code: value code}) gives each cell (None = missing, status "..")."""
    variables = [v for v in meta["variables"] if v["code"] in selected]
    values, status = cells_in_order([v["code"] for v in variables], selected, value_of)
    dims = {}
    for v in variables:
        texts = dict(zip(v["values"], v["valueTexts"]))
        codes = selected[v["code"]]
        dims[v["code"]] = {"label": v["text"], "category": {"index": {c: i for i, c in enumerate(codes)},
                                                             "label": {c: texts[c] for c in codes}}}
    return {"class": "dataset", "label": meta["title"], "source": "SCB", "updated": "2026-06-12T06:00:00Z",
            "id": [v["code"] for v in variables], "size": [len(selected[v["code"]]) for v in variables],
            "dimension": dims, "value": values, "status": status,
            "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "version": "2.0"}


class FakeApis:
    def __init__(self, db: Path, months: dict[str, str] | None = None):
        self.scb_config = fixture("scb_config.json")
        self.scb_meta = {ARBSTATUSM: fixture("scb_arbstatusm_metadata.json"), **extra_metadata()}
        self.extra_values = MirrorValues(db, {t: m for t, m in self.scb_meta.items() if t != ARBSTATUSM})
        self.months = months or {"2026M04": "2026M04", "2026M05": "2025M05"}
        self.cubes = {ARBSTATUSM: dict(_cube(str(db), tuple(sorted(self.months.items()))))}
        self.v2_config = v2_fixture("config.json")
        self.v2_tables = v2_fixture("tables.json")["tables"]
        self.v2_meta = {tid: v2_fixture(f"metadata_{tid}.json") for tid in V2_METADATA}
        self.v2_codelists = {cid: v2_fixture(f"codelist_{cid}.json") for cid in ("vs_RegionKommun07", "vs_RegionLän07")}
        self.v2_cube = dict(_cube(str(db), tuple(sorted(self.months.items())), "v2"))
        self.v2_values = MirrorValues(db, {V2_VALUES[t]: v1_style(self.v2_meta[t]) for t in V2_VALUES})
        self.kolada_munis = fixture("kolada_municipality.json")
        self.kolada = json.loads(_kolada(str(db)))  # a fresh copy per fake
        self.kolada_page_size = 8
        self.kolada_next_key = "next_page"  # API v2; v3 says "next_url"
        self.af_body = (FIXTURES / "yrkesbarometer_sample.json").read_bytes()
        self.canned: dict[tuple[str, str], list[Reply]] = {}
        self.log: list[tuple[str, str, int]] = []
        self.lock = threading.Lock()

    def queue(self, method: str, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` with these replies before the normal ones."""
        self.canned.setdefault((method, path), []).extend(replies)

    def count(self, method: str, prefix: str, status: int | None = None) -> int:
        return sum(1 for m, p, s in self.log
                   if m == method and p.startswith(prefix) and (status is None or s == status))

    def handle(self, method: str, target: str, body: bytes, host: str) -> Reply:
        with self.lock:
            queue = self.canned.get((method, target)) or self.canned.get((method, urlsplit(target).path))
            reply = queue.pop(0) if queue else None
        if reply is None:
            reply = self._answer(method, target, body, host)
        with self.lock:
            self.log.append((method, target, reply.status))
        return reply

    # --- the APIs --------------------------------------------------------------------------------

    def _answer(self, method: str, target: str, body: bytes, host: str) -> Reply:
        parts = urlsplit(target)
        path, query = parts.path, parts.query
        if path == SCB_ROOT and query == "config" and method == "GET":
            return json_reply(self.scb_config)
        if path.startswith(SCB_START):
            table = path[len(SCB_START):]
            if table not in self.scb_meta:
                return Reply(404, b"Not Found")
            if method == "GET":
                return json_reply(self.scb_meta[table])
            return self._pxweb_data(table, body)
        if path.startswith(V2_ROOT + "/"):
            return self._pxweb2(method, path[len(V2_ROOT):], parse_qs(query), body)
        if path == "/v3/municipality":
            return json_reply(self.kolada_munis)
        if path.startswith("/v3/data/kpi/"):
            return self._kolada_data(path, parse_qs(query), host)
        if path == "/prognoser/yrkesbarometer.json":
            return Reply(200, self.af_body, {"Content-Type": "application/json"})
        return Reply(404, b"Not Found")

    def _pxweb_data(self, table: str, body: bytes) -> Reply:
        meta = self.scb_meta[table]
        try:
            query = json.loads(body)
            selected = {q["code"]: q["selection"]["values"] for q in query["query"]}
            assert query["response"]["format"] == "json-stat2"
        except (ValueError, KeyError, TypeError, AssertionError):
            return Reply(400, b"Bad Request")
        variables = [v for v in meta["variables"] if v["code"] in selected]
        if set(selected) - {v["code"] for v in meta["variables"]}:
            return Reply(400, b"Bad Request")
        n = 1
        for v in variables:
            n *= len(selected[v["code"]])
        limit = self.scb_config.get("maxCells") or self.scb_config.get("maxValues")
        if n > limit:
            return Reply(403, b"Forbidden")
        if table in self.cubes:
            cube = self.cubes[table]
            all_codes = [v["code"] for v in meta["variables"]]
            return json_reply(jsonstat2(meta, selected, lambda cell: cube.get(tuple(cell.get(c) for c in all_codes))))
        return json_reply(jsonstat2(meta, selected, lambda cell: self.extra_values(table, cell)))

    def _pxweb2(self, method: str, path: str, query: dict, body: bytes) -> Reply:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if query.get("lang") != ["sv"]:
            return problem(400, "Unsupported language")  # the client always asks for Swedish
        if method == "GET" and parts == ["config"]:
            return json_reply(self.v2_config)
        if method == "GET" and parts == ["tables"]:
            return self._v2_search(query)
        if method == "GET" and len(parts) == 2 and parts[0] == "codelists":
            found = self.v2_codelists.get(parts[1])
            return json_reply(found) if found else problem(404, "Non-existent codelist")
        if len(parts) >= 2 and parts[0] == "tables":
            item = next((t for t in self.v2_tables if t["id"] == parts[1]), None)
            if item is None:
                return problem(404, "Non-existent table")
            if method == "GET" and len(parts) == 2:
                return json_reply(item)
            if method == "GET" and parts[2:] == ["metadata"]:
                return json_reply(self.v2_meta[parts[1]])
            if method == "POST" and parts[2:] == ["data"]:
                return self._v2_data(parts[1], query, body)
        return problem(404, "Not found")

    def _v2_search(self, query: dict) -> Reply:
        words = query.get("query", [""])[0].lower().split()
        discontinued = query.get("includeDiscontinued", ["false"])[0] == "true"
        size = int(query.get("pageSize", ["20"])[0])
        page = int(query.get("pageNumber", ["1"])[0])
        hits = [t for t in self.v2_tables if (discontinued or not t["discontinued"])
                and all(w in " ".join([t["label"], t["description"], *t["variableNames"]]).lower() for w in words)]
        pages = max(1, -(-len(hits) // size))
        if page > pages:
            return problem(404, "Non-existent page")
        return json_reply({"language": "sv", "tables": hits[(page - 1) * size: page * size],
                           "page": {"pageNumber": page, "pageSize": size, "totalElements": len(hits),
                                    "totalPages": pages, "links": []}, "links": []})

    def _v2_data(self, tid: str, query: dict, body: bytes) -> Reply:
        meta = self.v2_meta[tid]
        if query.get("outputFormat") != ["json-stat2"]:  # the server's fallback format is PX
            return Reply(200, b'CHARSET="ANSI";\nAXIS-VERSION="2013";', {"Content-Type": "text/plain"})
        try:
            selected = {s["variableCode"]: list(s["valueCodes"]) for s in json.loads(body)["selection"]}
        except (ValueError, KeyError, TypeError):
            return problem(400, "Invalid query")
        dims = meta["dimension"]
        for code in meta["id"]:
            if code not in selected and not dims[code]["extension"].get("elimination"):
                return problem(400, "Missing selection for mandantory variable")
        for code, values in selected.items():
            if code not in dims or not values or any(v not in dims[code]["category"]["index"] for v in values):
                return problem(400, "Non-existent variable or value")
        n = 1
        for values in selected.values():
            n *= len(values)
        if n > self.v2_config["maxDataCells"]:
            return problem(400, "Too many cells selected")
        if tid == "TAB6260":
            order = meta["id"]
            return json_reply(jsonstat2_v2(meta, selected, lambda cell: self.v2_cube.get(tuple(cell[c] for c in order))))
        table = V2_VALUES[tid]
        return json_reply(jsonstat2_v2(meta, selected, lambda cell: self.v2_values(table, cell)))

    def _kolada_data(self, path: str, query: dict, host: str) -> Reply:
        parts = path.split("/")  # /v3/data/kpi/<kpi>/municipality/<ids>/year/<years>
        try:
            kpi, ids, years = parts[4], parts[6].split(","), {int(y) for y in parts[8].split(",")}
        except (IndexError, ValueError):
            return Reply(400, b"Bad Request")
        records = [r for r in self.kolada.get(kpi, []) if r["municipality"] in ids and r["period"] in years]
        page = int(query.get("page", ["1"])[0])
        size = self.kolada_page_size
        chunk = records[(page - 1) * size: page * size]
        doc = {"count": len(chunk), "values": chunk}
        if page * size < len(records):
            doc[self.kolada_next_key] = f"http://{host}{path}?page={page + 1}"
        return json_reply(doc)


class _Handler(BaseHTTPRequestHandler):
    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.fake.handle(method, self.path, body, self.headers.get("Host", ""))
        if reply.delay_s:
            time.sleep(reply.delay_s)
        try:
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if "Content-Length" not in reply.headers:  # a reply may claim more than it sends (truncation)
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            for i in range(0, len(reply.body), reply.chunk or len(reply.body) or 1):
                self.wfile.write(reply.body[i:i + (reply.chunk or len(reply.body))])
                self.wfile.flush()
                if reply.chunk_delay_s:
                    time.sleep(reply.chunk_delay_s)
        except OSError:
            pass  # the client gave up (timeout test)

    def do_GET(self):  # noqa: N802
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@contextmanager
def serve(fake: FakeApis):
    """Run the fake on 127.0.0.1 (a free port); yield the base_urls for run_update."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield {"scb": url + SCB_START, "scb_v2": url + V2_ROOT, "kolada": url + "/v3",
               "af": url + "/prognoser/yrkesbarometer.json"}
    finally:
        server.shutdown()
        server.server_close()
