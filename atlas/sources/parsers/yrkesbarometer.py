"""Arbetsförmedlingen's Yrkesbarometer (JSON array, one record per occupation and region)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import read_json, region_code

COLUMNS = [
    "omgang",
    "taxonomi_version",
    "region_code",
    "yb_concept_id",
    "yb_yrke",
    "yrkesomrade",
    "ssyk",
    "ssyk_text",
    "antal_ssyk",
    "del_av_ssyk",
    "jobbmojligheter",
    "rekryteringssituation",
    "paradox",
    "prognos",
    "hogsta_bedomningsniva",
    "delvis_helt",
    "text_rekryteringssituation",
    "text_jobbmojligheter",
    "yb_beskrivning",
]
INTEGER_COLUMNS = ["taxonomi_version", "antal_ssyk", "del_av_ssyk"]
# Must be present with a value; rekryteringssituation must be present but may be null
# (null = "ingen bedömning"). Every other field is optional: the mirror copy lacks the long texts.
REQUIRED_VALUES = ["yb_concept_id", "yb_yrke", "lan", "omgang"]
REQUIRED_KEYS = ["rekryteringssituation"]


def _paradox(value, path: Path, index: int):
    if value is None:
        return None
    if not isinstance(value, list):
        raise SourceFormatError(f"{path.name}: record {index} field 'paradox' is not a list")
    return ", ".join(str(v) for v in value)


def _row(record: dict, path: Path, index: int) -> dict:
    for field in REQUIRED_VALUES:
        if record.get(field) is None:
            raise SourceFormatError(f"{path.name}: record {index} is missing required field {field!r}")
    for field in REQUIRED_KEYS:
        if field not in record:
            raise SourceFormatError(f"{path.name}: record {index} is missing required field {field!r}")
    row = {c: record.get(c) for c in COLUMNS}
    row["region_code"] = region_code(record["lan"], path)
    row["paradox"] = _paradox(record.get("paradox"), path, index)
    return row


def parse_yrkesbarometer(path: Path) -> pd.DataFrame:
    data = read_json(path)
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) for r in data):
        raise SourceFormatError(f"{path.name}: expected a non-empty JSON array of objects")
    rows = [_row(record, path, i) for i, record in enumerate(data)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    for column in COLUMNS:
        if column in INTEGER_COLUMNS:
            df[column] = pd.array(df[column].tolist(), dtype="Int64")
        else:
            # str dtype: None stays missing (NaN), never the text "None" or "".
            df[column] = df[column].astype("str")
    key = ["omgang", "region_code", "yb_concept_id"]
    if df.duplicated(key).any():
        example = df.loc[df.duplicated(key), key].head(3).to_dict("records")
        raise SourceFormatError(f"{path.name}: duplicate occupation records, e.g. {example}")
    return df.reset_index(drop=True)
