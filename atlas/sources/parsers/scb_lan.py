"""SCB county tables (matching, establishment, commuting, education match) via Region Dalarna."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import (
    codes_for_names,
    observations,
    read_csv,
    read_xlsx,
    region_codes,
    require_columns,
    require_only,
    to_values,
    year_period,
)


def _map_values(series: pd.Series, mapping: dict[str, str], path: Path, column: str) -> pd.Series:
    text = series.astype(str).str.strip()
    unknown = sorted(set(text) - set(mapping))
    if unknown:
        raise SourceFormatError(f"{path.name}: column {column!r} has unexpected value(s) {unknown}")
    return text.map(mapping)


MATCHNING_SEX = {"män": "M", "kvinnor": "K", "samtliga anställda": "T"}


def parse_matchning(path: Path) -> pd.DataFrame:
    """One row per value column; the column name is the category ("totalt" is the whole group)."""
    df = read_csv(path)
    keys = ["region", "kön", "år"]
    require_columns(df, [*keys, "totalt"], path)
    base = pd.DataFrame({
        "region_code": codes_for_names(df["region"], path),
        "period": df["år"].map(lambda v: year_period(v, path)),
        "sex": _map_values(df["kön"], MATCHNING_SEX, path, "kön"),
    })
    parts = []
    for column in [c for c in df.columns if c not in keys]:
        parts.append(base.assign(
            indicator_id="matchningsgrad",
            # Column names kept as published ("födda i Sverige"): they are already lower-case
            # apart from proper nouns.
            category="" if column == "totalt" else column.strip(),
            value=to_values(df[column], path, column),
        ))
    return observations(pd.concat(parts, ignore_index=True), path)


ETABLERING_SEX = {"män och kvinnor": "T", "män": "M", "kvinnor": "K"}
ETABLERING_ALL_LEVELS = "samtliga utbildningsnivåer"


def parse_etablering(path: Path) -> pd.DataFrame:
    df = read_csv(path)
    keys = ["region", "kön", "utbildningsnivå", "bakgrundsvariabel", "år"]
    require_columns(df, keys, path)
    value_columns = [c for c in df.columns if c not in keys]
    if len(value_columns) != 1:
        raise SourceFormatError(
            f"{path.name}: expected one value column besides {keys}, found {value_columns}"
        )
    category = df["bakgrundsvariabel"].str.strip().str.lower()
    level = df["utbildningsnivå"].str.strip().str.lower()
    # The mirror holds only "all levels"; another level must not be mixed into the same series.
    category = category.where(level == ETABLERING_ALL_LEVELS, category + ", " + level)
    out = pd.DataFrame({
        "indicator_id": "etablering_forvarvsarbetande",
        "region_code": codes_for_names(df["region"], path),
        "period": df["år"].map(lambda v: year_period(v, path)),
        "sex": _map_values(df["kön"], ETABLERING_SEX, path, "kön"),
        "category": category,
        "value": to_values(df[value_columns[0]], path, value_columns[0]),
    })
    return observations(out, path)


PENDLING_VARIABLES = {"Andel utpendling": "utpendling_andel", "Andel inpendling": "inpendling_andel"}


def parse_pendling(path: Path) -> pd.DataFrame:
    df = read_xlsx(path)
    require_columns(df, ["regionkod", "utbildning", "kön", "år", "variabel", "andel"], path)
    require_only(df, "utbildning", {"samtliga utbildningsgrupper"}, path)
    require_only(df, "kön", {"totalt"}, path)
    out = pd.DataFrame({
        "indicator_id": _map_values(df["variabel"], PENDLING_VARIABLES, path, "variabel"),
        "region_code": region_codes(df["regionkod"], path),
        "period": df["år"].map(lambda v: year_period(v, path)),
        "sex": "T",
        "category": "",
        "value": to_values(df["andel"], path, "andel"),
    })
    return observations(out, path)


UTBNIVA_MATCH = {
    "rätt utbildningsnivå": "utbniva_ratt",
    "för hög utbildningsnivå": "utbniva_for_hog",
    "för låg utbildningsnivå": "utbniva_for_lag",
}


def parse_utbniva_matchning(path: Path) -> pd.DataFrame:
    """Dalarna only: the file has no region column (Region Dalarna's own extract for the county)."""
    df = read_xlsx(path)
    require_columns(df, ["Ar", "inr_utr_fodd", "UtbNiva_match_txt", "antal", "andel"], path)
    match = df["UtbNiva_match_txt"].astype(str).str.lower()
    base = pd.DataFrame({
        "indicator_id": _map_values(match, UTBNIVA_MATCH, path, "UtbNiva_match_txt"),
        "region_code": "20",
        "period": df["Ar"].map(lambda v: year_period(v, path)),
        "sex": "T",
        "category": df["inr_utr_fodd"].astype(str).str.strip().str.lower(),
    })
    shares = base.assign(value=to_values(df["andel"], path, "andel"))
    counts = base.assign(
        indicator_id=base["indicator_id"] + "_antal", value=to_values(df["antal"], path, "antal")
    )
    return observations(pd.concat([shares, counts], ignore_index=True), path)
