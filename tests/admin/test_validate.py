"""The malformed-file corpus: each file gets its specific message and changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from atlas.admin import store, validate
from atlas.i18n import t
from tests.admin.corpus import corpus, valid_orgnr


def _base():
    return store.register_frame(store.seed_tables())


def _cases(codes=None):
    base = _base()
    kommun = base.loc[base["kommunkod"] != "", "kommunkod"].iloc[0]
    return corpus(base, kommun)


CASES = _cases()


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert any(len(c.data) >= 5 * 1024 * 1024 for c in CASES)


def _submit(data: bytes, name: str, codes) -> validate.Validation:
    """What the page does: validate, and write only when valid."""
    res = validate.validate(data, name, codes)
    if res.ok:
        store.apply_register(res.enterprise, res.fact, who="test", file_name=name, sha256=res.sha256)
    return res


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_file(case, kommun_codes, admin_db):
    store.ensure()
    before = hashlib.sha256(admin_db.read_bytes()).hexdigest()
    tables_before = store.load()
    res = _submit(case.data, case.file_name, kommun_codes)
    assert not res.ok
    match = [p for p in res.problems if p.key == case.key]
    assert match, [(p.row, p.column, p.key, p.params) for p in res.problems]
    p = match[0]
    if case.row is not None:
        assert p.row == case.row, p
    if case.column is not None:
        assert p.column == case.column, p
    for k, v in case.params.items():
        assert p.params.get(k) == v, p
    for lang in ("sv", "en"):  # every message renders in both languages, with its parameters filled
        text = t(f"admin.err.{p.key}", lang, **p.params)
        assert not text.startswith("admin.") and "{" not in text
    assert hashlib.sha256(admin_db.read_bytes()).hexdigest() == before
    after = store.load()
    for name in tables_before:
        assert after[name].equals(tables_before[name])


def test_five_mb_is_rejected_before_parsing():
    case = next(c for c in CASES if c.name == "five_mb")
    res = validate.validate(case.data, case.file_name)
    assert [p.key for p in res.problems] == ["too_large"]
    assert "för stor" in t("admin.err.too_large", "sv", **res.problems[0].params)
    assert "too large" in t("admin.err.too_large", "en", **res.problems[0].params)


def test_luhn():
    assert validate.luhn_ok(valid_orgnr().replace("-", ""))
    assert not validate.luhn_ok(valid_orgnr().replace("-", "")[:-1] + "0") or valid_orgnr().endswith("0")


def test_english_headers_and_whitespace(kommun_codes):
    base = _base()
    english = {c: alts[0] if alts else c for c, _, alts in validate.COLUMNS}
    df = base.rename(columns=english)
    df["name"] = "  " + df["name"] + " "
    res = validate.validate(df.to_csv(index=False).encode(), "en.csv", kommun_codes)
    assert res.ok, res.problems[:3]
    assert set(res.enterprise["name"]) == set(base["namn"])


def test_seed_round_trip_has_no_changes(kommun_codes):
    tables = store.load()
    reg = store.register_frame(tables)
    for data, name in [(reg.to_csv(index=False).encode("utf-8"), "a.csv"),
                       (reg.to_csv(index=False).encode("utf-8-sig"), "bom.csv"),
                       (reg.to_csv(index=False, sep=";").encode("cp1252"), "cp.csv")]:
        res = validate.validate(data, name, kommun_codes)
        assert res.ok, (name, res.problems[:3])
        summary = store.diff(tables, store.merge(tables, res.enterprise, res.fact))
        assert all(not (d["added"] or d["removed"] or d["changed"]) for d in summary.values()), summary
