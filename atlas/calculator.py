"""The value calculator behind "Vinsten av samarbete": a small, pure model of what it is worth when
people move from exclusion into work training or employment through an ASF (arbetsintegrerande
socialt företag).

It follows the method section (§2) of the shared compilation socioeconomics.md:

- Two different numbers, never added: the SOCIETAL gain (a real effect: the value of what people in
  work produce, measured as the employer's labour cost, Ekonomifakta's convention) and the
  PUBLIC-BUDGET gain per actor (financial effects: benefits no longer paid and taxes paid). For
  society a benefit that stops is no gain (the payer saves, the recipient loses); for the payer it
  is. The labour cost already contains the taxes, so adding the two would count them twice.
- Counterfactual: without the ASF everyone would have stayed outside work; a success rate says
  what share leaves exclusion. Nothing is deducted for people who would have found work anyway.
- Amounts are nominal kronor of each source's own year; nothing is inflated (no source gives an
  index) and nothing is discounted (no source gives a rate). Lifetime figures are never used.

Timing (months): entrants start at the beginning of a year. During ``months_in_asf`` the share with
an ASF employment produces value (like Upphandlingsmyndigheten's model, which counts the subsidised
job period); people in work training produce no counted value. Afterwards the successful share is
in work for the rest of the horizon and yields the societal value and the budget gains per actor.
With intake "once" one year's intake is followed; with "yearly" the same number starts every year.

Every default comes from data/curated/calculator_parameters.yml (quote, source, population, year).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import yaml

from atlas import CURATED_DIR
from atlas.i18n import MISSING, fmt_number, t

PARAMETERS_PATH = CURATED_DIR / "calculator_parameters.yml"
ACTORS = ("kommun", "fk_af", "tax", "region")  # public-budget receivers, in display order
ACTOR_FIELD = {"kommun": "kommun_kr_year", "fk_af": "fk_af_kr_year", "tax": "tax_kr_year",
               "region": "region_kr_year"}
HORIZONS = (1, 3, 5, 10)  # the horizons the reports use (row 4: 1, 3, 10 years; Payoff: 5 years)
INTAKES = ("en", "varje")  # one year's intake followed over time / the same intake every year
# Model structure, not a sourced number: follow one year's intake unless the user asks otherwise.
DEFAULT_INTAKE = "en"
KINDS = ("observed", "official_model", "case_study", "example", "assumption", "derived")


@dataclass(frozen=True)
class Field:
    """One calculator input: its URL name and allowed range. ``choices`` for discrete inputs;
    ``optional`` inputs may be empty (None = no value, shown as '..', never as zero)."""

    name: str
    url: str
    lo: int = 0
    hi: int = 0
    choices: tuple = ()
    optional: bool = False


FIELDS = (
    Field("persons_per_year", "personer", 0, 10_000),
    Field("share_employed_pct", "anstallda", 0, 100),
    Field("months_in_asf", "manader", 0, 60),
    Field("success_pct", "lyckas", 0, 100),
    Field("horizon_years", "ar", choices=HORIZONS),
    Field("intake", "intag", choices=INTAKES),
    Field("labour_cost_month", "lonekostnad", 0, 200_000),
    Field("kommun_kr_year", "kommun", 0, 2_000_000, optional=True),
    Field("fk_af_kr_year", "fkaf", 0, 2_000_000, optional=True),
    Field("tax_kr_year", "skatt", 0, 2_000_000, optional=True),
    Field("region_kr_year", "region", 0, 2_000_000, optional=True),
)
FIELD = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Inputs:
    """What the calculator needs. persons_per_year: people starting per year (0-10 000);
    share_employed_pct: % of them with an ASF employment, the rest in work training (0-100);
    months_in_asf: time in the ASF (0-60); success_pct: % who afterwards reach work or
    self-support (0-100); horizon_years: 1, 3, 5 or 10; intake: 'en' (one year's intake) or
    'varje' (the same intake every year); labour_cost_month: society's gain per person in work,
    kr per month; *_kr_year: public-budget gain per person and year in work, per actor (kommun,
    Försäkringskassan + Arbetsförmedlingen, tax paid, region), None when no value is known."""

    persons_per_year: int
    share_employed_pct: int
    months_in_asf: int
    success_pct: int
    horizon_years: int
    intake: str
    labour_cost_month: int
    kommun_kr_year: int | None
    fk_af_kr_year: int | None
    tax_kr_year: int | None
    region_kr_year: int | None = None  # no source gives the region's (healthcare) part


@dataclass(frozen=True)
class Result:
    """The calculator's output, one entry per year 1..horizon. Societal and public-budget gains are
    separate fields on purpose: there is no field that adds them.

    asf_employed_person_years / work_person_years: person-years employed in the ASF / in work after
    it; societal_by_year, societal_cumulative, societal_total: kr; labour_cost_year: the monthly
    value × 12 (derived); budget_by_year / budget_total: per actor in ACTORS, None where the actor's
    value is unknown; public_budget_total: the sum over actors with a value (missing_actors lists
    the others, so the sum is a lower bound when it is not empty)."""

    years: tuple[int, ...]
    asf_employed_person_years: tuple[float, ...]
    work_person_years: tuple[float, ...]
    labour_cost_year: float
    societal_by_year: tuple[float, ...]
    societal_cumulative: tuple[float, ...]
    societal_total: float
    budget_by_year: dict[str, tuple[float, ...] | None]
    budget_total: dict[str, float | None]
    public_budget_total: float
    missing_actors: tuple[str, ...]


def _overlap(start: float, end: float, lo: float, hi: float) -> float:
    """Months of [start, end) that fall in [lo, hi)."""
    return max(0.0, min(end, hi) - max(start, lo))


def compute(x: Inputs) -> Result:
    """The yearly and cumulative gains for ``x`` (undiscounted nominal kronor)."""
    horizon = int(x.horizon_years)
    end = 12.0 * horizon
    starts = [0.0] if x.intake == "en" else [12.0 * c for c in range(horizon)]
    employed = x.persons_per_year * x.share_employed_pct / 100
    successful = x.persons_per_year * x.success_pct / 100
    asf_months = [0.0] * horizon
    work_months = [0.0] * horizon
    for start in starts:
        asf_end = min(start + x.months_in_asf, end)
        for j in range(horizon):
            lo, hi = 12.0 * j, 12.0 * (j + 1)
            asf_months[j] += employed * _overlap(start, asf_end, lo, hi)
            work_months[j] += successful * _overlap(asf_end, end, lo, hi)

    societal = tuple((a + w) * x.labour_cost_month for a, w in zip(asf_months, work_months))
    cumulative = tuple(sum(societal[: j + 1]) for j in range(horizon))
    budget_by_year: dict[str, tuple[float, ...] | None] = {}
    budget_total: dict[str, float | None] = {}
    for actor in ACTORS:
        per_year = getattr(x, ACTOR_FIELD[actor])
        if per_year is None:
            budget_by_year[actor] = budget_total[actor] = None
            continue
        budget_by_year[actor] = tuple(w * per_year / 12 for w in work_months)
        budget_total[actor] = sum(budget_by_year[actor])
    known = [v for v in budget_total.values() if v is not None]
    return Result(
        years=tuple(range(1, horizon + 1)),
        asf_employed_person_years=tuple(a / 12 for a in asf_months),
        work_person_years=tuple(w / 12 for w in work_months),
        labour_cost_year=12.0 * x.labour_cost_month,
        societal_by_year=societal,
        societal_cumulative=cumulative,
        societal_total=cumulative[-1] if cumulative else 0.0,
        budget_by_year=budget_by_year,
        budget_total=budget_total,
        public_budget_total=sum(known),
        missing_actors=tuple(a for a in ACTORS if budget_total[a] is None),
    )


# --- Parameters and their sources ----------------------------------------------------------------

@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[dict, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(data.get("parameters") or [])


def parameters(path: Path = PARAMETERS_PATH) -> list[dict]:
    """Every entry of calculator_parameters.yml (defaults, alternatives and references)."""
    return [dict(p) for p in _load(Path(path))]


def default_entries(path: Path = PARAMETERS_PATH) -> dict[str, dict]:
    """Input name -> its sourced default entry (role 'default')."""
    return {p["id"]: p for p in parameters(path) if p.get("role") == "default"}


def alternatives_for(name: str, path: Path = PARAMETERS_PATH) -> list[dict]:
    """Other sourced values offered beside the input ``name`` (role 'alternative')."""
    return [p for p in parameters(path) if p.get("role") == "alternative" and p.get("for") == name]


def references(path: Path = PARAMETERS_PATH) -> list[dict]:
    """Figures shown for comparison only (role 'reference')."""
    return [p for p in parameters(path) if p.get("role") == "reference"]


def defaults(path: Path = PARAMETERS_PATH) -> Inputs:
    """The calculator's starting inputs: every number from its sourced entry. The intake mode is
    a model choice (DEFAULT_INTAKE) and the region has no source, so it starts empty."""
    entries = default_entries(path)
    values = {name: int(entries[name]["value"]) for name in FIELD if name in entries}
    return Inputs(intake=DEFAULT_INTAKE, region_kr_year=None, **values)


# --- URL parameters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """A URL value that could not be used as given: ``raw`` (shortened), the value used instead,
    and ``reason``: 'invalid' (not a number or not an allowed choice: the default is used),
    'clamped' (outside the allowed range: the nearest limit is used) or 'rounded' (not whole)."""

    raw: str
    used: object
    reason: str


_MAX_RAW = 40


def _number(raw: str) -> float | None:
    """A finite number from URL text ('12', '12.5', '12,5', '1 000'), else None."""
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text or len(text) > 20:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_query(query: Mapping[str, object], base: Inputs) -> tuple[Inputs, dict[str, Problem]]:
    """Inputs from URL parameters (by each Field's ``url`` name); anything absent keeps ``base``.

    Never raises: text, SQL fragments or very long values give the default; numbers outside the
    range are clamped to it; fractions are rounded. An empty value clears an optional input (None).
    Returns the inputs and, per URL name, the problems found (for one notice)."""
    values: dict[str, object] = {}
    problems: dict[str, Problem] = {}
    for f in FIELDS:
        raw = query.get(f.url)
        if isinstance(raw, (list, tuple)):  # repeated keys: the last one counts, as in st.query_params
            raw = raw[-1] if raw else None
        if raw is None:
            continue
        raw = str(raw)
        shown = raw[:_MAX_RAW]
        default = getattr(base, f.name)
        if f.choices:
            match = [c for c in f.choices if str(c) == raw.strip()]
            if match:
                values[f.name] = match[0]
            else:
                problems[f.url] = Problem(shown, default, "invalid")
            continue
        if raw.strip() == "" and f.optional:
            values[f.name] = None
            continue
        number = _number(raw)
        if number is None:
            problems[f.url] = Problem(shown, default, "invalid")
            continue
        clamped = min(max(number, f.lo), f.hi)
        whole = int(math.floor(clamped + 0.5))
        values[f.name] = whole
        if clamped != number:
            problems[f.url] = Problem(shown, whole, "clamped")
        elif whole != number:
            problems[f.url] = Problem(shown, whole, "rounded")
    return replace(base, **values), problems


def to_query(x: Inputs) -> dict[str, str]:
    """The URL parameters that reproduce ``x`` (None -> empty value)."""
    return {f.url: "" if getattr(x, f.name) is None else str(getattr(x, f.name)) for f in FIELDS}


def changed(x: Inputs, base: Inputs) -> list[str]:
    """Names of the inputs whose value differs from ``base``."""
    return [f.name for f in fields(Inputs) if getattr(x, f.name) != getattr(base, f.name)]


# --- Text ----------------------------------------------------------------------------------------

def years_text(n: int, lang: str, *, definite: bool = False) -> str:
    """'1 år' / '3 år' ('1 year' / '3 years'); definite: 'året' / 'de 3 åren' ('the 3 years')."""
    key = ("years_def_" if definite else "years_") + ("one" if n == 1 else "many")
    return t(f"vinst.{key}", lang, n=n)


def md_literal(text: str) -> str:
    """``text`` with markdown and HTML characters escaped, so st.markdown shows it as typed."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|~$:" else c for c in str(text))


def fmt_money(value: float | None, lang: str) -> str:
    """'1,4 Mkr' / 'SEK 1.4 m' from 1 million up (one decimal), else whole kronor ('47 778 kr');
    None or not a number -> '..'."""
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return MISSING
    if abs(value) >= 1_000_000:
        return t("vinst.fmt_mkr", lang, x=fmt_number(value / 1_000_000, lang, 1))
    return t("vinst.fmt_kr", lang, x=fmt_number(value, lang, 0))


def kind_labels(entry: dict, lang: str) -> list[str]:
    """The entry's kinds in plain words ('fallstudie', 'härlett', ...)."""
    return [t(f"vinst.kinds.{k}", lang) for k in entry.get("kind") or []]


def sources_used(x: Inputs, base: Inputs, names: list[str], lang: str,
                 path: Path = PARAMETERS_PATH) -> list[str]:
    """Source titles behind the inputs ``names`` as currently set; a changed input counts as
    'own values' instead of its source."""
    entries = default_entries(path)
    out: list[str] = []
    for name in names:
        if getattr(x, name) is None:
            continue
        if name in entries and getattr(x, name) == getattr(base, name):
            out.append(entries[name]["source_title"])
        else:
            out.append(t("vinst.own_values", lang))
    return list(dict.fromkeys(out))


def assumptions(x: Inputs, base: Inputs, lang: str, path: Path = PARAMETERS_PATH) -> list[str]:
    """Plain sentences saying what the result assumes, written from the current inputs (each
    changed value is named with its sourced default)."""
    def n(v, d=0):
        return fmt_number(v, lang, d)

    out = [
        t(f"vinst.assume.intake_{x.intake}", lang, n=n(x.persons_per_year),
          period_def=years_text(x.horizon_years, lang, definite=True)),
        t("vinst.assume.asf_time", lang, employed=n(x.share_employed_pct),
          training=n(100 - x.share_employed_pct), months=n(x.months_in_asf)),
        t("vinst.assume.production", lang, value=fmt_money(x.labour_cost_month, lang),
          year=fmt_money(12 * x.labour_cost_month, lang)),
        t("vinst.assume.success", lang, pct=n(x.success_pct),
          period_def=years_text(x.horizon_years, lang, definite=True)),
        t("vinst.assume.counterfactual", lang),
    ]
    actors = [t("vinst.assume.actor_value", lang, actor=t(f"vinst.actors.{a}", lang),
                value=fmt_money(getattr(x, ACTOR_FIELD[a]), lang))
              if getattr(x, ACTOR_FIELD[a]) is not None
              else t("vinst.assume.actor_missing", lang, actor=t(f"vinst.actors.{a}", lang))
              for a in ACTORS]
    out.append(t("vinst.assume.budget", lang, actors="; ".join(actors)))
    out += [t("vinst.assume.prices", lang), t("vinst.assume.no_discount", lang),
            t("vinst.assume.not_counted", lang)]
    entries = default_entries(path)
    for name in changed(x, base):
        if name == "intake":  # a model choice, already stated in the first sentence
            continue
        label = t(f"vinst.inputs.{name}", lang)
        old = getattr(base, name)
        if name in entries:
            out.append(t("vinst.assume.changed", lang, label=label, old=plain_value(name, old, lang),
                         new=plain_value(name, getattr(x, name), lang)))
        else:
            out.append(t("vinst.assume.own", lang, label=label, new=plain_value(name, getattr(x, name), lang)))
    return out


def plain_value(name: str, value: object, lang: str) -> str:
    """An input value with its unit, for sentences; None -> 'uppgift saknas'."""
    if value is None:
        return t("common.missing", lang)
    if name == "intake":
        return f"”{t(f'vinst.intake.{value}', lang)}”"
    unit = {"share_employed_pct": "pct", "success_pct": "pct", "months_in_asf": "months",
            "horizon_years": "years", "persons_per_year": "persons_year"}.get(name)
    if unit:
        return f"{fmt_number(value, lang)} {t('vinst.units.' + unit, lang)}"
    return fmt_money(value, lang)


def dalarna_context(totals) -> dict | None:
    """From the ``asf_county_totals`` query: the newest dated statement that gives both employees
    and people in work training, as a dict (employees, work_training, n_asf, approx, publisher,
    year, source_url); None when no statement has both. Context only, never a default."""
    if totals is None or len(totals) == 0:
        return None
    rows = totals.dropna(subset=["employees", "work_training", "year"])
    if rows.empty:
        return None
    row = rows.sort_values("year", ascending=False).iloc[0]
    return {
        "employees": int(row["employees"]), "work_training": int(row["work_training"]),
        "n_asf": None if row["n_asf"] is None or row["n_asf"] != row["n_asf"] else int(row["n_asf"]),
        "approx": str(row["approx"]).strip().lower() == "true",
        "publisher": str(row["publisher"]), "year": int(row["year"]), "source_url": str(row["source_url"]),
    }
