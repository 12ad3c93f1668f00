"""The malformed-file corpus: each file gets its specific message and changes nothing."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
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


def _submit(data: bytes, name: str, codes, others) -> validate.Validation:
    """What the page does: validate, and write only when valid."""
    res = validate.validate(data, name, codes, other_kommun_codes=others)
    if res.ok:
        store.apply_register(res.enterprise, res.fact, who="test", file_name=name, sha256=res.sha256)
    return res


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_file(case, kommun_codes, other_kommun_codes, admin_db):
    store.ensure()
    before = hashlib.sha256(admin_db.read_bytes()).hexdigest()
    tables_before = store.load()
    res = _submit(case.data, case.file_name, kommun_codes, other_kommun_codes)
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
        text = t(f"admin.err.{p.key}", lang, **{"county": "Dalarnas län", **p.params})  # as the page does
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


# --- Uploads that cannot hurt (issue 12) ---------------------------------------------------------

def test_hostile_cases_render_readable_messages():
    """Every hostile case's message shows no raw control character and names the limit it broke."""
    for case in CASES:
        res = validate.validate(case.data, case.file_name)
        for p in res.problems:
            for lang in ("sv", "en"):
                text = t(f"admin.err.{p.key}", lang, county="Dalarnas län", **p.params)
                assert not validate._CONTROL.search(text), (case.name, text)


@pytest.mark.parametrize("name, key", [("far_row", "too_many_rows"), ("zip_bomb", "xlsx_unpacked"),
                                       ("wide_header", "too_many_columns")])
def test_bombs_are_refused_before_openpyxl_reads_them(name, key, monkeypatch):
    """The bombs never reach openpyxl's parser (that is what took seconds and gigabytes)."""
    import openpyxl

    from tools.bench_uploads import BOMBS

    def fail(*a, **kw):
        raise AssertionError("openpyxl was asked to read a bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    file_name, data = BOMBS[name]()
    assert [p.key for p in validate.validate(data, file_name).problems] == [key]


def test_far_row_within_limits_is_read_without_phantom_cells(kommun_codes):
    """A declared dimension of A1:XFD1048576 no longer widens rows: a valid register saved with a
    bogus dimension (and a styled but empty far cell) reads as the 16 columns it has."""
    base = _base()
    from tools.bench_uploads import SHEET_HEAD, inline_row, workbook

    rows = [inline_row(1, list(base.columns))] + [inline_row(i + 2, list(r)) for i, r in
                                                    enumerate(base.itertuples(index=False))]
    far = f'<row r="{len(rows) + 5}"><c r="XFD{len(rows) + 5}" s="1"/></row>'
    xml = (SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + "".join(rows) + far
           + "</sheetData></worksheet>")
    res = validate.validate(workbook(xml), "dim.xlsx", kommun_codes)
    assert res.ok, res.problems[:3]
    assert res.rows == len(base)


def test_problems_are_capped_and_counted(kommun_codes):
    base = _base()
    many = base.loc[base.index.repeat(80)].reset_index(drop=True)  # 80 copies: thousands of duplicates
    many["organisationsnummer"] = "55667788AB"  # every row also has a malformed number
    res = validate.validate(many.to_csv(index=False).encode(), "many.csv", kommun_codes)
    assert len(res.problems) == validate.MAX_PROBLEMS
    assert res.omitted == len(many) - validate.MAX_PROBLEMS  # one problem per row: the first stops the row
    assert res.problems[0].key == "orgnr_format" and res.problems[0].row == 2


def test_problems_beyond_the_cap_are_counted_not_kept():
    """160,000 problems (every cell of 10,000 rows a formula): only the first 500 are kept, so the
    validation's Python allocations peak at some 15 MB; keeping them all took 59 MB."""
    import tracemalloc

    cols = validate.FILE_COLUMNS
    data = (",".join(cols) + "\n" + (",".join(["=1"] * len(cols)) + "\n") * validate.MAX_ROWS).encode()
    tracemalloc.start()
    try:
        res = validate.validate(data, "formulas.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(res.problems) == validate.MAX_PROBLEMS and res.omitted == len(cols) * validate.MAX_ROWS - 500
    assert peak < 30 * 1024 * 1024, peak / 1048576


def test_duplicate_columns_each_named_once():
    header = ",".join(validate.FILE_COLUMNS + ["namn", "ort", "namn", "NAMN"])
    res = validate.validate((header + "\n" + "," * (len(validate.FILE_COLUMNS) + 3) + "x\n").encode())
    assert [(p.key, p.params) for p in res.problems] == [("duplicate_columns", {"columns": "namn, ort"})]


@pytest.mark.parametrize("raw, value", [
    ("12,5", 12.5), ("12.5", 12.5), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234,5", 1234.5),
    ("1 234 567,89", 1234567.89), ("1.234.567", 1234567), ("1,234,567", 1234567), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("0,125", 0.125), ("1234,567", 1234.567), ("-3", -3), ("\u22123", -3), (".5", 0.5)])
def test_numbers_are_read_as_written(raw, value):
    assert validate.parse_number(raw) == value


@pytest.mark.parametrize("raw, key", [
    ("1,234", "ambiguous_number"), ("1.234", "ambiguous_number"), ("123.456", "ambiguous_number"),
    ("12 34", "not_number"), ("1,2,3", "not_number"), ("1.234.5", "not_number"), ("1,234,5", "not_number"),
    ("1e5", "not_number"), ("", "not_number"), ("-", "not_number"), ("12 kr", "not_number")])
def test_numbers_that_could_be_misread_are_refused(raw, key):
    with pytest.raises(validate.NumberError) as err:
        validate.parse_number(raw)
    assert err.value.key == key


def test_grouped_and_decimal_numbers_are_stored_right(kommun_codes):
    """'1,234.5' was stored as 1.2345; Swedish decimal commas and space-grouped thousands still work."""
    base = _base()
    i = int(base.index[base["år"] != ""][0])
    for raw, stored in [("1,234.5", "1234.5"), ("1 234,5", "1234.5"), ("1\u00a0234", "1234"), ("12,5", "12.5"),
                        ("1.234,5", "1234.5")]:
        df = base.copy()
        df.loc[i, "omsättning_tkr"] = raw
        res = validate.validate(df.to_csv(index=False, sep=";").encode(), "n.csv", kommun_codes)
        assert res.ok, (raw, res.problems[:2])
        fact = res.fact[(res.fact["asf_id"] == df.loc[i, "id"]) & (res.fact["measure"] == "omsattning_tkr")]
        assert fact["value"].tolist() == [stored], raw


def test_numeric_xlsx_cells_are_taken_as_stored(kommun_codes):
    """A number cell holding 1.234 is not text to be guessed at: it is 1.234 tkr."""
    from openpyxl import Workbook

    base = _base()
    i = int(base.index[base["år"] != ""][0])
    wb = Workbook()
    ws = wb.active
    ws.append(list(base.columns))
    for j, r in enumerate(base.itertuples(index=False)):
        cells = list(r)
        if j == i:
            cells[base.columns.get_loc("omsättning_tkr")] = 1.234
            cells[base.columns.get_loc("anställda")] = 7
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    res = validate.validate(buf.getvalue(), "n.xlsx", kommun_codes)
    assert res.ok, res.problems[:3]
    got = res.fact[res.fact["asf_id"] == base.loc[i, "id"]].set_index("measure")["value"]
    assert got["omsattning_tkr"] == "1.234" and got["anstallda"] == "7"


def test_bounds_edges(kommun_codes):
    base = _base()
    i = int(base.index[base["år"] != ""][0])
    for measure, column in (("anstallda", "anställda"), ("omsattning_tkr", "omsättning_tkr")):
        high = validate.BOUNDS[measure][1]
        for raw, ok in ((str(high), True), (str(high + 1), False)):
            df = base.copy()
            df.loc[i, column] = raw
            res = validate.validate(df.to_csv(index=False).encode(), "b.csv", kommun_codes)
            assert res.ok is ok, (column, raw, res.problems[:2])


def test_name_without_latin_letters_gets_an_id(kommun_codes):
    """A Cyrillic-only name gave an empty id; now a stable one derived from the name."""
    base = _base()
    ent = base[(base["år"] == "") & (base["id"] != "")].iloc[0]
    rows = base[base["id"] == ent["id"]].copy()
    rows["id"] = ""
    rows["namn"] = "Школа труда"
    df = pd.concat([base[base["id"] != ent["id"]], rows], ignore_index=True)
    res = validate.validate(df.to_csv(index=False).encode(), "cyr.csv", kommun_codes)
    assert res.ok, res.problems[:3]
    got = res.enterprise.loc[res.enterprise["name"] == "Школа труда", "asf_id"].tolist()
    assert got == [validate.fallback_id("Школа труда")] and got[0].startswith("asf_") and len(got[0]) == 14
    assert (res.enterprise["asf_id"] != "").all()
    again = validate.validate(df.to_csv(index=False).encode(), "cyr.csv", kommun_codes)
    assert again.enterprise["asf_id"].tolist() == res.enterprise["asf_id"].tolist()


def test_kommun_of_the_county_only(kommun_codes, other_kommun_codes):
    """Kommun 0180 (Stockholm) was accepted in Dalarna's register."""
    assert {c[:2] for c in kommun_codes} == {validate.REGISTER_LAN} and "0180" in other_kommun_codes
    base = _base()
    df = _set_kommun(base, "0180")
    res = validate.validate(df.to_csv(index=False).encode(), "k.csv", kommun_codes,
                            other_kommun_codes=other_kommun_codes)
    assert {(p.key, p.params["value"]) for p in res.problems} == {("kommun_other_county", "0180")}
    res = validate.validate(_set_kommun(base, "2099").to_csv(index=False).encode(), "k.csv", kommun_codes,
                            other_kommun_codes=other_kommun_codes)
    assert {(p.key, p.params["value"]) for p in res.problems} == {("kommun_unknown", "2099")}
    assert "Dalarnas län" in t("admin.err.kommun_other_county", "sv", county="Dalarnas län", **res.problems[0].params)


def _set_kommun(base, code):
    df = base.copy()
    df.loc[df["id"] == df.loc[0, "id"], "kommunkod"] = code
    return df


def test_line_breaks_kept_in_free_text(kommun_codes):
    base = _base()
    df = base.copy()
    df.loc[df["id"] == df.loc[0, "id"], "verksamhet"] = "Lego\nHörselskydd"
    res = validate.validate(df.to_csv(index=False).encode(), "lb.csv", kommun_codes)
    assert res.ok, res.problems[:3]
    assert "Lego\nHörselskydd" in res.enterprise["lines_of_business"].tolist()
