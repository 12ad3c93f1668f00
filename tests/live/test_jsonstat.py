"""json-stat2 -> long frame: the static SCB-format fixture, sparse values, and malformed answers."""

from __future__ import annotations

import copy
import json
import math

import duckdb
import pytest

from atlas.live import jsonstat
from atlas.live.http import LiveError

from .fakeapi import BAS_IDS, fixture

DOC = fixture("scb_arbstatusm_2085_2026M04.jsonstat2.json")


def test_dataset_frame_matches_the_mirror_values(built_db):
    frame = jsonstat.dataset_frame(DOC, "test")
    assert list(frame.columns) == [*DOC["id"], "value"]
    assert len(frame) == math.prod(DOC["size"]) == 22
    labels = jsonstat.labels(DOC)
    con = duckdb.connect(str(built_db), read_only=True)
    totals = frame[frame["Fodelseregion"] == "tot"]
    for row in totals.itertuples():
        indicator = BAS_IDS[labels["ContentsCode"][row.ContentsCode]]
        expected = con.execute("SELECT value FROM observation WHERE preferred AND indicator_id=? "
                               "AND region_code='2085' AND period='2026M04' AND sex='T' AND category=''",
                               [indicator]).fetchone()[0]
        assert row.value == expected
    con.close()
    assert frame.loc[frame["Fodelseregion"] == "83", "value"].isna().all()  # null + status ".." -> NaN


def test_row_major_order_with_index_as_array_and_sparse_values():
    doc = {"class": "dataset", "id": ["A", "B"], "size": [2, 3],
           "dimension": {"A": {"category": {"index": ["a1", "a2"]}},
                         "B": {"category": {"index": {"b3": 2, "b1": 0, "b2": 1}}}},
           "value": {"0": DOC["value"][0], "5": DOC["value"][1]}}
    frame = jsonstat.dataset_frame(doc, "test")
    assert list(zip(frame["A"], frame["B"])) == [("a1", "b1"), ("a1", "b2"), ("a1", "b3"),
                                                  ("a2", "b1"), ("a2", "b2"), ("a2", "b3")]
    assert frame["value"].iloc[0] == DOC["value"][0] and frame["value"].iloc[5] == DOC["value"][1]
    assert frame["value"].iloc[1:5].isna().all()


@pytest.mark.parametrize("change, words", [
    (lambda d: d.pop("value"), "saknar 'value'"),
    (lambda d: d.update(value=d["value"][:-1]), "celler"),
    (lambda d: d.update({"class": "collection"}), "json-stat2-dataset"),
    (lambda d: d["dimension"]["Tid"]["category"].pop("index") and d["dimension"]["Tid"]["category"].update(
        label={"2026M04": "x", "2026M05": "y"}), "category.index saknas"),
    (lambda d: d["value"].__setitem__(0, "12"), "icke-numeriskt"),
    (lambda d: d.update(size=d["size"][:-1]), "id/size/dimension"),
])
def test_malformed_documents_are_format_errors(change, words):
    doc = copy.deepcopy(DOC)
    change(doc)
    with pytest.raises(LiveError) as err:
        jsonstat.dataset_frame(doc, "SCB ArbStatusM")
    assert err.value.kind == "format" and words in err.value.message_sv
    assert err.value.message_sv.startswith("SCB ArbStatusM:")


def test_loads_accepts_bom_and_rejects_broken_json():
    assert jsonstat.loads(b"\xef\xbb\xbf" + json.dumps(DOC).encode(), "x")["id"] == DOC["id"]
    with pytest.raises(LiveError) as err:
        jsonstat.loads(b'{"class": "dataset", "id": [', "SCB ArbStatusM")
    assert "inte giltig JSON" in err.value.message_sv and "not valid JSON" in err.value.message_en


def test_a_tiny_body_declaring_a_huge_cube_is_refused_before_allocating():
    """The 99-byte body from issue 12: size [50000, 50000] with one category each and sparse
    values. Sizes are checked against the categories in the body first, so nothing is allocated."""
    body = (b'{"class":"dataset","id":["a","b"],"size":[50000,50000],"dimension":{"a":{},"b":{}},'
            b'"value":{"0":1}}')
    assert len(body) == 99
    with pytest.raises(LiveError) as err:
        jsonstat.dataset_frame(jsonstat.loads(body, "SCB TAB6260"), "SCB TAB6260")
    assert err.value.kind == "format" and "saknar category" in err.value.message_sv
    # categories listed to match, but the cube is still larger than the client's cell limit
    doc = {"class": "dataset", "id": ["a", "b"], "size": [2000, 2000], "value": {"0": 1},
           "dimension": {d: {"category": {"index": [f"{d}{i}" for i in range(2000)]}} for d in "ab"}}
    with pytest.raises(LiveError) as err:
        jsonstat.dataset_frame(doc, "SCB TAB6260", max_cells=150_000)
    assert err.value.kind == "limit" and "4 000 000 celler" in err.value.message_sv
    assert "more than the limit of 150,000" in err.value.message_en


@pytest.mark.parametrize("index, words", [
    ({"x": 0, "y": 0}, "positionerna"),
    ({"x": 0, "y": 5}, "positionerna"),
    (["x", "x"], "dubbla"),
])
def test_category_index_must_be_a_permutation(index, words):
    doc = {"class": "dataset", "id": ["a"], "size": [2], "value": [1, 2],
           "dimension": {"a": {"category": {"index": index}}}}
    with pytest.raises(LiveError) as err:
        jsonstat.dataset_frame(doc, "t")
    assert words in err.value.message_sv


def test_negative_or_out_of_range_sparse_positions_are_refused():
    for key in ("-1", "2"):
        doc = {"class": "dataset", "id": ["a"], "size": [2], "value": {key: 1},
               "dimension": {"a": {"category": {"index": ["x", "y"]}}}}
        with pytest.raises(LiveError, match="ogiltig position"):
            jsonstat.dataset_frame(doc, "t")
