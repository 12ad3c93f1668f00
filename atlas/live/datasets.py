"""What ``update`` fetches: one entry per live dataset, with provenance and the fetch that makes it.

Keys (for ``--datasets``): scb_arbstatusm (monthly BAS, 20-64 and 16-64), kolada_n03926,
kolada_n00914, af_yrkesbarometer, scb_arregarbstatus (annual BAS), scb_befolkningny (population)
and scb_dagsni07konkn (employment by industry). All run by default. The indicator ids only the live
tables produce are ``live_only`` entries in data/curated/indicators.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from atlas.live import scb
from atlas.live.arbetsformedlingen import YRKESBAROMETER_URL, fetch_yrkesbarometer
from atlas.live.http import LiveError, LiveHttp
from atlas.live.kolada import KOLADA_API, KOLADA_BASE, KoladaClient, kpi_observations, years
from atlas.live.pxweb2 import SCB_V2_BASE, PxWeb2Client
from atlas.sources.parsers._common import lan_table

SCB_LICENCE = "SCB: CC BY 4.0 (öppna data via Statistikdatabasens API; källa: SCB)"
KOLADA_LICENCE = "Kolada (RKA): öppna data, fri att använda med källangivelse"
AF_LICENCE = "CC0 (Arbetsförmedlingens öppna data)"
DEFAULT_BASE_URLS = {"scb": scb.SCB_BASE, "scb_v2": SCB_V2_BASE, "kolada": KOLADA_BASE, "af": YRKESBAROMETER_URL}
AF_API = "Arbetsförmedlingens öppna data (JSON-fil)"


SCB_APIS = ("v2", "v1", "auto")


@dataclass
class Context:
    """What a fetch needs: county ("20" or "all"), the HTTP layer, clients, a scratch folder.

    api: which SCB API to use: "v2" (PxWebApi 2), "v1" (PxWeb v1) or "auto" (v2, and v1 only when v2
    cannot be reached at all; decided once, at the first SCB dataset). scb_pins: {v1 table name: v2
    id} given by the operator (--scb-table)."""

    county: str
    http: LiveHttp
    base_urls: dict[str, str]
    workdir: Path
    api: str = "auto"
    scb_pins: dict[str, str] = field(default_factory=dict)
    scb_fallback: LiveError | None = None  # why "auto" fell back to v1
    _scb: scb.PxWebClient | PxWeb2Client | None = None
    _kolada: KoladaClient | None = None

    @property
    def scb(self) -> scb.PxWebClient | PxWeb2Client:
        if self._scb is None:
            self._scb = self._choose_scb()
        return self._scb

    def _choose_scb(self) -> scb.PxWebClient | PxWeb2Client:
        if self.api not in SCB_APIS:
            raise ValueError(f"Unknown SCB API {self.api!r}; choose from {SCB_APIS}.")
        if self.api != "v1":
            v2 = PxWeb2Client(self.http, self.base_urls["scb_v2"], pins=self.scb_pins)
            if self.api == "v2":
                return v2
            try:
                v2.configure()
                return v2
            except LiveError as exc:
                if not exc.unreachable:
                    raise  # v2 answered, but wrongly: that must be looked at, not hidden by v1
                self.scb_fallback = exc
        return scb.PxWebClient(self.http, self.base_urls["scb"])

    def explain(self, err: LiveError) -> LiveError:
        """An SCB error after "auto" fell back to v1 also says why v2 was not used."""
        if self.scb_fallback is None or "PxWebApi 2" in err.message_sv:
            return err
        reason = self.scb_fallback
        return LiveError(f"{err.message_sv} (PxWebApi 2 kunde inte heller nås: {reason.message_sv})",
                         f"{err.message_en} (PxWebApi 2 could not be reached either: {reason.message_en})",
                         kind=err.kind, status=err.status)

    def scb_api(self, table: scb.Table) -> str:
        """The API text for a dataset's source row, with the reason when "auto" fell back to v1."""
        text = self.scb.api_text(table)
        if self.scb_fallback is not None:
            text += f"; PxWebApi 2 kunde inte nås / could not be reached: {self.scb_fallback.message_en}"
        return text

    @property
    def kolada(self) -> KoladaClient:
        if self._kolada is None:
            self._kolada = KoladaClient(self.http, self.base_urls["kolada"])
        return self._kolada


@dataclass
class Result:
    """A fetched dataset: the tidy frame, every raw body in order, the URL + query text, calls made,
    and the API that delivered it (recorded in the source row)."""

    frame: pd.DataFrame
    raws: list[bytes]
    url: str
    calls: int
    api: str = ""


@dataclass(frozen=True)
class Dataset:
    key: str
    service: str  # rate-limit bucket and host of the base URL: "scb" | "kolada" | "af"
    publisher: str
    title_sv: str  # "{place_sv}" is filled in with the county's name
    title_en: str
    licence: str
    kind: str  # "observation" | "occupation"
    fetch: Callable[[Context, str], Result]  # (context, dataset id) -> Result
    indicators: tuple[str, ...] = ()
    per_county: bool = True

    def dataset_id(self, county: str) -> str:
        return f"live_{self.key}_{county}" if self.per_county else f"live_{self.key}"


def place(county: str) -> tuple[str, str]:
    """("Riket, Dalarnas län och länets kommuner", "Sweden, Dalarna County and its municipalities")."""
    if county == "all":
        return "Riket, alla län och kommuner", "Sweden, all counties and municipalities"
    row = lan_table().set_index("code").loc[county]
    return f"Riket, {row['name_sv']} och länets kommuner", f"Sweden, {row['name_en']} and its municipalities"


# --- fetches -------------------------------------------------------------------------------------

def _scb_table(table: scb.Table, select: Callable, convert: Callable) -> Callable[[Context, str], Result]:
    """A fetch for one SCB table: metadata, selection (select(meta, county)), data in as many calls
    as the cell limit needs, conversion (convert(fetched, meta, dataset id)). The hash covers the
    metadata and every data answer, since both decide the result."""
    def fetch(ctx: Context, dataset_id: str) -> Result:
        meta, raw_meta = ctx.scb.metadata(table)
        selection = select(meta, ctx.county)
        fetched = ctx.scb.data(table, selection)
        frame = convert(fetched, meta, dataset_id)
        return Result(frame, [raw_meta, *fetched.raws], _scb_url(ctx, table, selection, fetched), fetched.calls + 1,
                      ctx.scb_api(table))
    return fetch


def bas_monthly_selections(meta: scb.TableMeta, county: str) -> list[tuple[dict[str, str], scb.Selection]]:
    """ArbStatusM's queries: all eleven measures for 20-64, plus the three rates for 16-64 when the
    table has that age group; each with the contents mapping that converts it."""
    parts = [(scb.BAS_CONTENTS, scb.bas_selection(meta, county, scb.BAS_CONTENTS, strict_contents=True))]
    if scb.has_age(meta, scb.BAS_AGE_16_64):
        parts.append((scb.BAS_CONTENTS_16_64, scb.bas_selection(meta, county, scb.BAS_CONTENTS_16_64,
                                                                strict_contents=False, age=scb.BAS_AGE_16_64)))
    return parts


def _bas_monthly(ctx: Context, dataset_id: str) -> Result:
    """ArbStatusM: two selections (20-64, 16-64), each paged under the cell limit."""
    table = scb.ARBSTATUSM
    meta, raw_meta = ctx.scb.metadata(table)
    frames, raws, calls, urls = [], [raw_meta], 1, []
    for contents, selection in bas_monthly_selections(meta, ctx.county):
        fetched = ctx.scb.data(table, selection)
        frames.append(scb.bas_observations(fetched, meta, contents, monthly=True, where=dataset_id))
        raws += fetched.raws
        calls += fetched.calls
        urls.append(_scb_url(ctx, table, selection, fetched))
    return Result(pd.concat(frames, ignore_index=True), raws, " + ".join(urls), calls, ctx.scb_api(table))


def _annual_selection(meta: scb.TableMeta, county: str) -> scb.Selection:
    return scb.bas_selection(meta, county, scb.BAS_YEAR_CONTENTS, strict_contents=False)


_bas_annual = _scb_table(
    scb.ARREGARBSTATUS, _annual_selection,
    lambda fetched, meta, where: scb.bas_observations(fetched, meta, scb.BAS_YEAR_CONTENTS, monthly=False,
                                                      where=where))
_population = _scb_table(scb.BEFOLKNINGNY, scb.population_selection, scb.population_20_64)
_industry = _scb_table(scb.DAGSNI07KONKN, scb.industry_selection, scb.industry_observations)

# Per SCB dataset: its table and the selections a run asks for (the plan computes calls from these).
SCB_SELECTIONS: dict[str, tuple[scb.Table, Callable[[scb.TableMeta, str], list[scb.Selection]]]] = {
    "scb_arbstatusm": (scb.ARBSTATUSM, lambda meta, county: [s for _, s in bas_monthly_selections(meta, county)]),
    "scb_arregarbstatus": (scb.ARREGARBSTATUS, lambda meta, county: [_annual_selection(meta, county)]),
    "scb_befolkningny": (scb.BEFOLKNINGNY, lambda meta, county: [scb.population_selection(meta, county)]),
    "scb_dagsni07konkn": (scb.DAGSNI07KONKN, lambda meta, county: [scb.industry_selection(meta, county)]),
}


def _scb_url(ctx: Context, table: scb.Table, selection: scb.Selection, fetched: scb.Fetched) -> str:
    return (f"{ctx.scb.table_url(table)} (POST json-stat2: {scb.describe(selection)}; "
            f"{fetched.cells} celler/cells, {fetched.calls} anrop/calls)")


def _kolada(kpi: str, indicator: str) -> Callable[[Context, str], Result]:
    def fetch(ctx: Context, dataset_id: str) -> Result:
        ids, id_pages = ctx.kolada.municipality_ids(ctx.county)
        yrs = years()
        records, raws, calls = ctx.kolada.kpi_values(kpi, ids, yrs)
        frame = kpi_observations(records, kpi, indicator, dataset_id)
        url = (f"{ctx.kolada.base}/data/kpi/{kpi}/municipality/<ids>/year/<years> "
               f"(ids: {','.join(ids[:3])}..{ids[-1]} ({len(ids)}); år/years {yrs[0]}-{yrs[-1]})")
        return Result(frame, raws, url, calls + len(id_pages), f"{KOLADA_API} ({ctx.kolada.host})")
    return fetch


def _yrkesbarometer(ctx: Context, dataset_id: str) -> Result:
    frame, raw = fetch_yrkesbarometer(ctx.http, ctx.workdir / dataset_id, ctx.base_urls["af"])
    return Result(frame, [raw], ctx.base_urls["af"], 1, f"{AF_API} ({ctx.base_urls['af'].split('/')[2]})")


BAS_IDS = (*scb.BAS_CONTENTS.values(), "utanfor_arbetskraften", *scb.BAS_CONTENTS_16_64.values())

DATASETS: dict[str, Dataset] = {d.key: d for d in [
    Dataset("scb_arbstatusm", "scb", "SCB, BAS (AM0210A/ArbStatusM), via Statistikdatabasens API",
            "Befolkningens arbetsmarknadsstatus (BAS), månad, 20-64 år (och 16-64 år), efter kön och födelseregion: "
            "{place_sv}",
            "Labour-market status (BAS), monthly, 20-64 (and 16-64), by sex and birth region: {place_en}",
            SCB_LICENCE, "observation", _bas_monthly, BAS_IDS),
    Dataset("kolada_n03926", "kolada", "RKA Kolada (N03926; Arbetsförmedlingen/SCB), via Koladas API",
            "Långtidsarbetslöshet 25-64 år, årsmedelvärde, andel (%) av befolkningen: {place_sv}",
            "Long-term unemployment 25-64, annual average, share (%) of population: {place_en}",
            KOLADA_LICENCE, "observation", _kolada("N03926", "langtidsarbetsloshet_25_64"),
            ("langtidsarbetsloshet_25_64",)),
    Dataset("kolada_n00914", "kolada", "RKA Kolada (N00914; SCB), via Koladas API",
            "Förvärvsarbetande invånare 20-64 år, andel (%): {place_sv}",
            "Gainfully employed residents 20-64, share (%): {place_en}",
            KOLADA_LICENCE, "observation", _kolada("N00914", "forvarvsfrekvens_20_64"), ("forvarvsfrekvens_20_64",)),
    Dataset("af_yrkesbarometer", "af", "Arbetsförmedlingen",
            "Yrkesbarometern: jobbmöjligheter, rekryteringssituation och femårsprognos per yrke, Riket och alla län",
            "Occupational barometer: job prospects, recruitment situation and five-year outlook per occupation, "
            "Sweden and all counties",
            AF_LICENCE, "occupation", _yrkesbarometer, per_county=False),
    Dataset("scb_arregarbstatus", "scb", "SCB, BAS årsstatistik (AM0210D/ArRegArbStatus), via Statistikdatabasens API",
            "Befolkningens arbetsmarknadsstatus (BAS), år, 20-64 år, efter kön och födelseregion: {place_sv}",
            "Labour-market status (BAS), annual, 20-64, by sex and birth region: {place_en}",
            SCB_LICENCE, "observation", _bas_annual,
            tuple(scb.BAS_YEAR_CONTENTS.values())),
    Dataset("scb_befolkningny", "scb", "SCB, befolkningsstatistik (BE0101A/BefolkningNy), via Statistikdatabasens API",
            "Folkmängd 20-64 år den 31 december, efter kön: {place_sv}",
            "Population aged 20-64 on 31 December, by sex: {place_en}",
            SCB_LICENCE, "observation", _population, ("befolkning_20_64_ar",)),
    Dataset("scb_dagsni07konkn", "scb", "SCB, RAMS/BAS (AM0207Z/DagSni07KonKN), via Statistikdatabasens API",
            "Förvärvsarbetande efter arbetsställets näringsgren (SNI 2007) och kön, dagbefolkning: {place_sv}",
            "Employed persons by industry of the workplace (SNI 2007) and sex, day population: {place_en}",
            SCB_LICENCE, "observation", _industry, ("sysselsatta_bransch_dag",)),
]}
DEFAULT_KEYS = list(DATASETS)
