"""Applying valid files (UTF-8, cp1252 with semicolons and decimal commas, XLSX), the audit log,
restore, the transaction, and current_tables() in the curated CSVs' shape."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from atlas import CURATED_DIR
from atlas.admin import store, template, validate
from tests.admin.corpus import csv_bytes, valid_orgnr, xlsx_bytes


def _changed_register(kommun: str) -> tuple[pd.DataFrame, dict]:
    """The seed register with one enterprise removed, one changed and one added (with two facts);
    returns the frame and the expected facts of the added enterprise."""
    reg = store.register_frame(store.load())
    ids = list(dict.fromkeys(reg["id"]))
    removed, changed = ids[-1], ids[0]
    reg = reg[reg["id"] != removed].copy()
    reg.loc[reg["id"] == changed, "organisationsnummer"] = valid_orgnr()
    new = {c: "" for c in validate.FILE_COLUMNS}
    new.update({"id": "nytt_testforetag", "namn": "Nytt testföretag", "kommunkod": kommun, "grundat_år": "2019",
                "källa": validate.COMPANY_SOURCE, "källdatum": "2025-03-01"})
    fact = {**new, "år": "2024", "anställda": "7", "omsättning_tkr": "1234,5"}
    reg = pd.concat([reg, pd.DataFrame([new, fact])], ignore_index=True)
    return reg, {"removed": removed, "changed": changed}


@pytest.mark.parametrize("fmt", ["utf8", "cp1252_semicolon", "xlsx"])
def test_valid_file_applies_with_the_right_diff(fmt, kommun_codes):
    kommun = sorted(kommun_codes)[0]
    before = store.load()
    reg, ids = _changed_register(kommun)
    if fmt == "utf8":
        data, name = csv_bytes(reg.assign(**{"omsättning_tkr": reg["omsättning_tkr"].str.replace(",", ".")})), "r.csv"
    elif fmt == "cp1252_semicolon":
        data, name = csv_bytes(reg, sep=";", encoding="cp1252"), "r.csv"
    else:
        data, name = xlsx_bytes(reg), "r.xlsx"
    res = validate.validate(data, name, kommun_codes)
    assert res.ok, res.problems[:5]
    new = store.merge(before, res.enterprise, res.fact)
    summary = store.diff(before, new)
    assert summary["enterprise"]["added"] == ["nytt_testforetag"]
    assert summary["enterprise"]["removed"] == [ids["removed"]]
    assert summary["enterprise"]["changed"] == {ids["changed"]: {"orgnr": ["", valid_orgnr()]}}
    assert summary["fact"]["added"] == ["nytt_testforetag/2024/anstallda", "nytt_testforetag/2024/omsattning_tkr"]
    removed_facts = sorted(k for k in (f"{r['asf_id']}/{r['year'] or '-'}/{r['measure']}"
                                       for r in before["fact"].to_dict("records")) if k.startswith(ids["removed"] + "/"))
    assert summary["fact"]["removed"] == removed_facts
    audit_id = store.apply_register(res.enterprise, res.fact, who="anna@example.se", file_name=name,
                                    sha256=res.sha256)
    after = store.load()
    f = after["fact"].set_index(["asf_id", "year", "measure"])
    assert f.loc[("nytt_testforetag", "2024", "omsattning_tkr"), "value"] == "1234.5"
    assert f.loc[("nytt_testforetag", "2024", "anstallda"), "source_note"] == validate.COMPANY_SOURCE
    log = store.audit_log()
    entry = log[log["id"] == audit_id].iloc[0]
    assert (entry["who"], entry["action"], entry["file_name"]) == ("anna@example.se", "upload", name)
    assert entry["file_sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads(entry["summary"]) == summary


def test_restore_brings_back_the_earlier_state_exactly(kommun_codes, admin_db):
    seed = store.load()
    seed_current = store.current_tables()
    reg, _ = _changed_register(sorted(kommun_codes)[0])
    res = validate.validate(csv_bytes(reg, sep=";"), "r.csv", kommun_codes)
    upload_id = store.apply_register(res.enterprise, res.fact, who="a", file_name="r.csv", sha256=res.sha256)
    assert not store.load()["enterprise"].equals(seed["enterprise"])
    restore_id = store.restore(upload_id, who="b")
    back = store.load()
    for name in seed:
        pd.testing.assert_frame_equal(back[name], seed[name])
    for name, df in store.current_tables().items():
        pd.testing.assert_frame_equal(df, seed_current[name])
    log = store.audit_log()
    assert list(log["action"]) == ["restore", "upload", "seed"]
    assert log.iloc[0]["id"] == restore_id and log.iloc[0]["who"] == "b"
    # the restore itself can be undone: the state after the upload comes back
    store.restore(restore_id, who="c")
    assert store.load()["enterprise"]["asf_id"].tolist()[-1] == "nytt_testforetag"


def test_failed_write_rolls_back(kommun_codes, admin_db, monkeypatch):
    store.ensure()
    before = store.load()
    log_before = store.audit_log()
    reg, _ = _changed_register(sorted(kommun_codes)[0])
    res = validate.validate(csv_bytes(reg), "r.csv", kommun_codes)
    calls = []

    def boom(con, table, df):  # fails on the second table, after the first was replaced
        calls.append(table)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        _orig(con, table, df)

    _orig = store._insert
    with monkeypatch.context() as m:  # not monkeypatch.undo(): that would also drop ATLAS_ADMIN_DB
        m.setattr(store, "_insert", boom)
        with pytest.raises(store.StoreError):
            store.apply_register(res.enterprise, res.fact, who="a", file_name="r.csv", sha256=res.sha256)
    assert store.store_path() == admin_db
    after = store.load()
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name])
    pd.testing.assert_frame_equal(store.audit_log(), log_before)


def test_current_tables_shape(admin_db):
    assert store.current_tables() is None  # no store yet: the build reads the curated CSVs
    assert not admin_db.exists()
    store.ensure()
    tables = store.current_tables()
    for name, file in [("asf_register", "asf_register.csv"), ("asf_facts", "asf_facts.csv")]:
        curated = pd.read_csv(CURATED_DIR / file, dtype=str, keep_default_na=False)
        df = tables[name]
        assert list(df.columns[: len(curated.columns)]) == list(curated.columns)
        # the seed state equals the curated file exactly
        pd.testing.assert_frame_equal(df[list(curated.columns)], curated, check_dtype=False)


def test_seed_is_audited(admin_db):
    store.ensure()
    log = store.audit_log()
    assert list(log["action"]) == ["seed"]
    assert log.iloc[0]["file_name"] == store.SEED_FILES


def test_template_has_columns_and_example_row(kommun_codes):
    from openpyxl import load_workbook
    import io

    ws = load_workbook(io.BytesIO(template.template_xlsx())).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == validate.FILE_COLUMNS
    assert rows[1][validate.FILE_COLUMNS.index("namn")] == validate.EXAMPLE_NAME
    res = validate.validate(template.template_xlsx(), "mall.xlsx", kommun_codes)
    assert [(p.row, p.key) for p in res.problems] == [(2, "example_row")]
