"""Checks for the curated ASF (work-integrating social enterprise) files in data/curated/."""

from pathlib import Path

import pandas as pd
import pytest

CURATED = Path(__file__).resolve().parents[1] / "data" / "curated"

DALARNA_KOMMUN_CODES = {
    "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061",
    "2062", "2080", "2081", "2082", "2083", "2084", "2085",
}

REQUIRED_COLUMNS = {
    "asf_register.csv": [
        "asf_id", "name", "name_note", "kommun_code", "kommun_note", "town",
        "line_of_business_sv", "line_of_business_en", "asf_status_note",
        "source_url", "other_source_urls", "year_of_statement", "year_note",
    ],
    "asf_facts.csv": [
        "asf_id", "year", "year_note", "measure", "value", "value_low", "value_high",
        "approx", "quote", "source_url",
    ],
    "asf_county_totals.csv": [
        "year", "year_note", "n_asf", "n_asf_approx", "employees", "work_training",
        "people_occupied", "turnover_msek", "approx", "quote", "publisher", "source_url",
    ],
    "asf_support_organisations.csv": [
        "name", "role_sv", "role_en", "kommun_code", "source_url", "year_note",
    ],
}

NUMERIC_COLUMNS = {
    "asf_register.csv": ["year_of_statement"],
    "asf_facts.csv": ["year", "value", "value_low", "value_high", "value_nominal"],
    "asf_county_totals.csv": [
        "year", "n_asf", "employees", "work_training", "people_occupied", "turnover_msek",
    ],
    "asf_support_organisations.csv": [],
}

YEAR_COLUMNS = {
    "asf_register.csv": ["year_of_statement"],
    "asf_facts.csv": ["year"],
    "asf_county_totals.csv": ["year"],
    "asf_support_organisations.csv": [],
}

BOOL_COLUMNS = {
    "asf_facts.csv": ["approx"],
    "asf_county_totals.csv": ["n_asf_approx", "approx"],
}

MEASURES = {
    "anstallda", "arbetstraning", "sysselsatta", "deltagare",
    "vidare_till_arbete_studier", "ur_bidragsberoende",
    "sysselsatta_ackumulerat", "aktieagare",
}


def load(name: str) -> pd.DataFrame:
    """Read a curated CSV as text; empty fields become ''."""
    return pd.read_csv(CURATED / name, dtype=str, keep_default_na=False, encoding="utf-8")


def numbers(series: pd.Series) -> pd.Series:
    """The non-empty values of a column as numbers (raises on non-numeric text)."""
    return pd.to_numeric(series[series != ""], errors="raise")


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return load("asf_register.csv")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load("asf_facts.csv")


@pytest.fixture(scope="module")
def totals() -> pd.DataFrame:
    return load("asf_county_totals.csv")


@pytest.fixture(scope="module")
def support() -> pd.DataFrame:
    return load("asf_support_organisations.csv")


# --------------------------------------------------------------------------- format


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_loads_with_required_columns(name):
    df = load(name)
    assert len(df) > 0
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    assert not missing, f"{name} lacks columns {missing}"


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_utf8_without_bom_and_tidy_lines(name):
    raw = (CURATED / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} has a BOM"
    text = raw.decode("utf-8")
    assert "\r" not in text
    for i, line in enumerate(text.split("\n"), start=1):
        assert line == line.rstrip(), f"{name}:{i} has trailing whitespace"


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_no_padded_fields(name):
    df = load(name)
    for col in df.columns:
        padded = df[col][df[col] != df[col].str.strip()]
        assert padded.empty, f"{name}.{col} has padded values: {list(padded)}"


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_every_row_has_one_http_source_url(name):
    df = load(name)
    urls = df["source_url"]
    assert (urls != "").all(), f"{name} has rows without source_url"
    assert urls.str.match(r"^https?://").all(), f"{name} has a source_url not starting with http(s)://"
    assert not urls.str.contains(r"\s|;").any(), f"{name}: source_url must hold exactly one URL"


@pytest.mark.parametrize("name", ["asf_register.csv", "asf_support_organisations.csv"])
def test_other_source_urls_are_urls(name):
    df = load(name)
    for value in df["other_source_urls"]:
        if value == "":
            continue
        for url in value.split(" ; "):
            assert url.startswith(("http://", "https://")), f"{name}: bad other URL {url!r}"
            assert not any(ch.isspace() for ch in url)


def test_register_rows_all_have_source_url(register):
    assert (register["source_url"] != "").all()
    assert (register["name"] != "").all()


def test_primary_source_not_repeated_in_other_sources(register):
    for _, row in register.iterrows():
        others = row["other_source_urls"].split(" ; ") if row["other_source_urls"] else []
        assert row["source_url"] not in others, row["asf_id"]
        assert len(others) == len(set(others)), row["asf_id"]


# --------------------------------------------------------------------------- ids and codes


def test_asf_ids_unique_and_slug_like(register):
    ids = register["asf_id"]
    assert ids.is_unique
    assert ids.str.match(r"^[a-z0-9]+(_[a-z0-9]+)*$").all()


def test_fact_ids_exist_in_register(register, facts):
    unknown = set(facts["asf_id"]) - set(register["asf_id"])
    assert not unknown, f"facts refer to unknown asf_id {unknown}"


def test_truncated_entry_not_in_register(register):
    assert not register["name"].str.startswith("Vas").any()


@pytest.mark.parametrize("name", ["asf_register.csv", "asf_support_organisations.csv"])
def test_kommun_codes_are_dalarna(name):
    codes = load(name)["kommun_code"]
    bad = set(codes[codes != ""]) - DALARNA_KOMMUN_CODES
    assert not bad, f"{name} has non-Dalarna kommun codes {bad}"


def test_empty_kommun_codes_are_explained(register):
    empty = register[register["kommun_code"] == ""]
    assert (empty["kommun_note"] != "").all()


@pytest.mark.parametrize(
    "asf_id",
    ["dialogkraft", "sodra_dalarnas_serviceteam", "langshyttans_bruksservice", "dalahander"],
)
def test_unstated_kommun_left_empty(register, asf_id):
    row = register.set_index("asf_id").loc[asf_id]
    assert row["kommun_code"] == ""


def test_dialogkraft_kommun_empty(register):
    assert register.set_index("asf_id").loc["dialogkraft", "kommun_code"] == ""


def test_langshyttan_reason_recorded(register):
    note = register.set_index("asf_id").loc["langshyttans_bruksservice", "kommun_note"]
    assert "place name" in note


@pytest.mark.parametrize(
    "asf_id, code",
    [
        ("koopus", "2083"),
        ("glimten", "2039"),
        ("sarna_cafe_22an", "2039"),
        ("siljansnas_resursen", "2029"),
        ("mora_diakoni", "2062"),
        ("disponentparken", "2085"),
        ("yalla_borlange", "2081"),
        ("vaderbackens_allservice", "2061"),
    ],
)
def test_stated_kommun_codes(register, asf_id, code):
    assert register.set_index("asf_id").loc[asf_id, "kommun_code"] == code


def test_asf_status_notes(register):
    reg = register.set_index("asf_id")
    assert reg.loc["sarna_cafe_22an", "asf_status_note"] != ""
    assert reg.loc["siljansnas_resursen", "asf_status_note"] != ""
    assert reg.loc["koopus", "asf_status_note"] == ""


# --------------------------------------------------------------------------- numbers and years


@pytest.mark.parametrize("name", sorted(NUMERIC_COLUMNS))
def test_numeric_columns_non_negative(name):
    df = load(name)
    for col in NUMERIC_COLUMNS[name]:
        values = numbers(df[col])
        assert (values >= 0).all(), f"{name}.{col} has negative values"


@pytest.mark.parametrize("name", sorted(YEAR_COLUMNS))
def test_years_in_range(name):
    df = load(name)
    for col in YEAR_COLUMNS[name]:
        assert df[col].str.fullmatch(r"(\d{4})?").all(), f"{name}.{col} must be an integer year or empty"
        years = numbers(df[col])
        assert years.between(2000, 2026).all(), f"{name}.{col} out of range"


@pytest.mark.parametrize("name", sorted(YEAR_COLUMNS))
def test_year_note_present_when_year_empty(name):
    df = load(name)
    for col in YEAR_COLUMNS[name]:
        empty = df[df[col] == ""]
        assert (empty["year_note"] != "").all(), f"{name}: rows with empty {col} need a year_note"


@pytest.mark.parametrize("name", sorted(BOOL_COLUMNS))
def test_boolean_columns(name):
    df = load(name)
    for col in BOOL_COLUMNS[name]:
        assert df[col].isin(["true", "false"]).all(), f"{name}.{col} must be true/false"


def test_fact_measures_known(facts):
    assert facts["measure"].isin(MEASURES).all()


def test_fact_value_coding(facts):
    for _, row in facts.iterrows():
        if row["value"] != "":
            # exact number: all three equal, not approximate
            assert row["value"] == row["value_low"] == row["value_high"], row.to_dict()
            assert row["approx"] == "false"
        if row["value_low"] != "" and row["value_high"] != "":
            assert float(row["value_low"]) <= float(row["value_high"])
        if row["approx"] == "true":
            assert row["value"] == ""
        assert row["quote"] != "" or row.get("note", "") != "", "a fact needs a quote or a note"


def test_known_fact_values(facts):
    koopus_2018 = facts[
        (facts["asf_id"] == "koopus") & (facts["year"] == "2018") & (facts["measure"] == "anstallda")
    ]
    assert len(koopus_2018) == 1
    assert float(koopus_2018.iloc[0]["value"]) == 20

    koopus_16 = facts[(facts["asf_id"] == "koopus") & (facts["quote"] == "16 personer är anställda i Koopus")]
    assert len(koopus_16) == 1
    assert koopus_16.iloc[0]["value"] == "16"
    assert koopus_16.iloc[0]["year"] == ""  # page undated ("about 2017")

    hela = facts[facts["asf_id"] == "hela_heten_hedemora"].iloc[0]
    assert (hela["value"], hela["value_low"], hela["value_high"]) == ("", "12", "15")

    near_50 = facts[facts["quote"].str.contains("nära 50")].iloc[0]
    assert near_50["value"] == near_50["value_low"] == near_50["value_high"] == ""
    assert near_50["approx"] == "true"

    at_least_40 = facts[facts["measure"] == "ur_bidragsberoende"].iloc[0]
    assert (at_least_40["value"], at_least_40["value_low"], at_least_40["value_high"]) == ("", "40", "")


def test_known_county_totals(totals):
    rd_2018 = totals[(totals["year"] == "2018") & (totals["publisher"] == "Region Dalarna")]
    assert len(rd_2018) == 1
    row = rd_2018.iloc[0]
    assert int(row["n_asf"]) == 19
    assert int(row["employees"]) == 120
    assert int(row["work_training"]) == 120
    assert row["n_asf_approx"] == "false"

    tjugotal = totals[totals["quote"].str.contains("20-tal")]
    assert len(tjugotal) == 1
    row = tjugotal.iloc[0]
    assert int(row["n_asf"]) == 20
    assert row["n_asf_approx"] == "true"
    assert int(row["people_occupied"]) == 300
    assert int(row["turnover_msek"]) == 40
    assert row["approx"] == "true"

    dalabygden = totals[totals["publisher"] == "Dalabygden"].iloc[0]
    assert dalabygden["year"] == "2017"
    assert int(dalabygden["n_asf"]) == 16
    assert dalabygden["n_asf_approx"] == "true"

    samarkand = totals[totals["publisher"] == "AB Samarkand2015"]
    assert len(samarkand) == 2
    assert set(samarkand["n_asf"]) == {"16"}


def test_excluded_county_statements(totals):
    assert not totals["n_asf"].isin(["14"]).any()
    assert not totals["quote"].str.contains("9,000|9 000", regex=True).any()
