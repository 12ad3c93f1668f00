"""SCB BAS (Befolkningens arbetsmarknadsstatus) files from Region Dalarna's "Läget i Dalarna"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.sources import SourceFormatError
from atlas.sources.parsers._common import (
    long_observations,
    month_period,
    observations,
    read_xlsx,
    region_codes,
    require_columns,
    require_only,
    to_values,
    year_period,
)

# indicator_id -> column in arbetsloshet_kommun.xlsx
BAS_MEASURES = {
    "sysselsatta": "antal sysselsatta",
    "arbetslosa": "antal arbetslösa",
    "arbetskraften": "antal sysselsatta och arbetslösa (arbetskraften)",
    "studerande": "antal studerande",
    "pensionarer": "antal pensionärer",
    "sjuka": "antal sjuka",
    "ovriga": "antal övriga",
    "befolkning_20_64": "antal totalt",
    "arbetsloshet": "arbetslöshet",
    "arbetskraftsdeltagande": "arbetskraftsdeltagande",
    "sysselsattningsgrad": "sysselsättningsgrad",
}
# The four BAS statuses outside the labour force; their sum is derived as utanfor_arbetskraften.
OUTSIDE_LABOUR_FORCE = ["studerande", "pensionarer", "sjuka", "ovriga"]


def _require_total_20_64(df: pd.DataFrame, path: Path) -> None:
    """These indicators mean "everyone aged 20-64"; another slice would change their meaning."""
    require_only(df, "kön", {"totalt"}, path)
    require_only(df, "ålder", {"20-64 år"}, path)
    require_only(df, "födelseregion", {"totalt"}, path)


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(sex="T", category="")


def parse_bas_kommun(path: Path) -> pd.DataFrame:
    df = read_xlsx(path)
    require_columns(
        df, ["regionkod", "kön", "ålder", "födelseregion", "månad", *BAS_MEASURES.values()], path
    )
    _require_total_20_64(df, path)
    df["region_code"] = region_codes(df["regionkod"], path)
    df["period"] = df["månad"].map(lambda v: month_period(v, path))
    long = long_observations(df, BAS_MEASURES, path, ["region_code", "period"])

    # utanfor_arbetskraften per source row; NaN if any of the four parts is missing.
    outside = df[["region_code", "period"]].assign(indicator_id="utanfor_arbetskraften", value=0.0)
    for indicator_id in OUTSIDE_LABOUR_FORCE:
        column = BAS_MEASURES[indicator_id]
        outside["value"] = outside["value"] + to_values(df[column], path, column)
    return observations(_totals(pd.concat([long, outside], ignore_index=True)), path)


def _one_measure(path: Path, *, indicator: str, region: str, period: str, value: str, to_period,
                 only: tuple[str, str] | None = None, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """One BAS measure for everyone aged 20-64, read from the named columns of an xlsx file:
    ``region`` (region code), ``period`` (converted by ``to_period``) and ``value``; ``only`` keeps
    the rows where a column has one value (a long file with several measures)."""
    df = read_xlsx(path)
    require_columns(df, [region, "kön", "ålder", "födelseregion", period, value, *extra], path)
    if only:
        column, wanted = only
        df = df[df[column].astype(str).str.strip() == wanted]
        if df.empty:
            raise SourceFormatError(f"{path.name}: no rows with {column} == '{wanted}'")
    _require_total_20_64(df, path)
    out = pd.DataFrame({
        "indicator_id": indicator,
        "region_code": region_codes(df[region], path),
        "period": df[period].map(lambda v: to_period(v, path)),
        "value": to_values(df[value], path, value),
    })
    return observations(_totals(out), path)


def parse_bas_kommun_snapshot(path: Path) -> pd.DataFrame:
    return _one_measure(path, indicator="arbetsloshet", region="region_kod", period="månad", value="value",
                        to_period=month_period, only=("tabellinnehåll", "arbetslöshet"), extra=("tabellinnehåll",))


def parse_bas_fodelseregion(path: Path) -> pd.DataFrame:
    df = read_xlsx(path)
    require_columns(df, ["tid", "regionkod", "ålder", "födelseregion", "andel"], path)
    require_only(df, "ålder", {"20-64 år"}, path)
    require_only(df, "födelseregion", {"inrikes född", "utrikes född", "totalt"}, path)
    category = df["födelseregion"].astype(str).str.strip().str.lower()
    out = pd.DataFrame({
        "indicator_id": "arbetsloshet",
        "region_code": region_codes(df["regionkod"], path),
        "period": df["tid"].map(lambda v: month_period(v, path)),
        "sex": "T",
        "category": category.where(category != "totalt", ""),
        "value": to_values(df["andel"], path, "andel"),
    })
    return observations(out, path)


def parse_bas_lan_manad(path: Path) -> pd.DataFrame:
    return _one_measure(path, indicator="arbetsloshet", region="regionkod", period="Period", value="arbetslöshet",
                        to_period=month_period)


def parse_bas_lan_ar(path: Path) -> pd.DataFrame:
    return _one_measure(path, indicator="arbetsloshet_ar", region="regionkod", period="år", value="arbetslöshet",
                        to_period=year_period)
