"""Matching logic on a small hand-built fixture, entry levels for every SSYK major group, and the
integrity of the committed mapping file against the register and the built database."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import CURATED_DIR, db
from atlas import matching as mt

# --- A small fixture: five occupations, three enterprises, four mapping rows ---------------------
OCCUPATIONS = pd.DataFrame([
    # id, name, area, ssyk, situation
    ("a", "Städare", "Sanering och renhållning", "9111", "brist"),
    ("b", "Skogsarbetare", "Naturbruk", "6210", "paradox"),
    ("c", "Kockar", "Hotell, restaurang, storhushåll", "5120", "brist"),
    ("d", "Läkare", "Hälso- och sjukvård", "2211", "brist"),
    ("e", "Trädgårdsarbetare", "Naturbruk", "6113", "balans"),        # not a shortage
    ("f", "Operatörer", "Industriell tillverkning", "8173, 8174", "brist"),  # two codes, one mapped
    ("g", "Montörer", "Industriell tillverkning", "8212", None),     # no assessment
], columns=["yb_concept_id", "yb_yrke", "yrkesomrade", "ssyk", "situation"]).assign(ssyk_text="x")
REGISTER = pd.DataFrame([
    ("asf1", "Städbolaget", "2080", "Falun", "Falun", "https://a.example/1"),
    ("asf2", "Skogslaget", "2062", "Mora", "Mora", "https://b.example/2"),
    ("asf3", "Okänd ort", "", None, None, "https://c.example/3"),
], columns=["asf_id", "name", "kommun_code", "kommun_name", "kommun_name_en", "source_url"])
MAPPING = pd.DataFrame([
    ("lokalvard", "asf1", "9111", "Städ tränar städ.", "Cleaning trains cleaning."),
    ("gronytor_skog", "asf2", "6210", "Skog tränar skog.", "Forest trains forest."),
    ("gronytor_skog", "asf2", "6113", "Grönt tränar grönt.", "Green trains green."),
    ("tillverkning_legoarbete", "asf3", "8174", "Trä tränar trä.", "Wood trains wood."),
    ("ved", "asf3", "6210", "Ved tränar skog.", "Firewood trains forest."),
], columns=mt.MAPPING_COLUMNS)


def _run(kommuner=(), areas=()):
    short = mt.shortage_occupations(OCCUPATIONS, areas=areas)
    active = mt.active_mapping(MAPPING, REGISTER, kommuner=kommuner)
    return short, mt.covered(short, active), mt.gaps(short, active), mt.coverage_counts(short, active)


def test_shortage_keeps_brist_and_paradox_only():
    short, *_ = _run()
    assert set(short["yb_concept_id"]) == {"a", "b", "c", "d", "f"}


def test_covered_and_gaps_without_filters():
    _, cov, gap, counts = _run()
    pairs = set(zip(cov["yb_concept_id"], cov["asf_id"]))
    assert pairs == {("a", "asf1"), ("b", "asf2"), ("b", "asf3"), ("f", "asf3")}
    assert set(cov.loc[cov["yb_concept_id"] == "f", "matched_ssyk"]) == {"8174"}
    # Kockar (5) has no ASF: a gap. Läkare (2) has none either, but needs higher education.
    assert set(gap["yb_concept_id"]) == {"c"}
    assert counts.set_index("entry_level")[["covered", "not_covered"]].to_dict("index") == {
        "kort": {"covered": 1, "not_covered": 0}, "gymnasie": {"covered": 2, "not_covered": 1},
        "eftergymnasial": {"covered": 0, "not_covered": 0}, "hogskola": {"covered": 0, "not_covered": 1}}


def test_kommun_filter_drops_enterprises_elsewhere_and_unknown():
    _, cov, gap, _ = _run(kommuner=["2062"])
    assert set(zip(cov["yb_concept_id"], cov["asf_id"])) == {("b", "asf2")}
    assert set(gap["yb_concept_id"]) == {"a", "c", "f"}
    _, cov, gap, _ = _run(kommuner=["2034"])  # a kommun without any enterprise
    assert cov.empty and set(gap["yb_concept_id"]) == {"a", "b", "c", "f"}


def test_area_filter():
    short, cov, gap, _ = _run(areas=["Naturbruk"])
    assert set(short["yb_concept_id"]) == {"b"} and gap.empty
    assert set(cov["asf_id"]) == {"asf2", "asf3"}


def test_several_lines_of_business_for_one_code_are_one_row():
    mapping = pd.concat([MAPPING, pd.DataFrame([("snickeri_hantverk", "asf1", "9111", "Två.", "Two.")],
                                               columns=mt.MAPPING_COLUMNS)])
    short = mt.shortage_occupations(OCCUPATIONS)
    cov = mt.covered(short, mt.active_mapping(mapping, REGISTER))
    row = cov[cov["yb_concept_id"] == "a"]
    assert len(row) == 1
    assert row["line_of_business_key"].iloc[0] == "lokalvard; snickeri_hantverk"
    assert row["rationale_sv"].iloc[0] == "Städ tränar städ.; Två."


def test_display_tables_keep_rows_and_fall_back_to_register_source():
    short, cov, gap, _ = _run()
    table = mt.covered_table(cov, mt.load_services("/nonexistent.csv"), "sv")
    assert len(table) == len(cov)
    assert table.loc[table["asf"] == "Städbolaget", "kalla"].tolist() == ["https://a.example/1"]
    assert table.loc[table["asf"] == "Okänd ort", "kommun"].unique().tolist() == ["okänd kommun"]
    assert mt.gaps_table(gap, "en")["niva"].tolist() == ["upper-secondary level"]


def test_unmapped_enterprises():
    reg = REGISTER.assign(line_of_business_sv=["Städ", "", "Något"])
    got = mt.unmapped_enterprises(reg, MAPPING[MAPPING["asf_id"] == "asf1"])
    assert got == {"no_business": ["Skogslaget"], "not_mapped": ["Okänd ort"]}


@pytest.mark.parametrize("code, level", [
    ("0110", "militar"), ("1120", "hogskola"), ("2211", "hogskola"), ("3113", "eftergymnasial"),
    ("4111", "gymnasie"), ("5120", "gymnasie"), ("6210", "gymnasie"), ("7212", "gymnasie"),
    ("8332", "gymnasie"), ("9111", "kort"), ("", "okand"), (None, "okand"), ("x12", "okand"),
])
def test_entry_level_for_every_major_group(code, level):
    assert mt.entry_level(code) == level


def test_occupation_with_several_codes_gets_the_most_demanding_level():
    assert mt.occupation_entry_level("2413, 2414, 3311") == "hogskola"
    assert mt.occupation_entry_level("9111, 8212") == "gymnasie"
    assert mt.occupation_entry_level(None) == "okand"


# --- The committed mapping file ------------------------------------------------------------------

@pytest.fixture(scope="module")
def mapping() -> pd.DataFrame:
    return mt.load_mapping()


def test_mapping_file_has_the_documented_columns(mapping):
    header = (CURATED_DIR / "asf_ssyk_mapping.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == mt.MAPPING_COLUMNS
    assert not mapping.duplicated(["line_of_business_key", "asf_id", "ssyk"]).any()
    assert mapping["line_of_business_key"].str.fullmatch(r"[a-z_]+").all()


def test_every_asf_id_is_in_the_register_and_has_a_stated_business(mapping):
    register = pd.read_csv(CURATED_DIR / "asf_register.csv", dtype=str, keep_default_na=False)
    stated = register.set_index("asf_id")["line_of_business_sv"]
    assert set(mapping["asf_id"]) <= set(register["asf_id"])
    assert all(stated[a].strip() for a in mapping["asf_id"])  # no guessing for unknown business


def test_every_rationale_is_one_non_empty_line_in_both_languages(mapping):
    for col in ("rationale_sv", "rationale_en"):
        assert mapping[col].str.strip().ne("").all(), col
        assert not mapping[col].str.contains("\n").any(), col
    # each rationale names the code it argues for
    assert all(f"({s})" in r for s, r in zip(mapping["ssyk"], mapping["rationale_sv"]))


def test_every_ssyk_is_four_digits_and_in_yrkesbarometern(mapping, built_db):
    assert mapping["ssyk"].str.fullmatch(r"\d{4}").all()
    codes = db.connect(built_db).cursor().execute("SELECT DISTINCT ssyk FROM occupation_outlook").df()["ssyk"]
    known = {c for value in codes for c in mt.ssyk_codes(value)}
    assert set(mapping["ssyk"]) <= known, sorted(set(mapping["ssyk"]) - known)


def test_every_line_of_business_has_labels(mapping):
    from atlas.i18n import t
    for key in mapping["line_of_business_key"].unique():
        for lang in ("sv", "en"):
            assert not t(f"matchning.lob.{key}", lang).startswith("matchning."), (key, lang)
