"""A standard set of seminar figures for a county, built from the database in one call, so a
project lead gets a complete deck with one click (and can add any figure from the pages)."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from atlas.figures.lines import trend_spec
from atlas.figures.spec import FigureSpec

Run = Callable[..., pd.DataFrame]  # run(query_name, **params) -> DataFrame

# (indicator, include Riket, category); each becomes one line chart when the county has data.
STANDARD = [
    ("arbetsloshet", True, ""),
    ("sysselsattningsgrad", True, ""),
    ("utanfor_arbetskraften", False, ""),
    ("langtidsarbetsloshet_25_64", False, ""),
    ("varsel", False, ""),
    ("ekonomiskt_bistand_hushall", False, ""),
    ("matchningsgrad", False, ""),
    ("etablering_forvarvsarbetande", False, "vistelsetid 4-9 år"),
]


def standard_specs(run: Run, lang: str, lan: str) -> list[FigureSpec]:
    """FigureSpecs for the STANDARD figures that have data for county ``lan`` (others skipped)."""
    catalogue = run("indicator_coverage").set_index("id", drop=False)
    regions = run("regions", lan=lan)
    level = dict(zip(regions["code"], regions["level"]))
    names = dict(zip(regions["code"], regions["name_en" if lang == "en" else "name"]))
    specs = []
    for indicator, with_riket, category in STANDARD:
        if indicator not in catalogue.index:
            continue
        codes = [lan, "00"] if with_riket else [lan]
        series = run("series", indicator=indicator, regions=codes, sex="T", category=category)
        if series.dropna(subset=["value"]).empty:
            continue
        series = series.assign(level=series["region_code"].map(level))
        label = names.get(lan, lan) + (f" ({category})" if category else "")
        specs.append(trend_spec(series, catalogue.loc[indicator].to_dict(), lang=lang,
                                key=f"std-{indicator}", regions_label=label))
    return specs
