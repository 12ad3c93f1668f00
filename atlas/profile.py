"""Numbers and sentences for the Kommunprofil page, computed from query results (no Streamlit).

* ``comparison_table``: the Nomis-style table (kommun | county | Riket) as formatted text.
* ``default_kommun``: the county's most populous kommun.
* ``similar_kommuner``: the kommuner nearest to one kommun on standardised values, and
  ``similarity_table``/``similarity_captions``: that ranking as shown.
* ``key_findings``: plain sentences (sv/en) about unemployment and employment, from the data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from dataclasses import dataclass, field

import pandas as pd

from atlas import periods
from atlas.i18n import fmt_number, fmt_period, fmt_value, t
from atlas.periods import year_on_year

RIKET = "00"
P = "kommunprofil."


def _rounded(value: float, decimals: int) -> float:
    """Round half away from zero as fmt_number does: the ranking counts values that are shown as
    equal as a tie."""
    quantum = Decimal(1).scaleb(-max(decimals, 0))
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def ordinal(n: int, lang: str) -> str:
    """1 -> '1:a'/'1st', 2 -> '2:a'/'2nd', 3 -> '3:e'/'3rd', 11 -> '11:e'/'11th', 22 -> '22:a'/'22nd'."""
    if lang == "en":
        suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return f"{n}:a" if n % 10 in (1, 2) and n % 100 not in (11, 12) else f"{n}:e"


# --- The comparison table -----------------------------------------------------------------------

def comparison_table(table: pd.DataFrame, *, lang: str, kommun: str, county: str,
                     riket: str) -> list[tuple[str, pd.DataFrame]]:
    """Split a ``profil_table`` result into [('rates', df), ('counts', df)] (empty groups left out).

    Each df has the columns Indikator | <kommun> | <county> | <riket> | Period | Enhet (in ``lang``)
    with values formatted by fmt_value per the indicator's unit and decimals; '..' where missing.
    Row order is the query's (rates first, then by the kommun's value, largest first).
    """
    label = "label_en" if lang == "en" else "label_sv"
    out = []
    for group, rows in (("rates", table[table["unit"] == "procent"]),
                        ("counts", table[table["unit"] != "procent"])):
        if rows.empty:
            continue

        def fmt(col: str) -> list[str]:
            return [fmt_value(v, u, lang, int(d)) for v, u, d in zip(rows[col], rows["unit"], rows["decimals"])]

        out.append((group, pd.DataFrame({
            t(P + "col_indicator", lang): rows[label].tolist(),
            kommun: fmt("kommun_value"),
            county: fmt("lan_value"),
            riket: fmt("riket_value"),
            t(P + "col_period", lang): [fmt_period(p, lang) for p in rows["period"]],
            t(P + "col_unit", lang): [t(f"unit_names.{u}", lang) for u in rows["unit"]],
        })))
    return out


def default_kommun(values: pd.DataFrame, kommuner: Sequence[str]) -> str | None:
    """The kommun (among ``kommuner``) with the largest value in ``values`` (a
    ``profil_county_kommuner`` result, e.g. for befolkning_20_64); the first of ``kommuner`` when
    no value is known; None when ``kommuner`` is empty."""
    known = values[values["region_code"].isin(list(kommuner)) & values["value"].notna()]
    if not known.empty:
        return str(known.sort_values(["value", "region_code"], ascending=[False, True])["region_code"].iloc[0])
    return str(kommuner[0]) if len(kommuner) else None


# --- Similar kommuner ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Similarity:
    """ranking: region_code, distance, then one column per indicator (the raw values), nearest
    first, the chosen kommun excluded, at most n rows. target: the chosen kommun's values by
    indicator. compared: kommuner with a value for every indicator (the chosen one included).
    constant: indicators with the same value everywhere, which cannot separate kommuner.
    weights: the weight of each indicator. shares: per ranked kommun (same order as ranking), each
    indicator's share of the squared distance (0-1, NaN where the distance is 0): what the distance
    is made of."""

    ranking: pd.DataFrame
    target: dict[str, float] = field(default_factory=dict)
    period: str | None = None
    compared: int = 0
    constant: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    shares: pd.DataFrame | None = None


def similar_kommuner(values: pd.DataFrame, target: str, indicators: Sequence[str], n: int = 5,
                     weights: Mapping[str, float] | None = None) -> Similarity:
    """Rank kommuner by weighted Euclidean distance to ``target`` on z-scored values.

    values: long rows region_code, indicator_id, period, value for one period (a
    ``profil_similarity`` result). Each indicator is standardised over the kommuner that have
    every indicator: z = (x - mean) / SD (population SD, ddof=0). The distance is
    sqrt(sum over indicators of w * (z_kommun - z_target)^2), w the indicator's weight in
    ``weights`` (default 1; 0 leaves it out of the distance). Ties are broken by region code.
    """
    indicators = list(dict.fromkeys(indicators))
    w = {i: float((weights or {}).get(i, 1.0)) for i in indicators}
    empty = pd.DataFrame(columns=["region_code", "distance", *indicators])
    if values.empty or not indicators:
        return Similarity(empty)
    wide = values.pivot_table(index="region_code", columns="indicator_id", values="value", aggfunc="first")
    wide = wide.reindex(columns=indicators).dropna()
    if target not in wide.index:
        return Similarity(empty)
    period = str(values["period"].iloc[0])
    spread = wide.std(ddof=0)
    constant = [i for i in indicators if not spread[i] > 0]
    used = [i for i in indicators if i not in constant]
    z = (wide[used] - wide[used].mean()) / spread[used]
    parts = ((z - z.loc[target]) ** 2).mul(pd.Series({i: w[i] for i in used}), axis=1)
    squared = parts.sum(axis=1)
    distance = squared.pow(0.5)
    wide.columns.name = None
    ranking = (wide.assign(distance=distance).drop(index=target).reset_index()
               .sort_values(["distance", "region_code"]).head(n).reset_index(drop=True))
    shares = parts.div(squared.where(squared > 0), axis=0).reindex(ranking["region_code"]).reset_index(drop=True)
    return Similarity(ranking[["region_code", "distance", *indicators]],
                      {i: float(wide.loc[target, i]) for i in indicators}, period, len(wide), constant, w, shares)



def similarity_table(sim: Similarity, table: pd.DataFrame, parents: Mapping[str, str], *,
                     names: Mapping[str, str], county: str, lang: str) -> pd.DataFrame:
    """The ranking of ``sim`` as shown: rank | kommun | county | distance | what the distance is made
    of (the indicators' shares of it, largest first; only with two or more counted indicators) | one
    column per indicator (named by its label), values formatted per unit and decimals. table:
    ``profil_table`` rows (labels, units, decimals); parents: kommun code -> county code; county:
    the county's name. The county column is left out when every kommun lies in that county (it
    would say nothing)."""
    meta = table.set_index("indicator_id")
    label = meta["label_en" if lang == "en" else "label_sv"]
    codes = sim.ranking["region_code"]
    county_col = t(P + "col_county", lang)
    show = pd.DataFrame({
        t(P + "col_rank", lang): range(1, len(codes) + 1),
        t(P + "col_kommun", lang): [names.get(c, c) for c in codes],
        county_col: [names.get(parents.get(c), "..") for c in codes],
        t(P + "col_distance", lang): [fmt_number(d, lang, 2) for d in sim.ranking["distance"]],
        t(P + "col_made_of", lang): _made_of(sim, label, lang),
        **{label[i]: [fmt_value(v, meta.loc[i, "unit"], lang, int(meta.loc[i, "decimals"])) for v in sim.ranking[i]]
           for i in sim.ranking.columns[2:]},
    })
    if sim.shares is None or sim.shares.shape[1] < 2:
        show = show.drop(columns=t(P + "col_made_of", lang))
    return show.drop(columns=county_col) if set(show[county_col]) == {county} else show


def _made_of(sim: Similarity, label: Mapping[str, str], lang: str) -> list[str]:
    """Per ranked kommun: 'Arbetslöshet 62 %, Sysselsättningsgrad 38 %' (shares of the squared
    distance, largest first, those under 0.5 % left out); '..' where the distance is 0."""
    if sim.shares is None:
        return [".."] * len(sim.ranking)
    out = []
    for _, row in sim.shares.iterrows():
        ranked = sorted(((v, i) for i, v in row.items() if pd.notna(v) and v >= 0.005), reverse=True)
        out.append(", ".join(f"{label[i]} {fmt_number(100 * v, lang, 0)} %" for v, i in ranked) or "..")
    return out


def similarity_captions(sim: Similarity, table: pd.DataFrame, *, kommun: str, lang: str) -> tuple[str, str]:
    """(reference, method): the chosen kommun's own values, and how likeness was measured (over how
    many kommuner, which period, which indicators could not count because they are the same everywhere)."""
    meta = table.set_index("indicator_id")
    label = meta["label_en" if lang == "en" else "label_sv"]
    values = "; ".join(f"{label[i]}: {fmt_value(v, meta.loc[i, 'unit'], lang, int(meta.loc[i, 'decimals']))}"
                       for i, v in sim.target.items())
    period = fmt_period(sim.period, lang)
    reference = t(P + "similar_reference", lang, kommun=kommun, period=period, values=values)
    method = t(P + "similar_method", lang, n=sim.compared, period=period)
    weights = {i: sim.weights.get(i, 1.0) for i in sim.target}
    if len(set(weights.values())) <= 1:
        method += " " + t(P + "similar_weights_equal", lang)
    else:
        method += " " + t(P + "similar_weights", lang, weights="; ".join(
            f"{label[i]} {fmt_number(w, lang, 0)}" for i, w in weights.items()))
    if sim.constant:
        method += " " + t(P + "similar_constant", lang, labels=", ".join(label[i] for i in sim.constant))
    return reference, method


def source_ids(table: pd.DataFrame) -> list[str]:
    """The distinct ids in the comma-separated ``source_ids`` column of ``profil_table`` rows, sorted."""
    return sorted({s for ids in table["source_ids"].dropna() for s in str(ids).split(",")})

# --- Key findings -------------------------------------------------------------------------------

def _at(series: pd.DataFrame, code: str, period: str | None) -> float | None:
    rows = series[(series["region_code"] == code) & (series["period"] == period) & series["value"].notna()]
    return None if rows.empty else float(rows["value"].iloc[0])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def level_sentence(series: pd.DataFrame, indicator: str, *, kommun: str, lan: str,
                   names: Mapping[str, str], lang: str, decimals: int = 1) -> str | None:
    """'Arbetslösheten i Ludvika var 5,2 % i april 2026, 1,1 procentenheter högre än i Dalarnas
    län (4,1 %) och ...': the kommun's latest value and its gap to the county and Riket in the
    same period (a comparison is left out where that value is missing). None without data."""
    latest = periods.latest(series, kommun)
    if latest is None:
        return None
    period, value = latest
    parts = []
    for code, region in ((lan, names.get(lan, lan)), (RIKET, t(P + "riket", lang))):
        other = _at(series, code, period)
        if other is None:
            continue
        gap = value - other  # unrounded, like the 12-month change (atlas.periods)
        key = "cmp_same" if abs(gap) < 0.5 * 10 ** -decimals else ("cmp_higher" if gap > 0 else "cmp_lower")
        parts.append(t(P + key, lang, gap=fmt_number(abs(gap), lang, decimals), region=region,
                       value=fmt_value(other, "procent", lang, decimals)))
    kw = dict(noun=t(f"{P}nouns.{indicator}", lang), kommun=names.get(kommun, kommun),
              value=fmt_value(value, "procent", lang, decimals), period=fmt_period(period, lang))
    if parts:
        return _cap(t(P + "level_cmp", lang, comparisons=t(P + "cmp_and", lang).join(parts), **kw))
    return _cap(t(P + "level", lang, **kw))


def rank_sentence(county_values: pd.DataFrame, indicator: str, *, kommun: str, lan: str,
                  names: Mapping[str, str], lang: str, decimals: int = 1) -> str | None:
    """'Ludvika hade den 3:e högsta arbetslösheten av de 15 kommunerna i Dalarnas län i april 2026.'

    county_values: a ``profil_county_kommuner`` result (one period). Ranked on values rounded to
    ``decimals`` as published; counted from the nearer end (lowest or highest), ties noted.
    None when the kommun has no value or fewer than two kommuner do."""
    rows = county_values[county_values["value"].notna()]
    mine = rows[rows["region_code"] == kommun]
    if mine.empty or len(rows) < 2:
        return None
    period = str(mine["period"].iloc[0])
    vals = [_rounded(v, decimals) for v in rows["value"]]
    x = _rounded(float(mine["value"].iloc[0]), decimals)
    lower, higher = sum(v < x for v in vals), sum(v > x for v in vals)
    ties = sum(v == x for v in vals) - 1
    end, pos = ("low", lower + 1) if lower <= higher else ("high", higher + 1)
    rank = t(f"{P}rank_first_{end}", lang) if pos == 1 else t(f"{P}rank_{end}", lang, ordinal=ordinal(pos, lang))
    tie = "" if ties == 0 else (t(P + "tie_one", lang) if ties == 1 else t(P + "tie_many", lang, n=ties))
    return _cap(t(P + "rank", lang, kommun=names.get(kommun, kommun), rank=rank,
                  noun=t(f"{P}ranked.{indicator}", lang), n=len(rows), county=names.get(lan, lan),
                  period=fmt_period(period, lang), tie=tie))


def change_sentence(series: pd.DataFrame, indicator: str, *, kommun: str, names: Mapping[str, str],
                    lang: str, decimals: int = 1) -> str | None:
    """'Jämfört med april 2025 har arbetslösheten i Ludvika minskat med 0,5 procentenheter, från
    5,7 % till 5,2 %.': latest value against the same month (or year) a year earlier. None when
    either value is missing."""
    yoy = year_on_year(series, kommun)
    if yoy is None:
        return None
    previous, old, new, gap = yoy.previous_period, yoy.previous_value, yoy.value, yoy.diff
    # "unchanged" when the change rounds to zero at the decimals shown (it is computed unrounded)
    key = "change_same" if abs(gap) < 0.5 * 10 ** -decimals else ("change_up" if gap > 0 else "change_down")
    return _cap(t(P + key, lang, previous=fmt_period(previous, lang), noun=t(f"{P}nouns.{indicator}", lang),
                  kommun=names.get(kommun, kommun), gap=fmt_number(abs(gap), lang, decimals),
                  old=fmt_value(old, "procent", lang, decimals), new=fmt_value(new, "procent", lang, decimals)))


def extremes_sentence(series: pd.DataFrame, indicator: str, *, kommun: str, names: Mapping[str, str],
                      lang: str, decimals: int = 1) -> str | None:
    """'Sedan januari 2020 var arbetslösheten i Ludvika som högst 8,9 % (juli 2020) och som lägst
    4,7 % (juli 2025).' When several periods share the extreme, the most recent is named
    ('senast juli 2025'). None with fewer than two values."""
    rows = series[(series["region_code"] == kommun) & series["value"].notna()].sort_values("period")
    if len(rows) < 2:
        return None
    shown = rows["value"].map(lambda v: _rounded(v, decimals))

    def pick(target: float) -> str:
        hits = rows.loc[shown == target, "period"].tolist()
        text = fmt_period(hits[-1], lang)
        return t(P + "most_recently", lang) + text if len(hits) > 1 else text

    high, low = shown.max(), shown.min()
    return _cap(t(P + "extremes", lang, first=fmt_period(rows["period"].iloc[0], lang),
                  noun=t(f"{P}nouns.{indicator}", lang), kommun=names.get(kommun, kommun),
                  high=fmt_value(high, "procent", lang, decimals), high_period=pick(high),
                  low=fmt_value(low, "procent", lang, decimals), low_period=pick(low)))


def key_findings(*, unemployment: pd.DataFrame, employment: pd.DataFrame, county_unemployment: pd.DataFrame,
                 kommun: str, lan: str, names: Mapping[str, str], lang: str, decimals: int = 1) -> list[str]:
    """Up to six sentences in ``lang``: unemployment against the county and Riket, its rank among
    the county's kommuner, its 12-month change and its highest/lowest since the series starts;
    the employment rate against the county and Riket and its 12-month change.

    unemployment/employment: ``series`` results for [kommun, lan, '00'] (arbetsloshet and
    sysselsattningsgrad); county_unemployment: ``profil_county_kommuner`` for arbetsloshet.
    Sentences whose data are missing are left out; an empty list means no data at all.
    """
    kw = dict(kommun=kommun, names=names, lang=lang, decimals=decimals)
    found = [
        level_sentence(unemployment, "arbetsloshet", lan=lan, **kw),
        rank_sentence(county_unemployment, "arbetsloshet", lan=lan, **kw),
        change_sentence(unemployment, "arbetsloshet", **kw),
        extremes_sentence(unemployment, "arbetsloshet", **kw),
        level_sentence(employment, "sysselsattningsgrad", lan=lan, **kw),
        change_sentence(employment, "sysselsattningsgrad", **kw),
    ]
    return [s for s in found if s]

