"""CSV/XLSX/Parquet exports: content, encodings, separators and the formula-injection guard."""

import io
from datetime import date

import pandas as pd
import pytest

from atlas.export.tables import file_name, neutralise_cell, slug, to_csv_bytes, to_parquet_bytes, to_xlsx_bytes

DF = pd.DataFrame({
    "Region": ["Falun", "=HYPERLINK(\"http://x\")", "+46 tel", "-2+3", "@SUM(A1)", "Borlänge"],
    "Värde": [4.25, -1.5, None, 3.0, 0.0, 12345.6],
})


@pytest.mark.parametrize("cell, want", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("Falun", "Falun"), ("", ""), (3.5, 3.5), (-2, -2), (None, None),
])
def test_neutralise_cell(cell, want):
    assert neutralise_cell(cell) == want


def test_csv_comma_utf8_bom_and_guard():
    raw = to_csv_bytes(DF)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert list(back.columns) == ["Region", "Värde"]
    assert back["Region"].tolist() == ["Falun", "'=HYPERLINK(\"http://x\")", "'+46 tel", "'-2+3", "'@SUM(A1)", "Borlänge"]
    assert back["Värde"].iloc[0] == 4.25 and back["Värde"].iloc[1] == -1.5  # numbers stay numbers
    assert pd.isna(back["Värde"].iloc[2])  # missing stays empty, not 0
    assert "\r\n" in text


def test_csv_semicolon_decimal_comma():
    text = to_csv_bytes(DF, variant="semicolon").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Region;Värde"
    assert lines[1] == "Falun;4,25"
    assert lines[6] == "Borlänge;12345,6"
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back["Värde"].iloc[5] == 12345.6


def test_csv_rejects_unknown_variant():
    with pytest.raises(ValueError):
        to_csv_bytes(DF, variant="tab")


def test_xlsx_content_guard_and_about_sheet():
    raw = to_xlsx_bytes(DF, sheet="Arbetslöshet [%]", about={"Källa": "SCB", "Formel": "=1+1"})
    sheets = pd.read_excel(io.BytesIO(raw), sheet_name=None)
    data = sheets["Arbetslöshet -%-"]
    assert data["Region"].tolist()[1] == "'=HYPERLINK(\"http://x\")"
    assert data["Värde"].tolist()[0] == 4.25
    assert sheets["Om datan"].set_index("Fält")["Värde"].to_dict() == {"Källa": "SCB", "Formel": "'=1+1"}


def test_parquet_round_trip_keeps_types():
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(DF)))
    assert back["Värde"].dtype == "float64"
    assert back["Region"].tolist() == DF["Region"].tolist()  # Parquet is not evaluated: no guard needed


def test_file_names():
    assert slug("Dalarnas län") == "dalarnas-lan"
    assert slug("Ålö / Ärr") == "alo-arr"
    assert slug("") == "data"
    assert file_name("Arbetslöshet", "Dalarnas län", "2026M04", ext="csv", today=date(2026, 11, 27)) == \
        "arbetsloshet_dalarnas-lan_2026m04_2026-11-27.csv"
    assert file_name("x", None, "", ext=".xlsx", today=date(2026, 1, 2)) == "x_2026-01-02.xlsx"
