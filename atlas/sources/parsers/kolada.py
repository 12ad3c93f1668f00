"""Kolada KPI exports (year, gender, municipality, <KPI title>) saved by Region Dalarna."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import (
    codes_for_names,
    observations,
    read_csv,
    require_columns,
    require_only,
    to_values,
    year_period,
)


def parse_kolada_csv(path: Path, indicator: str) -> pd.DataFrame:
    """The value column is named after the KPI title, so it is taken by position (the 4th)."""
    df = read_csv(path)
    require_columns(df, ["year", "gender", "municipality"], path)
    if len(df.columns) < 4:
        raise SourceFormatError(f"{path.name}: missing the value column (4th column)")
    value_column = df.columns[3]
    require_only(df, "gender", {"K", "M", "T"}, path)
    out = pd.DataFrame({
        "indicator_id": indicator,
        "region_code": codes_for_names(df["municipality"], path),  # "Region Dalarna" -> "20"
        "period": df["year"].map(lambda v: year_period(v, path)),
        "sex": df["gender"].str.strip(),
        "category": "",
        "value": to_values(df[value_column], path, value_column),
    })
    return observations(out, path)
