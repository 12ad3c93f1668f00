"""Tables as downloadable files: CSV (UTF-8 with BOM, comma or Swedish semicolon variant), XLSX and
Parquet. Text cells that a spreadsheet would read as a formula are neutralised."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pandas as pd

# Spreadsheet programs treat a cell starting with these as a formula (OWASP CSV injection);
# tab and carriage return can smuggle one in after a leading whitespace strip.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that would start a formula with an apostrophe; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` where every text cell (and column name) is safe to open in Excel."""
    out = df.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell).astype(object)
    return out


def to_csv_bytes(df: pd.DataFrame, *, variant: str = "comma") -> bytes:
    """CSV in UTF-8 with BOM (so Swedish Excel reads å, ä, ö). variant 'comma': ',' separator and
    '.' decimals; 'semicolon': ';' separator and ',' decimals (Swedish Excel's own format)."""
    if variant not in ("comma", "semicolon"):
        raise ValueError(f"variant must be 'comma' or 'semicolon', not {variant!r}")
    sep, decimal = (",", ".") if variant == "comma" else (";", ",")
    text = neutralise(df).to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    return "\ufeff".encode("utf-8") + text.encode("utf-8")


def to_xlsx_bytes(df: pd.DataFrame, *, sheet: str = "Data", about: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook: the data on the first sheet (header row frozen), and, when ``about`` is
    given, a second sheet "Om datan" with one row per key (source, definition, retrieved, ...)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        safe_sheet = re.sub(r"[\[\]:*?/\\]", "-", sheet)[:31] or "Data"
        neutralise(df).to_excel(xl, sheet_name=safe_sheet, index=False)
        ws = xl.sheets[safe_sheet]
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, start=1):
            width = min(max(len(str(col)), *(len(str(v)) for v in df[col].head(200)), 8) + 2, 60)
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width
        if about:
            meta = pd.DataFrame({"Fält": list(about.keys()), "Värde": [str(v) for v in about.values()]})
            neutralise(meta).to_excel(xl, sheet_name="Om datan", index=False)
            xl.sheets["Om datan"].column_dimensions["A"].width = 24
            xl.sheets["Om datan"].column_dimensions["B"].width = 100
    return buf.getvalue()


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet (typed, compressed) of ``df`` as it is; Parquet readers do not evaluate formulas."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def slug(text: object) -> str:
    """'Dalarnas län' -> 'dalarnas-lan'; safe in file names on every system."""
    norm = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")[:60] or "data"


def file_name(*parts: object, ext: str, today: date | None = None) -> str:
    """'arbetsloshet_dalarnas-lan_2026m04_2026-11-27.csv' from what the file holds plus the date."""
    words = [slug(p) for p in parts if p not in (None, "")]
    words.append((today or date.today()).isoformat())
    return "_".join(words) + "." + ext.lstrip(".")
