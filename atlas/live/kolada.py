"""Kolada (RKA) key figures: ``<base>/data/kpi/<KPI>/municipality/<ids>/year/<years>``.

Response: ``{"count": N, "values": [{"kpi", "municipality", "period", "values": [{"gender": "T"|"K"|"M",
"status", "value", "count"}]}], ...}`` with the next page's full URL in ``next_page`` (API v2) or
``next_url`` (API v3); both are followed, only on the same host. The municipality list comes from
``<base>/municipality`` ({"values": [{"id", "title", "type"}]}). Ids: kommun "2080", county "0020"
(-> "20"), Riket "0000" (-> "00").

Public code from 2025-2026 reports v2 as retired ("v2 returns 404", "v2 är avvecklat") in favour
of v3 with the same paths and the same schema, so v3 is the default (README, "Live data", has the
evidence). Years and ids are sent in blocks of 20: third-party code reports v3 refusing year lists
longer than 25 and "only about twenty municipalities per call".
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from atlas.live import jsonstat
from atlas.live.http import LiveError, LiveHttp
from atlas.sources.parsers._common import observations

KOLADA_BASE = "https://api.kolada.se/v3"
KOLADA_API = "Kolada API v3"
FIRST_YEAR = 2010
BLOCK = 20
MAX_PAGES = 500  # a guard against a server that keeps pointing to itself


def _format(where: str, sv: str, en: str) -> LiveError:
    return LiveError(f"Kolada {where}: {sv}", f"Kolada {where}: {en}", kind="format")


def region_code(kolada_id: str) -> str:
    """"0000" -> "00", "0020" -> "20", "2080" -> "2080"."""
    return kolada_id[2:] if kolada_id.startswith("00") else kolada_id


def years(first: int = FIRST_YEAR, last: int | None = None) -> list[int]:
    return list(range(first, (last or date.today().year) + 1))


def _blocks(items: list, size: int = BLOCK) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class KoladaClient:
    def __init__(self, http: LiveHttp, base: str = KOLADA_BASE, service: str = "kolada"):
        self.http, self.base, self.service = http, base.rstrip("/"), service
        self._ids: dict[str, tuple[list[str], list[bytes]]] = {}

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def _pages(self, url: str, where: str) -> tuple[list[dict], list[bytes]]:
        """Every ``values`` entry of a paged answer, and each page's raw body in order."""
        origin = urlsplit(self.base)[:2]
        values, raws, seen = [], [], set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise _format(where, f"sidhänvisningen går i ring ({url}).", f"the paging loops ({url}).")
            seen.add(url)
            raw = self.http.get(url, service=self.service)
            doc = jsonstat.loads(raw, f"Kolada {where}")
            if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
                raise _format(where, "svaret saknar listan 'values'.", "the response has no 'values' list.")
            values.extend(doc["values"])
            raws.append(raw)
            url = doc.get("next_page") or doc.get("next_url") or ""
            if url and urlsplit(url)[:2] != origin:
                raise _format(where, f"nästa sida pekar till en annan värd: {url}",
                              f"the next page points to another host: {url}")
        return values, raws

    def municipality_ids(self, county: str) -> tuple[list[str], list[bytes]]:
        """Riket, the county ("00" + county) and its kommuner; county "all": every kommun and county.
        Fetched once per client (both KPIs use it); the raw pages are returned too."""
        if county in self._ids:
            return self._ids[county][0], []
        entries, raws = self._pages(f"{self.base}/municipality", "municipality")
        ids = sorted({str(e.get("id", "")) for e in entries if isinstance(e, dict)})
        ids = [i for i in ids if re.fullmatch(r"\d{4}", i)]
        if county == "all":
            chosen = ids
        else:
            chosen = [i for i in ids if i in ("0000", f"00{county}") or i[:2] == county]
        if f"00{county}" not in chosen and county != "all":
            raise LiveError(f"Kolada: länet {county} (id 00{county}) finns inte i kommunlistan.",
                            f"Kolada: county {county} (id 00{county}) is not in the municipality list.", kind="schema")
        self._ids[county] = (chosen, raws)
        return chosen, raws

    def kpi_url(self, kpi: str, ids: list[str], yrs: list[int]) -> str:
        return f"{self.base}/data/kpi/{kpi}/municipality/{','.join(ids)}/year/{','.join(map(str, yrs))}"

    def kpi_values(self, kpi: str, ids: list[str], yrs: list[int]) -> tuple[list[dict], list[bytes], int]:
        """All records for the KPI, ids and years; the raw pages in order; the number of requests."""
        records, raws, requests = [], [], 0
        for id_block in _blocks(ids):
            for year_block in _blocks(yrs):
                got, pages = self._pages(self.kpi_url(kpi, id_block, year_block), kpi)
                records.extend(got)
                raws.extend(pages)
                requests += len(pages)
        return records, raws, requests


def kpi_observations(records: list[dict], kpi: str, indicator: str, where: str) -> pd.DataFrame:
    """Observation frame: one row per record and gender; value null -> NaN."""
    rows = []
    for r in records:
        if not isinstance(r, dict) or not isinstance(r.get("values"), list):
            raise _format(kpi, f"posten har fel form: {str(r)[:120]}", f"a record is malformed: {str(r)[:120]}")
        if str(r.get("kpi", kpi)) != kpi:
            raise _format(kpi, f"svaret gäller nyckeltalet {r.get('kpi')!r}.",
                          f"the response is for key figure {r.get('kpi')!r}.")
        mid, period = str(r.get("municipality", "")), str(r.get("period", ""))
        if not re.fullmatch(r"\d{4}", mid) or not re.fullmatch(r"\d{4}", period):
            raise _format(kpi, f"okänd kommun {mid!r} eller period {period!r}.",
                          f"unknown municipality {mid!r} or period {period!r}.")
        for v in r["values"]:
            gender = v.get("gender") if isinstance(v, dict) else None
            if gender not in ("T", "K", "M"):
                raise LiveError(f"Kolada {kpi}: okänt kön {gender!r}.", f"Kolada {kpi}: unknown gender {gender!r}.",
                                kind="schema")
            value = v.get("value")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise _format(kpi, f"värdet {value!r} är inte ett tal.", f"the value {value!r} is not a number.")
            rows.append((indicator, region_code(mid), period, gender, "", np.nan if value is None else float(value)))
    frame = pd.DataFrame(rows, columns=["indicator_id", "region_code", "period", "sex", "category", "value"])
    frame["value"] = frame["value"].astype("float64")
    return observations(frame, Path(where))
