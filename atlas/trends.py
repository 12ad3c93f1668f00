"""Trender och jämförelser apart from its widgets: the defaults and choices each section offers, and
the texts around its figures. Pure: rows of the trend_* queries and the catalogue in, plain values out
(the figures themselves are built in atlas.figures.trends)."""

from __future__ import annotations

import pandas as pd

from atlas.figures.trends import varsel_years
from atlas.i18n import fmt_period, t

DEFAULT_INDICATOR = "arbetsloshet"
SEXES = ("T", "K", "M")
# The page's sections (?vy=) and the URL parameters of each, in page order: a link without ?vy=
# opens the first section it has parameters of.
SECTIONS = {
    "tid": ("ind", "reg", "kon", "kat", "egen", "egen_namn"),
    "lan": ("jmf_ind", "jmf_kon", "jmf_kat", "jmf_period", "jmf_tid"),
    "fodelse": ("fr_reg",),
    "varsel": ("varsel_fran", "varsel_till", "varsel_ma", "varsel_topp"),
}


def default_indicator(ids: list[str]) -> str:
    """Unemployment where it is offered, else the first of ``ids`` (not empty)."""
    return DEFAULT_INDICATOR if DEFAULT_INDICATOR in ids else ids[0]


def default_regions(codes: list[str], lan: str) -> list[str]:
    """The county and Riket, those of them in ``codes``; else the first code (empty if no codes)."""
    return [c for c in (lan, "00") if c in codes] or codes[:1]


def sexes(options: pd.DataFrame, category: str) -> list[str]:
    """'T', 'K', 'M' (in that order), those the ``trend_options`` rows hold for ``category``."""
    held = set(options.loc[options["category"] == category, "sex"])
    return [s for s in SEXES if s in held]


def definition(catalogue: pd.DataFrame, indicator_id: str, lang: str) -> str:
    """The catalogue's definition of ``indicator_id`` (catalogue indexed by id) in ``lang``; '' if
    the catalogue does not list it."""
    if indicator_id not in catalogue.index:
        return ""
    return str(catalogue.loc[indicator_id, "definition_en" if lang == "en" else "definition_sv"])


def source_title(sources: pd.DataFrame, source_id: str, lang: str) -> str:
    """The title of a source (rows of the ``sources`` query) in ``lang``; its id if not listed."""
    row = sources[sources["id"] == source_id]
    return str(row["title_en" if lang == "en" else "title_sv"].iloc[0]) if len(row) else source_id


def birth_coverage(birth_regions: pd.DataFrame, *, lan: str, names: dict[str, str], lang: str) -> str:
    """The caption of the birth-region chart: the years the table covers and, when it does not cover
    the county, which regions it does. birth_regions: ``trend_regions`` rows for 'utrikes född'."""
    span = (f"{fmt_period(birth_regions['first_period'].min(), lang)}–"
            f"{fmt_period(birth_regions['last_period'].max(), lang)}")
    county = names.get(lan, lan)
    if lan in set(birth_regions["code"]):
        return t("trender.birth_coverage", lang, span=span, county=county)
    covered = [names.get(c, c) for c in birth_regions.loc[birth_regions["level"] != "kommun", "code"]]
    return t("trender.birth_coverage_other", lang, span=span, county=county, available=", ".join(covered))


def varsel_year_options(monthly: pd.DataFrame, industry: pd.DataFrame) -> list[int]:
    """Every year either varsel table has (``trend_varsel_month``, ``trend_varsel_industry``), ascending."""
    return sorted(set(varsel_years(monthly)) | {int(p) for p in industry["period"]})


def months_in(monthly: pd.DataFrame, first: int, last: int) -> bool:
    """Whether the monthly varsel table has a month in the years first..last."""
    return bool(len(monthly)) and bool(monthly["period"].str[:4].astype(int).between(first, last).any())


def industry_span(industry: pd.DataFrame, first: int, last: int) -> tuple[int, int] | None:
    """The part of the years first..last that the industry table covers; None if none of it."""
    years = sorted({int(p) for p in industry["period"]})
    if not years:
        return None
    lo, hi = max(first, years[0]), min(last, years[-1])
    return (lo, hi) if lo <= hi else None


def industry_outside(industry: pd.DataFrame, lang: str) -> str:
    """The notice that the chosen years lie outside the industry table, naming the years it covers."""
    years = sorted({int(p) for p in industry["period"]})
    return t("trender.industry_outside_range", lang, first=years[0] if years else "..",
             last=years[-1] if years else "..")
