"""SCB's Statistikdatabasen: the tables the atlas reads, how values are chosen, and the PxWeb v1
client (the PxWebApi 2 client is atlas.live.pxweb2; both return the same TableMeta and Fetched).

API (PxWeb v1, "PxAPI"): GET ``<base><table path>`` returns the table's metadata
``{"title": ..., "variables": [{"code", "text", "values", "valueTexts", "elimination"?, "time"?}]}``;
POST to the same URL with ``{"query": [{"code", "selection": {"filter": "item", "values": [...]}}],
"response": {"format": "json-stat2"}}`` returns the data. ``<base up to /ssd/>?config`` returns the
limits ``maxCalls`` per ``timeWindow`` seconds and ``maxCells`` (older servers: ``maxValues``).
SCB's terms page states 10 calls per 10 s and 100,000 values, the config endpoint has reported 30
and 150,000; the limits are read from config at run time and the stricter published numbers are
used when config cannot be read. A 403 answer means the cell limit was exceeded.

Codes are never assumed: every value is chosen by its text in the table's metadata (e.g. Kon
"totalt", Alder "20-64 år"), and a variable or text the mapping does not know stops the update
with a message naming it (a schema change at SCB must be looked at, not guessed around). Texts are
compared in lower case with single spaces and typographic dashes read as hyphens: PxWebApi 2 writes
"20–64 år" (en dash) where v1 wrote "20-64 år" (Region Dalarna's diagram code, commit 5d84856).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from atlas.live import jsonstat
from atlas.live.http import LiveError, LiveHttp
from atlas.live.paging import Selection, cells, split_selection
from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import month_period, observations, year_period

SCB_BASE = "https://api.scb.se/OV0104/v1/doris/sv/ssd/START/"
PUBLISHED_MAX_CELLS = 100_000  # scb.se, "Så fungerar SCB:s API"
PUBLISHED_MAX_CALLS, PUBLISHED_WINDOW_S = 10, 10.0
V1_API = "PxWeb API v1"


@dataclass(frozen=True)
class Table:
    """One SCB table the atlas reads, under both APIs.

    name: the v1 table name ("ArbStatusM"); v1_path: its path below START/; v2_id: its PxWebApi 2
    id where known ("" when not); confirmed: True when the v2 id comes from public code that calls
    the table by it (then it is pinned and only checked), False when it is a lead or unknown (then
    the v2 client looks the table up at run time: /tables search, the v1 folder in its paths, the
    variables in its metadata); search: the words for that lookup; variables: the variable codes
    the mapping expects (the same under both APIs).
    """

    name: str
    v1_path: str
    v2_id: str
    confirmed: bool
    search: str
    variables: frozenset[str]

    @property
    def folder(self) -> str:
        """The v1 folder the table sits in ("AM0210A"): PxWebApi 2 lists it in the table's paths."""
        return self.v1_path.split("/")[-2]


BAS_VARIABLES = frozenset({"Region", "Kon", "Alder", "Fodelseregion", "ContentsCode", "Tid"})
# v2 ids and how they were found (see README, "Live data"):
# - TAB6260: Region Dalarna's diagram code calls pxweb2r with table = "TAB6260" under the comment
#   "Länk till tabell: .../START__AM__AM0210__AM0210A/ArbStatusM/" (Region-Dalarna/diagram@bccdf56,
#   diagram_arbetsmarknadsstatus_senastear.R L62-64; also their arbetslöshet map code).
# - TAB638: PxApiSpecs' own metadata example (examplesAsYml/dataset-meta.yml) is table TAB638,
#   "Folkmängden efter region, civilstånd, ålder, kön, tabellinnehåll och år", contents BE0101N1
#   Folkmängd, infofile BE0101: the table v1 called BE0101A/BefolkningNy.
# - TAB5837: only third-party notes map DagSni07KonKN to it, so it is a lead the lookup checks.
# - ArRegArbStatus: no public v2 id was found; the lookup finds it or stops naming what it saw.
ARBSTATUSM = Table("ArbStatusM", "AM/AM0210/AM0210A/ArbStatusM", "TAB6260", True,
                   "arbetsmarknadsstatus", BAS_VARIABLES)
ARREGARBSTATUS = Table("ArRegArbStatus", "AM/AM0210/AM0210D/ArRegArbStatus", "", False,
                       "arbetsmarknadsstatus", BAS_VARIABLES)
BEFOLKNINGNY = Table("BefolkningNy", "BE/BE0101/BE0101A/BefolkningNy", "TAB638", True, "folkmängden",
                     frozenset({"Region", "Civilstand", "Alder", "Kon", "ContentsCode", "Tid"}))
DAGSNI07KONKN = Table("DagSni07KonKN", "AM/AM0207/AM0207Z/DagSni07KonKN", "TAB5837", False,
                      "förvärvsarbetande", frozenset({"Region", "SNI2007", "Kon", "ContentsCode", "Tid"}))
TABLES = (ARBSTATUSM, ARREGARBSTATUS, BEFOLKNINGNY, DAGSNI07KONKN)


def schema_error(table: str, sv: str, en: str) -> LiveError:
    return LiveError(f"SCB {table}: {sv} Tabellen har ändrats; koden behöver ses över.",
                     f"SCB {table}: {en} The table has changed; the code needs review.", kind="schema")


_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})


def norm(text: str) -> str:
    """Lower case, single spaces, typographic dashes as "-": how value texts are compared."""
    return " ".join(str(text).translate(_DASHES).split()).lower()


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: tuple[str, ...]
    texts: tuple[str, ...]
    elimination: bool = False
    time: bool = False

    def by_text(self) -> dict[str, str]:
        """{normalised value text: code}."""
        return {norm(t): c for c, t in zip(self.values, self.texts)}

    def text_of(self) -> dict[str, str]:
        return dict(zip(self.values, self.texts))


@dataclass(frozen=True)
class TableMeta:
    """A table's variables as the metadata lists them. name: how messages name the table
    ("ArbStatusM" under v1, "ArbStatusM (TAB6260)" under v2). region_levels: {region code: "lan" |
    "kommun"} from the table's own code lists (v2, where offered); None: read the level from the code."""

    name: str
    title: str
    variables: dict[str, Variable] = field(default_factory=dict)
    region_levels: dict[str, str] | None = None

    def var(self, code: str) -> Variable:
        return self.variables[code]


def parse_metadata(doc: object, table: Table | str) -> TableMeta:
    """TableMeta from a PxWeb v1 metadata document; LiveError(kind="format") if it is not one."""
    table = table.name if isinstance(table, Table) else table.rsplit("/", 1)[-1]
    if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
        raise LiveError(f"SCB {table}: metadata saknar 'variables'.", f"SCB {table}: metadata has no 'variables'.",
                        kind="format")
    variables = {}
    for v in doc["variables"]:
        ok = (isinstance(v, dict) and isinstance(v.get("code"), str) and isinstance(v.get("values"), list)
              and isinstance(v.get("valueTexts"), list) and len(v["values"]) == len(v["valueTexts"]))
        if not ok:
            raise LiveError(f"SCB {table}: en variabel i metadata har fel form: {str(v)[:120]}",
                            f"SCB {table}: a metadata variable is malformed: {str(v)[:120]}", kind="format")
        variables[v["code"]] = Variable(v["code"], str(v.get("text", v["code"])),
                                        tuple(str(x) for x in v["values"]), tuple(str(x) for x in v["valueTexts"]),
                                        bool(v.get("elimination", False)), bool(v.get("time", False)))
    return TableMeta(table, str(doc.get("title", "")), variables)


def require_variables(meta: TableMeta, expected: set[str]) -> None:
    """Schema check: the table has exactly these variable codes."""
    table = meta.name
    found = set(meta.variables)
    if found - expected:
        unknown = ", ".join(sorted(found - expected))
        raise schema_error(table, f"okänd variabel {unknown}.", f"unknown variable {unknown}.")
    if expected - found:
        missing = ", ".join(sorted(expected - found))
        raise schema_error(table, f"variabeln {missing} saknas.", f"variable {missing} is missing.")


def select_regions(var: Variable, county: str, table: str, levels: dict[str, str] | None = None) -> list[str]:
    """Riket "00", the county and its kommuner ("20", "20xx"); county "all": Riket, every län, every
    kommun. levels: {code: "lan" | "kommun"} from the table's code lists; without them the level is
    read from the code (two digits a län, four a kommun)."""
    codes = list(var.values)
    if levels is None:
        levels = {c: "lan" if len(c) == 2 else "kommun" for c in codes if re.fullmatch(r"\d{2}|\d{4}", c) and c != "00"}
    if county == "all":
        chosen = [c for c in codes if c == "00" or c in levels]
    else:
        if levels.get(county) != "lan" or county not in codes:
            raise schema_error(table, f"länet {county} finns inte bland regionerna.",
                               f"county {county} is not among the regions.")
        chosen = [c for c in codes if c in ("00", county) or (levels.get(c) == "kommun" and c[:2] == county)]
    return chosen


def code_for_text(var: Variable, text: str, table: str) -> str:
    code = var.by_text().get(norm(text))
    if code is None:
        raise schema_error(table, f"{var.code} saknar värdet {text!r} (finns: {list(var.texts)[:12]}).",
                           f"{var.code} has no value {text!r} (found: {list(var.texts)[:12]}).")
    return code


def map_all(var: Variable, mapping: dict[str, str], table: str) -> dict[str, str]:
    """{code: mapped} for every value of ``var``; a text missing from ``mapping`` is a schema change."""
    out = {}
    for code, text in zip(var.values, var.texts):
        if norm(text) not in mapping:
            raise schema_error(table, f"okänt värde {text!r} i {var.code}.", f"unknown value {text!r} in {var.code}.")
        out[code] = mapping[norm(text)]
    return out


@dataclass
class Fetched:
    """What one table query produced: the json-stat2 documents and every raw body in order."""

    docs: list[dict]
    raws: list[bytes]
    calls: int
    cells: int


class PxWebClient:
    """PxWeb v1 at ``base`` (default SCB); limits from ``?config`` on first use."""

    def __init__(self, http: LiveHttp, base: str = SCB_BASE, service: str = "scb"):
        self.http, self.base, self.service = http, base if base.endswith("/") else base + "/", service
        self.max_cells: int | None = None

    @property
    def host(self) -> str:
        return self.base.split("/")[2]

    def config_url(self) -> str:
        root = self.base[: self.base.index("START/")] if "START/" in self.base else self.base
        return root + "?config"

    def configure(self) -> int:
        """Read the limits once (rate limit + cell limit); return the cell limit in use."""
        if self.max_cells is not None:
            return self.max_cells
        self.http.set_limit(self.service, PUBLISHED_MAX_CALLS, PUBLISHED_WINDOW_S)
        try:
            cfg = jsonstat.loads(self.http.get(self.config_url(), service=self.service), "SCB config")
        except LiveError as exc:
            if exc.kind in ("offline", "timeout"):
                raise
            cfg = {}  # no usable config: keep SCB's published limits
        cfg = cfg if isinstance(cfg, dict) else {}

        def number(*keys: str) -> int | None:
            for k in keys:
                try:
                    if cfg.get(k) is not None and int(cfg[k]) > 0:
                        return int(cfg[k])
                except (TypeError, ValueError):
                    pass
            return None

        calls, window = number("maxCalls"), number("timeWindow")
        if calls and window:
            self.http.set_limit(self.service, calls, window)
        self.max_cells = number("maxCells", "maxValues") or PUBLISHED_MAX_CELLS
        return self.max_cells

    api = V1_API

    def table_url(self, table: Table) -> str:
        return self.base + table.v1_path

    def api_text(self, table: Table) -> str:
        """What the source row says delivered the data: API, host and table."""
        return f"{self.api}: {table.v1_path.split('/', 2)[-1]} · {self.host}"

    def metadata(self, table: Table) -> tuple[TableMeta, bytes]:
        self.configure()
        try:
            raw = self.http.get(self.table_url(table), service=self.service)
        except LiveError as exc:
            raise named(exc, table.name) from exc
        return parse_metadata(jsonstat.loads(raw, f"SCB {table.name} metadata"), table), raw

    def data(self, table: Table, selection: Selection) -> Fetched:
        """POST the selection, split under the cell limit; every response checked as json-stat2."""
        max_cells = self.configure()
        queries = split_selection(selection, max_cells)
        docs, raws = [], []
        name = table.name
        for i, q in enumerate(queries):
            body = {"query": [{"code": k, "selection": {"filter": "item", "values": v}} for k, v in q.items()],
                    "response": {"format": "json-stat2"}}
            where = f"SCB {name} (anrop/call {i + 1}/{len(queries)})"
            try:
                raw = self.http.post_json(self.table_url(table), body, service=self.service)
            except LiveError as exc:
                raise named(exc, where) from exc
            doc = jsonstat.loads(raw, where)
            jsonstat.dataset_frame(doc, where, max_cells=max_cells)  # validate now, before anything is written
            if list(doc["id"]) != list(q):
                raise schema_error(name, f"svaret har dimensionerna {doc['id']}, frågan {list(q)}.",
                                   f"the response has dimensions {doc['id']}, the query {list(q)}.")
            docs.append(doc)
            raws.append(raw)
        return Fetched(docs, raws, len(queries), cells(selection))


def named(exc: LiveError, table: str) -> LiveError:
    """The same error with the table named first ("SCB ArbStatusM (TAB6260): ..."), unless it already is."""
    prefix = table if table.startswith("SCB ") else f"SCB {table}"
    if exc.message_sv.startswith(prefix):
        return exc
    return LiveError(f"{prefix}: {exc.message_sv}", f"{prefix}: {exc.message_en}", kind=exc.kind, status=exc.status)


def frames(fetched: Fetched, table: str) -> pd.DataFrame:
    return pd.concat([jsonstat.dataset_frame(d, f"SCB {table}", max_cells=max(fetched.cells, 1))
                      for d in fetched.docs], ignore_index=True)


def describe(selection: Selection) -> str:
    """Compact text of a query for the source row, e.g. "Region=00,20,2021..2085 (17); Tid=2020M01..2026M04 (76)"."""
    parts = []
    for name, values in selection.items():
        if len(values) <= 3:
            parts.append(f"{name}={','.join(values)}")
        else:
            parts.append(f"{name}={values[0]},{values[1]}..{values[-1]} ({len(values)})")
    return "; ".join(parts)


# --- table mappings ------------------------------------------------------------------------------

SEX = {"totalt": "T", "kvinnor": "K", "män": "M"}
BIRTH_REGION = {"totalt": "", "inrikes född": "inrikes född", "utrikes född": "utrikes född"}
# ContentsCode texts of the BAS tables (as in the table metadata) -> indicator ids (20-64 år).
BAS_CONTENTS = {
    "antal sysselsatta": "sysselsatta",
    "antal arbetslösa": "arbetslosa",
    "antal sysselsatta och arbetslösa (arbetskraften)": "arbetskraften",
    "antal studerande": "studerande",
    "antal pensionärer": "pensionarer",
    "antal sjuka": "sjuka",
    "antal övriga": "ovriga",
    "antal totalt": "befolkning_20_64",
    "arbetslöshet": "arbetsloshet",
    "arbetskraftsdeltagande": "arbetskraftsdeltagande",
    "sysselsättningsgrad": "sysselsattningsgrad",
}
OUTSIDE_LABOUR_FORCE = ["studerande", "pensionarer", "sjuka", "ovriga"]
# 20-64 (all eleven measures) is the atlas's main age group; 16-64 (the three rates, the ages the
# Labour Force Survey and many municipal reports use) is fetched where the table has it. Other ages
# (15-74, five-year bands) are not requested: adding one means new ids in
# data/curated/indicators.yml and an entry here.
BAS_AGE = "20-64 år"
BAS_AGE_16_64 = "16-64 år"
BAS_CONTENTS_16_64 = {
    "arbetslöshet": "arbetsloshet_16_64",
    "arbetskraftsdeltagande": "arbetskraftsdeltagande_16_64",
    "sysselsättningsgrad": "sysselsattningsgrad_16_64",
}
# Annual BAS (ArRegArbStatus), 20-64: catalogue ids bas_ar_* (live_only entries in indicators.yml).
BAS_YEAR_CONTENTS = {
    "antal sysselsatta": "bas_ar_sysselsatta",
    "antal arbetslösa": "bas_ar_arbetslosa",
    "antal totalt": "bas_ar_befolkning_20_64",
    "arbetslöshet": "bas_ar_arbetsloshet",
    "arbetskraftsdeltagande": "bas_ar_arbetskraftsdeltagande",
    "sysselsättningsgrad": "bas_ar_sysselsattningsgrad",
}


def _long(frame: pd.DataFrame, meta: TableMeta, contents: dict[str, str], period) -> pd.DataFrame:
    table = meta.name
    sex = map_all(meta.var("Kon"), SEX, table)
    birth = map_all(meta.var("Fodelseregion"), BIRTH_REGION, table)
    path = Path(table)
    try:
        periods = {t: period(t, path) for t in frame["Tid"].unique()}
    except SourceFormatError as exc:
        raise schema_error(table, f"oväntad tidskod: {exc}", f"unexpected time code: {exc}") from exc
    return pd.DataFrame({
        "indicator_id": frame["ContentsCode"].map(contents),
        "region_code": frame["Region"],
        "period": frame["Tid"].map(periods),
        "sex": frame["Kon"].map(sex),
        "category": frame["Fodelseregion"].map(birth),
        "value": frame["value"],
    })


def has_age(meta: TableMeta, age: str) -> bool:
    return norm(age) in meta.var("Alder").by_text() if "Alder" in meta.variables else False


def bas_selection(meta: TableMeta, county: str, contents_map: dict[str, str], *, strict_contents: bool,
                  age: str = BAS_AGE) -> Selection:
    """The query for a BAS table: regions of the county, every sex and birth region, one age group
    (default 20-64), the measures in contents_map, every period."""
    table = meta.name
    require_variables(meta, BAS_VARIABLES)
    map_all(meta.var("Kon"), SEX, table)
    map_all(meta.var("Fodelseregion"), BIRTH_REGION, table)
    contents_var = meta.var("ContentsCode")
    if strict_contents:
        map_all(contents_var, contents_map, table)
    contents = [code_for_text(contents_var, text, table) for text in contents_map]
    choose = {
        "Region": lambda var: select_regions(var, county, table, meta.region_levels),
        "Kon": lambda var: list(var.values),
        "Alder": lambda var: [code_for_text(var, age, table)],
        "Fodelseregion": lambda var: list(var.values),
        "ContentsCode": lambda var: contents,
        "Tid": lambda var: list(var.values),
    }
    return {code: choose[code](var) for code, var in meta.variables.items()}  # the table's own order


def bas_observations(fetched: Fetched, meta: TableMeta, contents_map: dict[str, str], *, monthly: bool,
                     where: str) -> pd.DataFrame:
    """Observation frame from BAS json-stat2 responses; monthly 20-64 (contents_map BAS_CONTENTS) adds
    utanfor_arbetskraften."""
    table = meta.name
    frame = frames(fetched, table)
    by_code = {code_for_text(meta.var("ContentsCode"), text, table): ind for text, ind in contents_map.items()}
    long = _long(frame, meta, by_code, month_period if monthly else year_period)
    if monthly and set(OUTSIDE_LABOUR_FORCE) <= set(contents_map.values()):
        # As parsers.bas: the sum of the four statuses outside the labour force; NaN if one is missing.
        key = ["region_code", "period", "sex", "category"]
        wide = (long[long["indicator_id"].isin(OUTSIDE_LABOUR_FORCE)].set_index([*key, "indicator_id"])["value"]
                .unstack("indicator_id").reindex(columns=OUTSIDE_LABOUR_FORCE))
        outside = wide.sum(axis=1, min_count=len(OUTSIDE_LABOUR_FORCE))
        derived = outside.rename("value").reset_index().assign(indicator_id="utanfor_arbetskraften")
        long = pd.concat([long, derived], ignore_index=True)
    return observations(long, Path(where))


def population_20_64(fetched: Fetched, meta: TableMeta, where: str) -> pd.DataFrame:
    """BefolkningNy: persons 20-64 on 31 December, summed over single years of age (and Civilstand
    when it was not eliminated); sex K, M and T = K + M."""
    table = meta.name
    frame = frames(fetched, table)
    sex = map_all(meta.var("Kon"), {"män": "M", "kvinnor": "K"}, table)
    path = Path(where)
    try:
        periods = {t: year_period(t, path) for t in frame["Tid"].unique()}
    except SourceFormatError as exc:
        raise schema_error(table, f"oväntad tidskod: {exc}", f"unexpected time code: {exc}") from exc
    frame = frame.assign(sex=frame["Kon"].map(sex), period=frame["Tid"].map(periods))
    # A missing single-year cell would make the sum wrong, so the sum is missing then.
    groups = frame.groupby(["Region", "period", "sex"])["value"]
    summed = groups.sum()
    summed[groups.count() < groups.size()] = float("nan")
    by_sex = summed.reset_index()
    total = by_sex.groupby(["Region", "period"], as_index=False)["value"].sum(min_count=2).assign(sex="T")
    out = pd.concat([by_sex, total], ignore_index=True)
    return observations(pd.DataFrame({
        "indicator_id": "befolkning_20_64_ar", "region_code": out["Region"],
        "period": out["period"], "sex": out["sex"], "category": "", "value": out["value"],
    }), path)


def population_selection(meta: TableMeta, county: str) -> Selection:
    table = meta.name
    require_variables(meta, BEFOLKNINGNY.variables)
    ages = {norm(t): c for c, t in zip(meta.var("Alder").values, meta.var("Alder").texts)}
    wanted = [f"{a} år" for a in range(20, 65)]
    missing = [a for a in wanted if a not in ages]
    if missing:
        raise schema_error(table, f"åldrarna {missing[:3]} saknas i Alder.",
                           f"ages {missing[:3]} are missing in Alder.")
    choose = {
        "Region": lambda var: select_regions(var, county, table, meta.region_levels),
        "Civilstand": lambda var: list(var.values),
        "Alder": lambda var: [ages[a] for a in wanted],
        "Kon": lambda var: list(var.values),
        "ContentsCode": lambda var: [code_for_text(var, "Folkmängd", table)],
        "Tid": lambda var: list(var.values),
    }
    # An eliminable Civilstand is left out of the query: SCB then returns the total over it.
    return {code: choose[code](var) for code, var in meta.variables.items()
            if not (code == "Civilstand" and var.elimination)}


def industry_selection(meta: TableMeta, county: str) -> Selection:
    """DagSni07KonKN: every industry and sex, the day-population measure (the one not 'bostad')."""
    table = meta.name
    require_variables(meta, DAGSNI07KONKN.variables)
    contents = meta.var("ContentsCode")
    day = [c for c, t in zip(contents.values, contents.texts) if "bostad" not in norm(t)]
    if len(day) != 1:
        raise schema_error(table, f"väntade ett dagbefolkningsmått i ContentsCode, fann {list(contents.texts)}.",
                           f"expected one day-population measure in ContentsCode, found {list(contents.texts)}.")
    map_all(meta.var("Kon"), {"män": "M", "kvinnor": "K", "totalt": "T"}, table)
    choose = {
        "Region": lambda var: select_regions(var, county, table, meta.region_levels),
        "SNI2007": lambda var: list(var.values),
        "Kon": lambda var: list(var.values),
        "ContentsCode": lambda var: day,
        "Tid": lambda var: list(var.values),
    }
    return {code: choose[code](var) for code, var in meta.variables.items()}


def industry_observations(fetched: Fetched, meta: TableMeta, where: str) -> pd.DataFrame:
    """Employed (day population, by workplace) per industry: category = the SNI text in lower case,
    "" for the all-industries total; sex K, M and T (from the table, else K + M)."""
    table = meta.name
    frame = frames(fetched, table)
    sex = map_all(meta.var("Kon"), {"män": "M", "kvinnor": "K", "totalt": "T"}, table)
    sni = meta.var("SNI2007").text_of()
    path = Path(where)

    def category(code: str) -> str:
        text = norm(sni[code])
        return "" if text in ("total", "totalt", "samtliga näringsgrenar") else text

    try:
        periods = {t: year_period(t, path) for t in frame["Tid"].unique()}
    except SourceFormatError as exc:
        raise schema_error(table, f"oväntad tidskod: {exc}", f"unexpected time code: {exc}") from exc
    out = pd.DataFrame({
        "indicator_id": "sysselsatta_bransch_dag", "region_code": frame["Region"],
        "period": frame["Tid"].map(periods), "sex": frame["Kon"].map(sex),
        "category": frame["SNI2007"].map(category), "value": frame["value"],
    })
    if "T" not in set(sex.values()):
        key = ["indicator_id", "region_code", "period", "category"]
        total = out.groupby(key, as_index=False)["value"].sum(min_count=2).assign(sex="T")
        out = pd.concat([out, total], ignore_index=True)
    return observations(out, path)
