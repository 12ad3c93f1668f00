"""What the printed situation report says, gathered from the database (no Streamlit, no HTML): key
figures with their 12-month change (atlas.periods), the auto-written findings, the figures (built by
the pages' own figure builders), redundancy notices, shortage occupations, ASF coverage, sources
and the data version. atlas.report.render turns it into HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from atlas import db
from atlas.figures.spec import FigureSpec
from atlas.i18n import fmt_number, fmt_period, fmt_value, t
from atlas.periods import latest, year_on_year

RIKET = "00"
KEY_INDICATORS = ("arbetsloshet", "sysselsattningsgrad", "arbetskraftsdeltagande", "arbetslosa")
TREND_INDICATORS = ("arbetsloshet", "sysselsattningsgrad")
VARSEL_YEARS = 5  # the notices chart shows the last five years (with the 12-month average)
MAX_SHORTAGE_ROWS = 25


class ReportError(ValueError):
    """The report cannot be made (unknown county or kommun, no data); the message says why, in the
    report's language."""


@dataclass(frozen=True)
class KeyFigure:
    """One row of the key-figure table: the indicator's label and unit, per region (focus first,
    then the county when the focus is a kommun, then Riket) its latest value, period and 12-month
    change (in the unit: percentage points for rates, per cent for counts) as formatted text."""

    indicator: str
    label: str
    cells: list[dict]


@dataclass
class Report:
    """Everything the report shows, as plain values and FigureSpecs (see the module docstring)."""

    lang: str
    lan: str
    kommun: str | None
    title: str
    period: str  # the latest month of the focus region's unemployment, formatted
    regions: list[tuple[str, str]]  # (code, name) as columns of the key figures
    key_figures: list[KeyFigure]
    findings: list[str]
    figures: list[FigureSpec]
    varsel_text: str
    shortage: dict
    asf: dict
    sources: pd.DataFrame
    version: str
    created: date
    notes: list[str] = field(default_factory=list)


def _run(con) -> Callable[..., pd.DataFrame]:
    return lambda name, **params: db.run(name, con=con, **params)


def _names(regions: pd.DataFrame, lang: str) -> dict[str, str]:
    return dict(zip(regions["code"], regions["name_en" if lang == "en" else "name"]))


def _change_text(series: pd.DataFrame, code: str, unit: str, decimals: int, lang: str) -> tuple[str, str, str]:
    """(value, period, 12-month change) of ``code``'s newest value as text ('..' where missing)."""
    now = latest(series, code)
    if now is None:
        return "..", "..", ".."
    yoy = year_on_year(series, code)
    if yoy is None:
        change = ".."
    elif unit == "procent":
        change = t("report.change_pp", lang, diff=("+" if yoy.diff > 0 else "") + fmt_number(yoy.diff, lang, 1))
    elif yoy.pct is not None:
        change = t("report.change_pct", lang, diff=("+" if yoy.pct > 0 else "") + fmt_number(yoy.pct, lang, 1))
    else:
        change = ".."
    return fmt_value(now[1], unit, lang, decimals), fmt_period(now[0], lang), change


def gather(lan: str, *, kommun: str | None = None, lang: str = "sv", con=None,
           today: date | None = None) -> Report:
    """The report for county ``lan`` (2 digits), or for ``kommun`` (4 digits, in that county), in
    ``lang`` ('sv' | 'en'). Raises ReportError for an unknown county or kommun, a kommun outside the
    county, or a county whose kommun data are not loaded."""
    from atlas.versions import data_versions

    run = _run(con)
    lang = "en" if lang == "en" else "sv"
    regions = run("regions_all")
    names = _names(regions, lang)
    level = dict(zip(regions["code"], regions["level"]))
    if level.get(lan) != "lan":
        raise ReportError(t("report.error_county", lang, code=str(lan)[:12]))
    if kommun is not None and (level.get(kommun) != "kommun" or not str(kommun).startswith(lan)):
        raise ReportError(t("report.error_kommun", lang, code=str(kommun)[:12], county=names[lan]))
    coverage = run("county_coverage", lan=lan).iloc[0]
    if int(coverage["kommun_values"]) == 0:
        raise ReportError(t("report.error_no_data", lang, county=names[lan], code=lan))
    focus = kommun or lan
    area = [focus] + ([lan] if kommun else []) + [RIKET]
    catalogue = run("indicator_coverage").set_index("id", drop=False)
    label = "label_en" if lang == "en" else "label_sv"

    series = {i: run("series", indicator=i, regions=area, sex="T", category="") for i in KEY_INDICATORS
              if i in catalogue.index}
    unemployment = series.get("arbetsloshet", pd.DataFrame(columns=["region_code", "period", "value"]))
    if latest(unemployment, focus) is None:
        raise ReportError(t("report.error_no_data", lang, county=names[focus], code=focus))
    period = fmt_period(latest(unemployment, focus)[0], lang)

    key_figures = []
    for ind, s in series.items():
        row = catalogue.loc[ind]
        cells = []
        for code in area:
            value, when, change = _change_text(s, code, row["unit"], int(row["decimals"]), lang)
            cells.append({"value": value, "period": when, "change": change})
        key_figures.append(KeyFigure(ind, str(row[label]), cells))

    from atlas.findings import series_finding

    findings = []
    if kommun:
        from atlas.profile import key_findings

        findings += key_findings(unemployment=unemployment, employment=series.get("sysselsattningsgrad", unemployment.iloc[:0]),
                                 county_unemployment=run("profil_county_kommuner", lan=lan, indicator="arbetsloshet"),
                                 kommun=kommun, lan=lan, names=names, lang=lang)
    else:
        for ind in TREND_INDICATORS:
            if ind in series:
                row = catalogue.loc[ind]
                mine = series[ind][series[ind]["region_code"] == focus]
                text = series_finding(mine, region_name=names[focus], unit=row["unit"], decimals=int(row["decimals"]),
                                      lang=lang)
                if text:
                    findings.append(f"{row[label]}: {text}")

    maps = _map(run, lan, names, lang)
    figures = [*maps, *_trends(run, series, catalogue, focus, lan, kommun, regions, names, lang)]
    varsel_spec, varsel_text = _varsel(run, lan, names, catalogue, lang)
    if varsel_spec is not None:
        figures.append(varsel_spec)
    if maps:
        findings.append(maps[0].alt_text.split(". ", 1)[-1] if kommun is None else maps[0].alt_text)
    if varsel_spec is not None:
        findings.append(varsel_text)
    notes = [t("report.kommun_county_note", lang, county=names[lan])] if kommun else []
    used = sorted({s for spec in figures for s in spec.source_ids}
                  | {s for frame in series.values() for s in frame["source_id"].dropna()})
    shortage = _shortage(run, lan, lang)
    if shortage:
        findings.append(t("report.finding_shortage", lang, n=shortage["counts"]["brist"], county=names[lan],
                          total=shortage["counts"]["total"] - shortage["counts"]["none"],
                          omgang=shortage["counts"]["omgang"]))
    asf_part = _asf(run, lan, kommun, names, lang)
    used = sorted(set(used) | set(shortage.get("source_ids", [])) | set(asf_part.get("source_ids", [])))
    sources = run("sources")
    title = t("report.title", lang, region=names[focus])
    return Report(lang=lang, lan=lan, kommun=kommun, title=title, period=period,
                  regions=[(c, names.get(c, c)) for c in area], key_figures=key_figures, findings=findings,
                  figures=figures, varsel_text=varsel_text, shortage=shortage, asf=asf_part,
                  sources=sources[sources["id"].isin(used)].reset_index(drop=True),
                  version=data_versions(con).current, created=today or date.today(), notes=notes)


def _map(run, lan: str, names: dict, lang: str) -> list[FigureSpec]:
    """Unemployment per kommun of the county, by the Karta page's builder (atlas.figures.maps)."""
    from atlas.figures.maps import MapView, build_map
    from atlas.geo import Shapes

    indicators = run("karta_indicators", lan=lan, level="kommun")
    if "arbetsloshet" not in set(indicators["id"]):
        return []
    options = run("karta_options", indicator="arbetsloshet", lan=lan, level="kommun")
    periods = options.loc[options["category"] == "", "period"].tolist()
    shapes = Shapes.from_rows(run("karta_geometry", lan=lan, level="kommun"))
    if not periods or not shapes.geometries:
        return []
    values = run("karta_values", indicator="arbetsloshet", lan=lan, period=periods[0], category="", level="kommun")
    indicator = indicators.set_index("id", drop=False).loc["arbetsloshet"]
    view = MapView(values, indicator, periods[0], "", lang, level="kommun", county=lan, county_name=names[lan])
    return [build_map(view, shapes, county_name=names[lan])]


def _trends(run, series, catalogue, focus, lan, kommun, regions, names, lang) -> list[FigureSpec]:
    """Unemployment and the employment rate over time: the focus, (its county,) Riket."""
    from atlas.figures.lines import trend_spec
    from atlas.figures.profile import build_profile_trend

    out = []
    levels = dict(zip(regions["code"], regions["level"]))
    for ind in TREND_INDICATORS:
        if ind not in series or series[ind].empty:
            continue
        row = catalogue.loc[ind].to_dict()
        if kommun:
            spec = build_profile_trend(series[ind], lang=lang, indicator=row, kommun=kommun, lan=lan, names=names)
        else:
            s = series[ind].assign(level=series[ind]["region_code"].map(levels))
            spec = trend_spec(s, row, lang=lang, key=f"rapport-{ind}-{lan}", regions_label=names[focus])
        if spec is not None:
            out.append(spec)
    return out


def _varsel(run, lan: str, names: dict, catalogue, lang: str) -> tuple[FigureSpec | None, str]:
    """Notices of redundancy (county only): the last VARSEL_YEARS years with the 12-month average,
    and a sentence on the newest month against the same month a year earlier."""
    from atlas.figures.trends import varsel_monthly_spec
    from atlas.trends import definition

    monthly = run("trend_varsel_month", lan=lan)
    if monthly.empty:
        return None, t("report.varsel_missing", lang, county=names[lan])
    last = int(monthly["period"].str[:4].max())
    spec = varsel_monthly_spec(monthly, lang=lang, first_year=last - VARSEL_YEARS + 1, last_year=last,
                               show_average=True, definition=definition(catalogue, "varsel", lang))
    now = latest(monthly)
    yoy = year_on_year(monthly)
    kw = dict(county=names[lan], n=fmt_number(now[1], lang), period=fmt_period(now[0], lang))
    if yoy is None:
        return spec, t("report.varsel_latest", lang, **kw)
    return spec, t("report.varsel_change", lang, previous=fmt_period(yoy.previous_period, lang),
                   old=fmt_number(yoy.previous_value, lang), **kw)


def _shortage(run, lan: str, lang: str) -> dict:
    """Yrkesbarometern in the county's newest release: counts per situation and the shortage
    occupations (name, five-year outlook, Riket's situation)."""
    from atlas.overview import situation_counts

    counts = situation_counts(run("occupation_situation_counts", region=lan))
    if not counts:
        return {}
    table = run("yrke_outlook", region=lan, omgang=counts["omgang"])
    brist = table[table["situation"] == "brist"].sort_values("yb_yrke")
    return {"counts": counts, "source_ids": sorted(table["source_id"].dropna().unique()) or ["yrkesbarometer"],
            "rows": brist[["yb_yrke", "prognos", "situation_riket"]].head(MAX_SHORTAGE_ROWS),
            "n_brist": len(brist)}


def _asf(run, lan: str, kommun: str | None, names: dict, lang: str) -> dict:
    """Work-integrating social enterprises: the county's stated counts (each statement a separate
    source, not a series) and the register's enterprises per kommun (0 = none known, not none)."""
    from atlas.overview import asf_summary

    statements = run("asf_county_statements")
    per_kommun = run("asf_kommun_counts", lan=lan)
    if lan != "20" or statements.empty:  # the curated register covers Dalarna only
        return {}
    rows = per_kommun[["code", "name_en" if lang == "en" else "name", "n_asf"]].set_axis(["code", "name", "n"], axis=1)
    if kommun:
        rows = rows[rows["code"] == kommun]
    return {"summary": asf_summary(statements), "rows": rows.sort_values(["n", "name"], ascending=[False, True]),
            "source_ids": ["curated_asf"]}
