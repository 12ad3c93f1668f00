"""Own comparison groups: any kommuner (of any county whose data are loaded) under a name, drawn as
one line beside a kommun, its county and Riket (Trender and Kommunprofil).

How the group's value is made, per period:
* a rate with counts behind it (RATIOS: unemployment = unemployed / labour force...) is computed
  again from the members' summed counts, as SCB computes a county's rate from its kommuner: the
  group's rate is then what it would be as one area ("counts");
* a count (unit antal or tkr) is the members' sum ("sum");
* anything else is the unweighted mean of the members' values ("mean"): every kommun weighs the
  same whatever its size, which the page says.
A period gets a value only when every member has every value it needs; otherwise it is missing
(drawn as a gap), never a sum or mean over part of the group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from atlas.i18n import t

GROUP_CODE = "grupp"  # region_code of the group's rows: never a real code (those are digits)
MAX_MEMBERS = 50
MAX_NAME = 40
# A rate -> (counts summed for the numerator, counts summed for the denominator), times 100. From
# the catalogue's definitions (data/curated/indicators.yml); tests/test_groups.py recomputes the
# county's published rates from its kommuner's counts with these.
RATIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "arbetsloshet": (("arbetslosa",), ("arbetskraften",)),
    "sysselsattningsgrad": (("sysselsatta",), ("befolkning_20_64",)),
    "arbetskraftsdeltagande": (("arbetskraften",), ("befolkning_20_64",)),
    "bas_ar_arbetsloshet": (("bas_ar_arbetslosa",), ("bas_ar_arbetslosa", "bas_ar_sysselsatta")),
    "bas_ar_sysselsattningsgrad": (("bas_ar_sysselsatta",), ("bas_ar_befolkning_20_64",)),
    "bas_ar_arbetskraftsdeltagande": (("bas_ar_arbetslosa", "bas_ar_sysselsatta"), ("bas_ar_befolkning_20_64",)),
}
SUMMED_UNITS = ("antal", "tkr")


def clean_name(raw: object, lang: str) -> str:
    """The group's name as typed or linked: control and bidi characters, line breaks and < > &
    removed (so the name is plain text in a Plotly legend, which reads HTML), spaces collapsed, at
    most MAX_NAME characters; the default name ('Egen grupp' / 'Own group') when nothing is left.
    Markdown still needs it escaped (atlas.asf.md_escape)."""
    text = re.sub(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069<>&]+", " ", str(raw or ""))
    text = re.sub(r"\s+", " ", text).strip()[:MAX_NAME].strip()
    return text or t("groups.default_name", lang)


@dataclass(frozen=True)
class Members:
    """A group's members as read from a link or a picker: ``kommuner`` (valid, in order, at most
    MAX_MEMBERS), ``other_level`` (codes of Riket or a county: a group holds kommuner only),
    ``unknown`` (codes the database does not hold, or kommuner without data)."""

    kommuner: list[str]
    other_level: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def parse_members(raw: str | None, regions: pd.DataFrame, options: Sequence[str]) -> Members:
    """Split ``raw`` ('2080,2085,20') into kommuner among ``options``, codes of another level and
    unknown codes. regions: the ``regions_all`` rows (code, level)."""
    codes = [c.strip() for c in dict.fromkeys(str(raw or "").split(",")) if c.strip()]
    level = dict(zip(regions["code"], regions["level"]))
    allowed = set(options)
    kommuner = [c for c in codes if c in allowed][:MAX_MEMBERS]
    other = [c for c in codes if c not in allowed and level.get(c) in ("riket", "lan")]
    unknown = [c[:12] for c in codes if c not in allowed and c not in other]
    return Members(kommuner, other, unknown)


@dataclass(frozen=True)
class GroupSeries:
    """The group's line. rows: region_code (GROUP_CODE), period, period_date, value, source_id.
    method: 'counts' | 'sum' | 'mean'. missing: members without any value the method needs.
    incomplete: periods left empty because a member lacked a value there."""

    rows: pd.DataFrame
    method: str
    missing: list[str] = field(default_factory=list)
    incomplete: int = 0
    counts: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def needed_indicators(indicator: str) -> list[str]:
    """The indicator ids to query for the group's line of ``indicator`` (its counts when it has
    them, and the indicator itself for the mean when they are absent)."""
    if indicator in RATIOS:
        num, den = RATIOS[indicator]
        return list(dict.fromkeys([*num, *den, indicator]))
    return [indicator]


def _complete(values: pd.DataFrame, members: list[str], ids: list[str]) -> pd.DataFrame:
    """Per period: values (indicator x member) where every member has every id; index period."""
    rows = values[values["indicator_id"].isin(ids) & values["region_code"].isin(members) & values["value"].notna()]
    wide = rows.pivot_table(index="period", columns=["indicator_id", "region_code"], values="value", aggfunc="first")
    wanted = pd.MultiIndex.from_product([ids, members], names=["indicator_id", "region_code"])
    return wide.reindex(columns=wanted)


def aggregate(values: pd.DataFrame, *, indicator: str, unit: str, members: Sequence[str]) -> GroupSeries:
    """The group's series for ``indicator`` (``unit``: its catalogue unit) from ``values``: rows
    indicator_id, region_code, period, period_date, value, source_id of the members (a
    ``group_values`` result for needed_indicators(indicator)). Periods are those any member has;
    a period where a member lacks a needed value is NaN."""
    members = list(dict.fromkeys(members))
    mine = values[values["region_code"].isin(members)]
    dates = mine.drop_duplicates("period").set_index("period")["period_date"]
    method, counts = "mean", None
    if indicator in RATIOS:
        num, den = RATIOS[indicator]
        wide = _complete(mine, members, list(dict.fromkeys([*num, *den])))
        if wide.notna().all(axis=1).any():
            method, counts = "counts", (num, den)
            total = lambda ids: wide[list(ids)].sum(axis=1, min_count=1)  # noqa: E731
            ok = wide.notna().all(axis=1)
            series = (100 * total(num) / total(den)).where(ok)
            used = list(dict.fromkeys([*num, *den]))
    if method == "mean":
        if unit in SUMMED_UNITS:
            method = "sum"
        wide = _complete(mine, members, [indicator])
        ok = wide.notna().all(axis=1)
        series = (wide.sum(axis=1) if method == "sum" else wide.mean(axis=1)).where(ok)
        used = [indicator]
    have = mine[mine["indicator_id"].isin(used) & mine["value"].notna()]
    missing = [m for m in members if not set(used) <= set(have.loc[have["region_code"] == m, "indicator_id"])]
    periods = sorted(dates.index, key=lambda p: dates[p])
    series = series.reindex(periods)
    sources = have[have["indicator_id"] == (indicator if method != "counts" else used[0])]["source_id"]
    source = ",".join(sorted(set(sources.dropna()))) or None
    rows = pd.DataFrame({"region_code": GROUP_CODE, "period": periods,
                         "period_date": [dates[p] for p in periods], "value": series.to_numpy(dtype=float),
                         "source_id": source})
    incomplete = int(series.isna().sum()) if not missing else 0
    return GroupSeries(rows, method, missing, incomplete, counts)


def method_text(group: GroupSeries, *, name: str, members: Sequence[str], indicator_label: str,
                labels: Mapping[str, str], names: Mapping[str, str], lang: str) -> str:
    """How the group's line was made, for the caption under the figure and the downloads:
    'Bergslagen (Ludvika, Smedjebacken): räknad om från antalen, arbetslösa / arbetskraften ...'.
    labels: indicator id -> label; names: region code -> name. ``name`` is shown as given: escape
    it for where the text goes."""
    who = ", ".join(names.get(m, m) for m in members)
    if group.method == "counts":
        num, den = group.counts
        how = t("groups.method_counts", lang, indicator=indicator_label,
                num=" + ".join(labels.get(i, i) for i in num), den=" + ".join(labels.get(i, i) for i in den))
    else:
        how = t(f"groups.method_{group.method}", lang, indicator=indicator_label)
    text = t("groups.line", lang, name=name, n=len(members), members=who, how=how)
    if group.missing:
        text += " " + t("groups.missing", lang, members=", ".join(names.get(m, m) for m in group.missing))
    elif group.incomplete:
        text += " " + t("groups.incomplete", lang, n=group.incomplete)
    return text


def download_meta(group: GroupSeries, *, name: str, members: Sequence[str], names: Mapping[str, str],
                  text: str, lang: str) -> dict:
    """What metadata.json (and the XLSX 'about' sheet) say about the group: its name, members
    (codes and names), how its value was computed."""
    return {
        "comparison_group": {"name": name, "members": list(members),
                             "member_names": [names.get(m, m) for m in members], "method": group.method,
                             "counts": [list(c) for c in group.counts] if group.counts else None,
                             "members_without_data": group.missing, "description": text},
        "about": {t("groups.about_label", lang): text},
    }
