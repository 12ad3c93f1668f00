"""Socialstyrelsen: ekonomiskt bistånd per month, as saved by Region Dalarna."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import (
    long_observations,
    month_from_parts,
    observations,
    read_xlsx,
    region_names,
    require_columns,
)

MEASURES = {
    "ekonomiskt_bistand_hushall": "Antal hushåll",
    "ekonomiskt_bistand_tkr": "Utbetalt ekonomiskt bistånd tkr",
}


def _region_from_title(title: str, path: Path) -> str:
    """The first row is a title such as "Ekonomiskt bistånd, Dalarnas län": it names the region."""
    lowered = title.lower()
    # Longest names first so "Dalarnas län" wins over a shorter name inside it.
    for name, code in sorted(region_names().items(), key=lambda kv: -len(kv[0])):
        if name in lowered:
            return code
    raise SourceFormatError(f"{path.name}: the title row {title!r} names no known region")


def parse_socialstyrelsen_bistand(path: Path) -> pd.DataFrame:
    raw = read_xlsx(path, header=None)
    if len(raw) < 3:
        raise SourceFormatError(f"{path.name}: expected a title row, a header row and data rows")
    # Row 1 is the title, row 2 the header.
    df = raw.iloc[2:].set_axis([str(c).strip() for c in raw.iloc[1]], axis=1)
    require_columns(df, ["År", "Månad", *MEASURES.values()], path)
    region = _region_from_title(str(raw.iat[0, 0]), path)
    df = df.dropna(how="all")  # blank rows below the table
    df = df.assign(
        region_code=region,
        period=[month_from_parts(y, m, path) for y, m in zip(df["År"], df["Månad"])],
    )
    long = long_observations(df, MEASURES, path, ["region_code", "period"])
    return observations(long.assign(sex="T", category=""), path)
