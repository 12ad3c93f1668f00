"""The PxWebApi 2 client against the v2 fake (spec-true fixtures, values from the mirror): every table
the atlas reads, the limits from /config, paging, the table lookup, code lists, and every bad answer
named by table."""

from __future__ import annotations

import copy
import json

import duckdb
import pandas as pd
import pytest

from atlas.live import pxweb2, scb
from atlas.live.datasets import SCB_SELECTIONS
from atlas.live.http import LiveError

from .fakeapi import FIXTURES, FakeApis, Reply, fixture, quick_http, serve, v2_fixture

V2 = FIXTURES / "pxwebapi2"


@pytest.fixture()
def fake(built_db):
    return FakeApis(built_db)


def _client(urls, **kw) -> pxweb2.PxWeb2Client:
    return pxweb2.PxWeb2Client(quick_http(), urls["scb_v2"], **kw)


def test_every_fixture_names_the_spec_it_follows():
    files = sorted(V2.glob("*.json"))
    assert len(files) == 12
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["spec"] == "PxTools/PxApiSpecs PxAPI-2.yml v2.2.0 (commit 264f16c, 2026-01-19)", path.name
        assert doc["follows"] and doc["notes"] and isinstance(doc["body"], dict), path.name
    for name in ("TAB6260", "TAB638", "TAB5837", "TAB99001"):  # json-stat2 metadata: value empty, role.time
        meta = v2_fixture(f"metadata_{name}.json")
        assert meta["class"] == "dataset" and meta["version"] == "2.0" and meta["value"] == []
        assert meta["role"]["time"] == ["Tid"] and meta["extension"]["px"]["tableid"] == name


def test_every_table_is_read_with_the_variables_the_mapping_expects(fake, built_db):
    """All four tables through v2: the pinned ids checked, the others found by the lookup, each
    selection made by text, the data equal to the mirror's numbers the fake serves."""
    with serve(fake) as urls:
        client = _client(urls)
        got = {}
        for key, (table, selections) in SCB_SELECTIONS.items():
            meta, _ = client.metadata(table)
            assert set(meta.variables) == set(table.variables)
            got[key] = [(sel, client.data(table, sel)) for sel in selections(meta, "20")]
        text = client.api_text(scb.ARBSTATUSM)
    assert text.startswith("PxWebApi 2 2.2.0: TAB6260 = ArbStatusM (fast id) · 127.0.0.1:")
    assert client.api_text(scb.ARREGARBSTATUS).split(" · ")[0].endswith(": TAB99001 = ArRegArbStatus (funnen via sökning)")
    assert client.api_text(scb.DAGSNI07KONKN).split(" · ")[0].endswith(": TAB5837 = DagSni07KonKN (funnen via sökning)")
    # ArbStatusM: the 20-64 total of arbetslöshet for Ludvika in 2026M04 is the mirror's value
    (sel, fetched), (sel16, _) = got["scb_arbstatusm"]
    meta, _ = client.metadata(scb.ARBSTATUSM)
    obs = scb.bas_observations(fetched, meta, scb.BAS_CONTENTS, monthly=True, where="t")
    con = duckdb.connect(str(built_db), read_only=True)
    want = con.execute("SELECT value FROM observation WHERE preferred AND indicator_id='arbetsloshet' AND "
                       "region_code='2085' AND period='2026M04' AND sex='T' AND category=''").fetchone()[0]
    con.close()
    row = obs[(obs.indicator_id == "arbetsloshet") & (obs.region_code == "2085") & (obs.period == "2026M04")
              & (obs.sex == "T") & (obs.category == "")]
    assert row["value"].tolist() == [want]
    assert sel["Alder"] == ["20-64"] and sel16["Alder"] == ["16-64"]  # "20–64 år" (en dash) found by text
    assert len(sel["Region"]) == 17 and "0114" not in sel["Region"]
    # BefolkningNy (TAB638): Civilstand eliminated (absent from query and answer); ages 20-64
    (pop_sel, pop), = got["scb_befolkningny"]
    assert "Civilstand" not in pop_sel and len(pop_sel["Alder"]) == 45
    assert all("Civilstand" not in d["id"] for d in pop.docs)


def test_limits_come_from_config_and_zero_is_not_unlimited(fake):
    with serve(fake) as urls:
        client = _client(urls)
        assert client.configure() == 150_000 and client.api_version == "2.2.0"
        limiter = client.http._limits["scb"]
        assert (limiter.max_calls, limiter.window_s) == (30, 10.0)
        fake.v2_config = {**fake.v2_config, "maxCallsPerTimeWindow": 0, "timeWindow": 0, "maxDataCells": 0}
        zero = _client(urls)
        assert zero.configure() == scb.PUBLISHED_MAX_CELLS
        limiter = zero.http._limits["scb"]
        assert (limiter.max_calls, limiter.window_s) == (scb.PUBLISHED_MAX_CALLS, scb.PUBLISHED_WINDOW_S)
        fake.v2_config = {**fake.v2_config, "apiVersion": "1.0"}
        with pytest.raises(LiveError) as err:
            _client(urls).configure()
    assert err.value.kind == "format" and "inte 2.x" in err.value.message_sv


def test_queries_are_split_under_max_data_cells(fake):
    """With maxDataCells 500 the Dalarna query (3366 cells) takes several POSTs, none refused, and
    gives the same frame as one call."""
    with serve(fake) as urls:
        client = _client(urls)
        meta, _ = client.metadata(scb.ARBSTATUSM)
        sel = scb.bas_selection(meta, "20", scb.BAS_CONTENTS, strict_contents=True)
        one = scb.frames(client.data(scb.ARBSTATUSM, sel), "x")
        fake.v2_config = {**fake.v2_config, "maxDataCells": 500}
        small = _client(urls)
        small.metadata(scb.ARBSTATUSM)
        fetched = small.data(scb.ARBSTATUSM, sel)
    assert fetched.calls == len(fetched.raws) >= 7 and fetched.cells == 3366
    assert not [1 for m, p, s in fake.log if p.startswith("/api/v2") and s != 200]
    key = list(sel)
    pd.testing.assert_frame_equal(one.sort_values(key).reset_index(drop=True),
                                  scb.frames(fetched, "x").sort_values(key).reset_index(drop=True))


def test_region_levels_come_from_the_code_lists_where_offered(fake):
    """TAB638 offers vs_RegionLän07 and vs_RegionKommun07: a kommun missing from SCB's kommun list
    is not selected even though its code looks like one; TAB6260 offers none (code length decides)."""
    fake.v2_codelists["vs_RegionKommun07"] = copy.deepcopy(fake.v2_codelists["vs_RegionKommun07"])
    fake.v2_codelists["vs_RegionKommun07"]["values"] = [v for v in fake.v2_codelists["vs_RegionKommun07"]["values"]
                                                        if v["code"] != "2085"]
    with serve(fake) as urls:
        client = _client(urls)
        pop, _ = client.metadata(scb.BEFOLKNINGNY)
        bas, _ = client.metadata(scb.ARBSTATUSM)
    assert pop.region_levels["20"] == "lan" and pop.region_levels["2080"] == "kommun" and "2085" not in pop.region_levels
    assert "2085" not in scb.population_selection(pop, "20")["Region"]
    assert bas.region_levels is None and "2085" in scb.bas_selection(bas, "20", scb.BAS_CONTENTS, strict_contents=True)["Region"]
    assert fake.count("GET", "/api/v2/codelists/") == 2  # each list once


def test_a_pinned_table_that_moved_or_vanished_stops_naming_it(fake):
    item = next(t for t in fake.v2_tables if t["id"] == "TAB6260")
    item["paths"] = [[{"id": "AM", "label": "Arbetsmarknad"}, {"id": "AM0299", "label": "x"}]]
    with serve(fake) as urls:
        with pytest.raises(LiveError) as moved:
            _client(urls).metadata(scb.ARBSTATUSM)
        fake.v2_tables.remove(item)
        with pytest.raises(LiveError) as gone:
            _client(urls).metadata(scb.ARBSTATUSM)
    assert moved.value.kind == "schema" and "ArbStatusM (TAB6260)" in moved.value.message_sv
    assert "AM0210A" in moved.value.message_sv and "AM0299" in moved.value.message_en
    assert gone.value.kind == "missing" and gone.value.message_sv.startswith("SCB ArbStatusM (TAB6260):")
    assert "Non-existent table" in gone.value.message_en
    assert fake.count("GET", "/api/v2/tables/TAB6260/metadata") == 0  # stopped before metadata and data


def test_the_lookup_skips_decoys_and_fails_clearly_when_nothing_or_too_much_fits(fake):
    """ArRegArbStatus: the search hits TAB99001 (fits), TAB99002 (same folder, other variables) and
    TAB99003 (same variables, other folder); only TAB99001 is taken. Without it: a message naming
    the folder and what was seen; with a twin: a message listing both; a --scb-table pin wins."""
    with serve(fake) as urls:
        client = _client(urls)
        client.metadata(scb.ARREGARBSTATUS)
        assert client.api_text(scb.ARREGARBSTATUS).split(" · ")[0].endswith(": TAB99001 = ArRegArbStatus (funnen via sökning)")
        assert fake.count("GET", "/api/v2/tables/TAB99003/metadata") == 0
        pinned = _client(urls, pins={"ArRegArbStatus": "TAB99001"})
        searches = fake.count("GET", "/api/v2/tables?")
        pinned.metadata(scb.ARREGARBSTATUS)
        assert fake.count("GET", "/api/v2/tables?") == searches  # a pin needs no search
        assert pinned.api_text(scb.ARREGARBSTATUS).split(" · ")[0].endswith("(id angivet)")
        fake.v2_tables = [t for t in fake.v2_tables if t["id"] != "TAB99001"]
        with pytest.raises(LiveError) as none:
            _client(urls).metadata(scb.ARREGARBSTATUS)
        twin = copy.deepcopy(next(t for t in fake.v2_tables if t["id"] == "TAB99003"))
        twin["paths"][0][-1]["id"] = "AM0210D"
        fake.v2_tables.append({**twin, "id": "TAB99001"})
        fake.v2_tables.append({**twin, "id": "TAB99003"})
        with pytest.raises(LiveError) as several:
            _client(urls).metadata(scb.ARREGARBSTATUS)
    assert none.value.kind == "missing" and "AM0210D" in none.value.message_sv
    assert "TAB99002 (Region, Utbildningsniva, Kon, ContentsCode, Tid)" in none.value.message_sv
    assert "--scb-table ArRegArbStatus=TAB" in none.value.message_en
    assert several.value.kind == "schema" and "TAB99001" in several.value.message_sv and "TAB99003" in several.value.message_sv


@pytest.mark.parametrize("reply, kind, words", [
    (Reply(400, json.dumps(v2_fixture("problem_too_many_cells.json")).encode(),
           {"Content-Type": "application/problem+json"}), "limit", "Too many cells selected"),
    (Reply(200, b'{"version":"2.0","class":"dataset","id":["Region"],"size":[1],"dimension":{"Region":'
                b'{"category":{"index":{"00":0},"label":{"00":"Riket"}}}},"value":[1]}',
           {"Content-Type": "application/json"}), "schema", "dimensionerna ['Region']"),
    (Reply(200, b'{"version":"2.0","class":"collection","link":{}}', {"Content-Type": "application/json"}),
     "format", "json-stat2-dataset"),
    (Reply(200, b'{"version":"2.0","class":"dataset","id":', {"Content-Type": "application/json",
                                                                "Content-Length": "4000"}),
     "format", "bröts av innan det var komplett"),
    (Reply(200, b'CHARSET="ANSI";', {"Content-Type": "text/plain"}), "format", "'text/plain'"),
])
def test_bad_data_answers_name_the_table(fake, reply, kind, words):
    with serve(fake) as urls:
        client = _client(urls)
        meta, _ = client.metadata(scb.ARBSTATUSM)
        sel = scb.bas_selection(meta, "20", scb.BAS_CONTENTS, strict_contents=True)
        fake.queue("POST", "/api/v2/tables/TAB6260/data", reply, reply)
        with pytest.raises(LiveError) as err:
            client.data(scb.ARBSTATUSM, sel)
    assert err.value.kind == kind, err.value.message
    assert err.value.message_sv.startswith("SCB ArbStatusM (TAB6260)") and words in err.value.message_sv


def test_metadata_in_another_shape_and_a_changed_text_are_named(fake):
    meta = copy.deepcopy(fake.v2_meta["TAB6260"])
    meta["dimension"]["Alder"]["category"]["label"]["20-64"] = "20\u201365 år"
    with serve(fake) as urls:
        fake.queue("GET", "/api/v2/tables/TAB6260/metadata",
                   Reply(200, json.dumps({"id": "TAB6260", "variables": []}).encode(),
                         {"Content-Type": "application/json"}))
        with pytest.raises(LiveError) as shape:
            _client(urls).metadata(scb.ARBSTATUSM)
        fake.v2_meta["TAB6260"] = meta
        changed, _ = _client(urls).metadata(scb.ARBSTATUSM)
    assert shape.value.kind == "format" and "ArbStatusM (TAB6260) metadata" in shape.value.message_sv
    with pytest.raises(LiveError) as err:
        scb.bas_selection(changed, "20", scb.BAS_CONTENTS, strict_contents=True)
    assert err.value.kind == "schema" and "'20-64 år'" in err.value.message_sv
    assert "ArbStatusM (TAB6260)" in err.value.message_sv and "Tabellen har ändrats" in err.value.message_sv


def test_429_waits_for_retry_after_on_v2(fake):
    slept = []
    with serve(fake) as urls:
        fake.queue("GET", "/api/v2/tables/TAB6260/metadata", Reply(429, b"", {"Retry-After": "3"}))
        client = pxweb2.PxWeb2Client(quick_http(sleep=slept.append), urls["scb_v2"])
        meta, _ = client.metadata(scb.ARBSTATUSM)
    assert slept == [3.0] and "Region" in meta.variables


def test_v1_and_v2_give_the_same_observations_for_the_same_numbers(fake):
    """ArbStatusM through both APIs (different codes, an en dash in v2's ages): the same rows."""
    with serve(fake) as urls:
        out = []
        for client in (scb.PxWebClient(quick_http(), urls["scb"]), _client(urls)):
            meta, _ = client.metadata(scb.ARBSTATUSM)
            sel = scb.bas_selection(meta, "20", scb.BAS_CONTENTS, strict_contents=True)
            out.append(scb.bas_observations(client.data(scb.ARBSTATUSM, sel), meta, scb.BAS_CONTENTS, monthly=True,
                                            where="t"))
    key = ["indicator_id", "region_code", "period", "sex", "category"]
    v1, v2 = (f.sort_values(key).reset_index(drop=True) for f in out)
    assert len(v1) == len(v2) > 1000
    pd.testing.assert_frame_equal(v1, v2)
    assert fixture("scb_arbstatusm_metadata.json")["variables"][2]["valueTexts"] == ["16-64 år", "20-64 år"]
