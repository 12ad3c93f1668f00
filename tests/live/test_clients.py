"""SCB and Kolada clients and table mappings: metadata-driven selection, conversion, schema checks."""

from __future__ import annotations

import copy
import json

import duckdb
import pandas as pd
import pytest

from atlas.live import scb
from atlas.live.http import LiveError
from atlas.live.kolada import KoladaClient, kpi_observations, region_code
from atlas.sources.parsers.bas import BAS_MEASURES

from .fakeapi import BAS_IDS, FakeApis, Reply, fixture, jsonstat2, quick_http, serve

META = fixture("scb_arbstatusm_metadata.json")


def _meta(doc=None) -> scb.TableMeta:
    return scb.parse_metadata(copy.deepcopy(doc or META), scb.ARBSTATUSM)


def test_bas_texts_are_the_bas_parser_columns():
    """The live mapping and the mirror parser name the same eleven measures the same way."""
    assert scb.BAS_CONTENTS == {text: ind for ind, text in BAS_MEASURES.items()}
    assert BAS_IDS == scb.BAS_CONTENTS


def test_selection_is_chosen_by_text_for_one_county_and_all():
    meta = _meta()
    sel = scb.bas_selection(meta, "20", scb.BAS_CONTENTS, strict_contents=True)
    assert list(sel) == ["Region", "Kon", "Alder", "Fodelseregion", "ContentsCode", "Tid"]
    assert sel["Region"][:2] == ["00", "20"] and all(r[:2] == "20" for r in sel["Region"][1:])
    assert "0114" not in sel["Region"] and "2180" not in sel["Region"] and len(sel["Region"]) == 17
    assert sel["Alder"] == [meta.var("Alder").by_text()["20-64 år"]]
    assert len(sel["ContentsCode"]) == 11 and sel["Tid"] == ["2026M04", "2026M05"]
    every = scb.bas_selection(meta, "all", scb.BAS_CONTENTS, strict_contents=True)
    assert every["Region"] == list(meta.var("Region").values)


@pytest.mark.parametrize("change, named", [
    (lambda m: m["variables"].insert(3, {"code": "Utbildningsniva", "text": "utbildningsnivå",
                                        "values": ["1"], "valueTexts": ["förgymnasial"]}), "Utbildningsniva"),
    (lambda m: m["variables"].pop(2), "Alder"),
    (lambda m: (m["variables"][4]["values"].append("000006ZZ"),
                m["variables"][4]["valueTexts"].append("antal i arbetsmarknadspolitiska program")),
     "antal i arbetsmarknadspolitiska program"),
    (lambda m: m["variables"][1]["valueTexts"].__setitem__(2, "båda könen"), "båda könen"),
    (lambda m: m["variables"][2]["valueTexts"].__setitem__(1, "20-65 år"), "20-64 år"),
])
def test_schema_changes_are_named(change, named):
    doc = copy.deepcopy(META)
    change(doc)
    with pytest.raises(LiveError) as err:
        scb.bas_selection(_meta(doc), "20", scb.BAS_CONTENTS, strict_contents=True)
    assert err.value.kind == "schema" and named in err.value.message_sv and named in err.value.message_en
    assert "ArbStatusM" in err.value.message_sv


def test_unknown_county_is_a_schema_error():
    with pytest.raises(LiveError, match="99"):
        scb.bas_selection(_meta(), "99", scb.BAS_CONTENTS, strict_contents=True)


def test_client_splits_under_the_configured_cell_limit(built_db):
    """With maxCells 500 the Dalarna query (3366 cells) needs several POSTs, each under the limit
    (the fake answers 403 above it), and gives the same frame as one big call."""
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        client = scb.PxWebClient(quick_http(), urls["scb"])
        meta, _ = client.metadata(scb.ARBSTATUSM)
        sel = scb.bas_selection(meta, "20", scb.BAS_CONTENTS, strict_contents=True)
        one = scb.frames(client.data(scb.ARBSTATUSM, sel), "ArbStatusM")
        limiter = client.http._limits["scb"]  # from ?config: 30 calls per 10 s
        assert (limiter.max_calls, limiter.window_s) == (30, 10.0) and client.max_cells == 150_000
        fake.scb_config = {"maxCells": 500, "maxCalls": 30, "timeWindow": 10}
        small = scb.PxWebClient(quick_http(), urls["scb"])
        fetched = small.data(scb.ARBSTATUSM, sel)
    assert small.max_cells == 500 and fetched.calls == len(fetched.raws) >= 7
    assert fake.count("POST", "/OV0104", 403) == 0
    many = scb.frames(fetched, "ArbStatusM")
    key = list(sel)
    pd.testing.assert_frame_equal(one.sort_values(key).reset_index(drop=True),
                                  many.sort_values(key).reset_index(drop=True))


def test_missing_config_falls_back_to_published_limits(built_db):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        fake.queue("GET", "/OV0104/v1/doris/sv/ssd/", Reply(404, b"Not Found"))
        client = scb.PxWebClient(quick_http(), urls["scb"])
        assert client.configure() == scb.PUBLISHED_MAX_CELLS
        limiter = client.http._limits["scb"]
        assert (limiter.max_calls, limiter.window_s) == (scb.PUBLISHED_MAX_CALLS, scb.PUBLISHED_WINDOW_S)
    assert fake.log[0] == ("GET", "/OV0104/v1/doris/sv/ssd/?config", 404)


def test_bas_observations_derive_outside_labour_force(built_db):
    doc = fixture("scb_arbstatusm_2085_2026M04.jsonstat2.json")
    fetched = scb.Fetched([doc], [b""], 1, 22)
    obs = scb.bas_observations(fetched, _meta(), scb.BAS_CONTENTS, monthly=True, where="t")
    total = obs[(obs["category"] == "") & (obs["sex"] == "T")].set_index("indicator_id")["value"]
    assert total["utanfor_arbetskraften"] == sum(total[i] for i in scb.OUTSIDE_LABOUR_FORCE)
    con = duckdb.connect(str(built_db), read_only=True)
    mirror = dict(con.execute("SELECT indicator_id, value FROM observation WHERE preferred AND region_code='2085' "
                              "AND period='2026M04' AND sex='T' AND category=''").fetchall())
    con.close()
    assert total.to_dict() == {k: v for k, v in mirror.items() if k in total.index}
    born_here = obs[obs["category"] == "inrikes född"]
    assert len(born_here) == 12 and born_here["value"].isna().all()  # missing parts -> derived missing too


def test_population_sums_ages_and_sexes(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    pool = iter([r[0] for r in con.execute("SELECT value FROM observation WHERE indicator_id='befolkning_20_64' "
                                           "ORDER BY region_code, period LIMIT 180").fetchall()])
    con.close()
    ages = [str(a) for a in range(18, 67)]
    meta_doc = {"title": "Folkmängd", "variables": [
        {"code": "Region", "text": "region", "values": ["20", "2085"], "valueTexts": ["Dalarnas län", "Ludvika"]},
        {"code": "Civilstand", "text": "civilstånd", "values": ["OG", "G"], "valueTexts": ["ogifta", "gifta"],
         "elimination": True},
        {"code": "Alder", "text": "ålder", "values": ages, "valueTexts": [f"{a} år" for a in ages],
         "elimination": True},
        {"code": "Kon", "text": "kön", "values": ["1", "2"], "valueTexts": ["män", "kvinnor"], "elimination": True},
        {"code": "ContentsCode", "text": "tabellinnehåll", "values": ["BE0101N1", "BE0101N2"],
         "valueTexts": ["Folkmängd", "Folkökning"]},
        {"code": "Tid", "text": "år", "values": ["2024"], "valueTexts": ["2024"], "time": True}]}
    meta = scb.parse_metadata(meta_doc, scb.BEFOLKNINGNY)
    sel = scb.population_selection(meta, "20")
    assert "Civilstand" not in sel and sel["Alder"] == [str(a) for a in range(20, 65)]
    assert sel["ContentsCode"] == ["BE0101N1"] and sel["Region"] == ["20", "2085"]
    cells = []

    def value_of(cell):
        cells.append((cell["Region"], cell["Kon"], next(pool)))
        return cells[-1][2]
    doc = jsonstat2(meta_doc, sel, value_of)
    obs = scb.population_20_64(scb.Fetched([doc], [b""], 1, len(cells)), meta, "t")
    got = obs.set_index(["region_code", "sex"])["value"]
    for region in ("20", "2085"):
        men = sum(v for r, k, v in cells if r == region and k == "1")
        women = sum(v for r, k, v in cells if r == region and k == "2")
        assert got[(region, "M")] == men and got[(region, "K")] == women and got[(region, "T")] == men + women
    assert len(cells) == 2 * 45 * 2


def test_industry_takes_the_day_population_and_adds_a_total_sex(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    numbers = [r[0] for r in con.execute("SELECT value FROM observation WHERE indicator_id='arbetslosa' "
                                         "AND region_code='20' ORDER BY period LIMIT 6").fetchall()]
    con.close()
    meta_doc = {"title": "Förvärvsarbetande", "variables": [
        {"code": "Region", "text": "region", "values": ["00", "20"], "valueTexts": ["Riket", "Dalarnas län"]},
        {"code": "SNI2007", "text": "näringsgren", "values": ["A", "B+C", "A-U+US"],
         "valueTexts": ["jordbruk, skogsbruk och fiske", "tillverkning och utvinning", "Total"]},
        {"code": "Kon", "text": "kön", "values": ["1", "2"], "valueTexts": ["män", "kvinnor"]},
        {"code": "ContentsCode", "text": "tabellinnehåll", "values": ["0000001", "0000002"],
         "valueTexts": ["Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning)",
                        "Förvärvsarbetande 16+ år efter bostadens belägenhet (nattbefolkning)"]},
        {"code": "Tid", "text": "år", "values": ["2019"], "valueTexts": ["2019"], "time": True}]}
    meta = scb.parse_metadata(meta_doc, scb.DAGSNI07KONKN)
    sel = scb.industry_selection(meta, "20")
    assert sel["ContentsCode"] == ["0000001"] and sel["Region"] == ["00", "20"]
    sel["Region"] = ["20"]
    it = iter(numbers)
    obs = scb.industry_observations(scb.Fetched([jsonstat2(meta_doc, sel, lambda c: next(it))], [b""], 1, 6), meta, "t")
    assert set(obs["category"]) == {"jordbruk, skogsbruk och fiske", "tillverkning och utvinning", ""}
    by = obs.set_index(["category", "sex"])["value"]
    assert by[("jordbruk, skogsbruk och fiske", "M")] == numbers[0]
    assert by[("jordbruk, skogsbruk och fiske", "T")] == numbers[0] + numbers[1]
    assert by[("", "K")] == numbers[5]


# --- Kolada ----------------------------------------------------------------------------------------

def test_kolada_region_codes():
    assert [region_code(i) for i in ("0000", "0020", "2080", "0114")] == ["00", "20", "2080", "0114"]


@pytest.mark.parametrize("next_key", ["next_page", "next_url"])  # API v2 and v3
def test_kolada_follows_pages_and_reads_values(built_db, next_key):
    fake = FakeApis(built_db)
    fake.kolada_next_key, fake.kolada_page_size = next_key, 5
    with serve(fake) as urls:
        client = KoladaClient(quick_http(), urls["kolada"])
        ids, _ = client.municipality_ids("20")
        every, _ = client.municipality_ids("all")
        records, raws, calls = client.kpi_values("N03926", ids, list(range(2010, 2027)))
    assert ids[:2] == ["0000", "0020"] and "2080" in ids and "0114" not in ids and "2180" not in ids
    assert every == sorted(e["id"] for e in fixture("kolada_municipality.json")["values"])
    assert calls == len(raws) == 3 and len(records) == len(fake.kolada["N03926"])
    obs = kpi_observations(records, "N03926", "langtidsarbetsloshet_25_64", "t")
    con = duckdb.connect(str(built_db), read_only=True)
    mirror = con.execute("SELECT period, sex, value FROM observation WHERE preferred AND region_code='20' "
                         "AND indicator_id='langtidsarbetsloshet_25_64' ORDER BY 1, 2").fetchall()
    con.close()
    got = obs[obs["region_code"] == "20"].sort_values(["period", "sex"])
    assert list(got[["period", "sex", "value"]].itertuples(index=False, name=None)) == mirror
    assert obs[obs["region_code"] == "2080"]["value"].isna().all()


def test_kolada_refuses_a_next_page_on_another_host(built_db):
    fake = FakeApis(built_db)
    with serve(fake) as urls:
        client = KoladaClient(quick_http(), urls["kolada"])
        page = fixture("kolada_municipality.json")
        page["next_page"] = "https://example.org/v3/municipality?page=2"
        fake.queue("GET", "/v3/municipality", Reply(200, json.dumps(page).encode()))
        with pytest.raises(LiveError, match="another host"):
            client.municipality_ids("20")


@pytest.mark.parametrize("record, words", [
    ({"kpi": "N03926", "municipality": "0020", "period": 2020, "values": [{"gender": "X", "value": None}]}, "kön"),
    ({"kpi": "N00914", "municipality": "0020", "period": 2020, "values": []}, "N00914"),
    ({"kpi": "N03926", "municipality": "Dalarna", "period": 2020, "values": []}, "okänd kommun"),
    ({"kpi": "N03926", "municipality": "0020", "period": 2020, "values": [{"gender": "T", "value": "3,1"}]},
     "inte ett tal"),
])
def test_kolada_bad_records(record, words):
    with pytest.raises(LiveError) as err:
        kpi_observations([record], "N03926", "langtidsarbetsloshet_25_64", "t")
    assert words in err.value.message_sv
