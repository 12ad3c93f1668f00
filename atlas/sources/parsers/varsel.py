"""Arbetsförmedlingen: persons given notice of redundancy (varsel), via Region Dalarna."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources.parsers._common import (
    codes_for_names,
    month_period,
    observations,
    read_xlsx,
    require_columns,
    to_values,
    year_period,
)


def parse_varsel_manad(path: Path) -> pd.DataFrame:
    df = read_xlsx(path)
    require_columns(df, ["tid", "region", "antal"], path)
    out = pd.DataFrame({
        "indicator_id": "varsel",
        "region_code": codes_for_names(df["region"], path),  # "Dalarna" -> "20"
        "period": df["tid"].map(lambda v: month_period(v, path)),
        "sex": "T",
        "category": "",
        "value": to_values(df["antal"], path, "antal"),
    })
    return observations(out, path)


def parse_varsel_bransch(path: Path) -> pd.DataFrame:
    df = read_xlsx(path)
    require_columns(df, ["Näringsgren", "region", "antal", "År"], path)
    out = pd.DataFrame({
        "indicator_id": "varsel_bransch",
        "region_code": codes_for_names(df["region"], path),
        "period": df["År"].map(lambda v: year_period(v, path)),
        "sex": "T",
        # Kept exactly as published (case and spacing) so it matches the catalogue's translations.
        "category": df["Näringsgren"].astype(str),
        "value": to_values(df["antal"], path, "antal"),
    })
    return observations(out, path)
