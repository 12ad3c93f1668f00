"""Helpers shared by the parsers: safe file reading, code/period normalisation, output checks."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from atlas import CURATED_DIR
from atlas.sources import OBSERVATION_COLUMNS, REGION_COLUMNS, SourceFormatError

KEY_COLUMNS = ["indicator_id", "region_code", "period", "sex", "category"]

# Cells that mean "no value" in the sources (SCB "..", Socialstyrelsen "--", R "NA").
MISSING_MARKERS = {"", "..", ".", "-", "--", "NA", "NaN", "nan"}

SWEDISH_MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}

MONTH_RE = re.compile(r"^\d{4}M(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^\d{4}$")


# --- reading ---------------------------------------------------------------------------------

def read_xlsx(path: Path, header: int = 0) -> pd.DataFrame:
    """The first sheet of a workbook (every source workbook has one sheet of data)."""
    try:
        return pd.read_excel(path, sheet_name=0, header=header, engine="openpyxl")
    except Exception as exc:  # zipfile, openpyxl and pandas raise many different types
        raise SourceFormatError(f"{path.name}: cannot be read as xlsx ({exc})") from exc


def read_csv(path: Path) -> pd.DataFrame:
    """All cells as text, nothing guessed: the parsers convert each column themselves."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:
        raise SourceFormatError(f"{path.name}: cannot be read as csv ({exc})") from exc


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except Exception as exc:
        raise SourceFormatError(f"{path.name}: cannot be read as json ({exc})") from exc


def require_columns(df: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceFormatError(
            f"{path.name}: missing column(s) {missing}; found {[str(c) for c in df.columns]}"
        )


def require_only(df: pd.DataFrame, column: str, allowed: set[str], path: Path) -> None:
    """Fail when a dimension column holds a value the indicator definition does not cover."""
    found = set(df[column].astype(str).str.strip())
    if not found <= allowed:
        raise SourceFormatError(
            f"{path.name}: column {column!r} has unexpected value(s) {sorted(found - allowed)}; "
            f"expected only {sorted(allowed)}"
        )


# --- values ----------------------------------------------------------------------------------

def to_values(series: pd.Series, path: Path, column: str) -> pd.Series:
    """Numbers as float64; missing markers become NaN; anything else is a format error."""
    text = series.astype(object).map(lambda v: "" if v is None else str(v).strip())
    is_missing = text.isin(MISSING_MARKERS) | series.isna()
    numbers = pd.to_numeric(text.where(~is_missing), errors="coerce")
    bad = numbers.isna() & ~is_missing
    if bad.any():
        examples = sorted(set(text[bad]))[:5]
        raise SourceFormatError(f"{path.name}: column {column!r} has non-numeric value(s) {examples}")
    return numbers.astype("float64")


# --- regions ---------------------------------------------------------------------------------

def region_code(value: Any, path: Path) -> str:
    """"00"/län "20"/kommun "2085" from a code stored as number or text (0 -> "00", 114 -> "0114")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdigit():
        raise SourceFormatError(f"{path.name}: region code {value!r} is not numeric")
    if len(text) <= 2 and int(text) < 100:
        return f"{int(text):02d}"
    if len(text) <= 4:
        return f"{int(text):04d}"
    raise SourceFormatError(f"{path.name}: region code {value!r} has too many digits")


def region_codes(series: pd.Series, path: Path) -> pd.Series:
    return series.map(lambda v: region_code(v, path))


@lru_cache(maxsize=1)
def lan_table() -> pd.DataFrame:
    return pd.read_csv(CURATED_DIR / "lan.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Every spelling of a county or the whole country seen in the sources, lower-cased."""
    names = {"riket": "00", "sverige": "00", "hela riket": "00"}
    for row in lan_table().itertuples():
        for name in (row.name_sv, row.short_name_sv, f"Region {row.short_name_sv}"):
            names[name.lower()] = row.code
    return names


def code_for_name(name: Any, path: Path) -> str:
    code = region_names().get(str(name).strip().lower())
    if code is None:
        raise SourceFormatError(f"{path.name}: unknown region name {name!r}")
    return code


def codes_for_names(series: pd.Series, path: Path) -> pd.Series:
    return series.map(lambda v: code_for_name(v, path))


# --- periods ---------------------------------------------------------------------------------

def month_period(value: Any, path: Path) -> str:
    """"2020M01" from "2020M01" or "2020-01"."""
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[M-](\d{2})", text)
    period = f"{m.group(1)}M{m.group(2)}" if m else ""
    if not MONTH_RE.match(period):
        raise SourceFormatError(f"{path.name}: {value!r} is not a month (expected 2020M01 or 2020-01)")
    return period


def month_from_parts(year: Any, month_name: Any, path: Path) -> str:
    """"2014M01" from year 2014 and a Swedish month name such as "Januari"."""
    number = SWEDISH_MONTHS.get(str(month_name).strip().lower())
    year_text = year_period(year, path)
    if number is None:
        raise SourceFormatError(f"{path.name}: {month_name!r} is not a Swedish month name")
    return f"{year_text}M{number:02d}"


def year_period(value: Any, path: Path) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not YEAR_RE.match(text):
        raise SourceFormatError(f"{path.name}: {value!r} is not a year")
    return text


# --- output ----------------------------------------------------------------------------------

def observations(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The contract's observation frame: column order, dtypes, fresh index, unique keys."""
    out = frame[OBSERVATION_COLUMNS].copy()
    for col in KEY_COLUMNS:
        if out[col].isna().any():
            raise SourceFormatError(f"{path.name}: empty {col} in parsed observations")
        out[col] = out[col].astype(str)
    out["value"] = out["value"].astype("float64")
    duplicated = out.duplicated(KEY_COLUMNS, keep=False)
    if duplicated.any():
        example = out.loc[duplicated, KEY_COLUMNS].head(3).to_dict("records")
        raise SourceFormatError(f"{path.name}: duplicate observations, e.g. {example}")
    return out.reset_index(drop=True)


def long_observations(
    df: pd.DataFrame, measures: dict[str, str], path: Path, id_columns: list[str]
) -> pd.DataFrame:
    """One row per (source row, measure column): measures maps indicator_id -> column name."""
    parts = []
    for indicator_id, column in measures.items():
        part = df[id_columns].copy()
        part["indicator_id"] = indicator_id
        part["value"] = to_values(df[column], path, column)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def regions(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """REGION_COLUMNS, the text columns as str (geometry kept as given); duplicate codes raise."""
    out = frame[REGION_COLUMNS].reset_index(drop=True)
    text = [c for c in REGION_COLUMNS if c != "geometry"]
    out[text] = out[text].astype(str)
    if out["region_code"].duplicated().any():
        dupes = sorted(out.loc[out["region_code"].duplicated(), "region_code"])
        raise SourceFormatError(f"{path.name}: duplicate region codes {dupes}")
    return out

