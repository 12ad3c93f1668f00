"""The value calculator behind "Vinsten av samarbete": a small, pure model, built the way social-value
accounts are built (SROI practice; the Swedish socio-economic accounts in shared/data/socioeconomics.md;
the adjustments and their sources in shared/data/valuation-method.md).

Two results, never added: the SOCIETAL gain (a real effect: what people in work produce, valued at
the employer's labour cost) and the BUDGET effect per actor (financial effects: benefits no longer
paid and tax paid). For society a benefit that stops is no gain (the payer saves what the recipient
loses); for the payer it is. The labour cost already contains the taxes.

The steps, each visible on the page, for the societal track and for every actor's track:
1. gross outcome: person-years in ASF employment and in work afterwards × the value per person-year
   (in the price base year's kronor, KPI-converted where the price year is known);
2. deadweight: the share of the work after the ASF that would have happened anyway (none during the
   ASF employment, which exists because of the ASF, as in Upphandlingsmyndigheten's model);
3. attribution: the share other actors account for; 4. displacement: the share that displaces other
   people's work; 5. drop-off: the work after the ASF fades by a share per year;
6. discounting to present value (year 1 undiscounted, year t by (1 + r)^(t-1)).

Budget effects by target group: the participants' mix (social assistance only, ill-health benefits,
unemployment benefits) decides which actor saves what; each group stops only its own benefit. The
employed in the ASF count from the start of their employment (the published savings were measured
while people were employed in the ASFs); people in work training keep their benefits.

Every default is in data/curated/calculator_parameters.yml with its source and quote; inputs no
source gives a number for start from a value the page labels as the user's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import yaml

from atlas import CURATED_DIR

PARAMETERS_PATH = CURATED_DIR / "calculator_parameters.yml"
HORIZONS = (1, 3, 5, 10)
INTAKES = ("en", "varje")  # one year's intake followed over time / the same intake every year
GROUPS = ("bistand", "ohalsa", "arbetsloshet")
# Budget tracks in display order: the public actors, the tax (the source does not split it between
# kommun, region and state) and the person, who is no public budget and never in the public sum.
ACTORS = ("kommun", "fk", "af", "region", "stat", "skatt", "person")
PUBLIC = ("kommun", "fk", "af", "region", "stat", "skatt")
GROUP_ACTOR = {"bistand": "kommun", "ohalsa": "fk", "arbetsloshet": "af"}  # who pays the group's benefit
STEPS = ("gross", "deadweight", "attribution", "displacement", "dropoff", "present")
ADJUSTMENTS = ("success_pct", "deadweight_pct", "attribution_pct", "displacement_pct", "dropoff_pct", "discount_pct")
AMOUNTS = ("labour_cost_month", "bistand_household_year", "fk_ohalsa_year", "af_arbetsloshet_year", "tax_year",
           "region_year", "stat_year", "person_year")


@dataclass(frozen=True)
class Field:
    """One calculator input: its URL name and allowed range (``decimals`` > 0 for a decimal input);
    ``choices`` for discrete inputs; ``optional`` inputs may be empty (None = no value, shown as
    '..', never as zero)."""

    name: str
    url: str
    lo: float = 0
    hi: float = 0
    choices: tuple = ()
    optional: bool = False
    decimals: int = 0


@dataclass(frozen=True)
class Inputs:
    """What the calculator needs (ranges in FIELDS). Percentages are whole per cent except
    discount_pct (one decimal); amounts are kronor per person and year in work (bistand_household_year
    per assisted household and year; labour_cost_month per month), None when no value is known."""

    persons_per_year: int
    share_employed_pct: int
    months_in_asf: int
    success_pct: int
    horizon_years: int
    intake: str
    mix_bistand_pct: int
    mix_ohalsa_pct: int
    mix_arbetsloshet_pct: int
    labour_cost_month: int
    bistand_household_year: int | None
    households_per_person: float
    fk_ohalsa_year: int | None
    af_arbetsloshet_year: int | None
    tax_year: int | None
    region_year: int | None
    stat_year: int | None
    person_year: int | None
    deadweight_pct: int
    attribution_pct: int
    displacement_pct: int
    dropoff_pct: int
    discount_pct: float
    price_base_year: int


@dataclass(frozen=True)
class Track:
    """One track (the societal gain or one actor's budget effect) through the steps: per year and
    step (STEPS) in kronor of the price base year; None for an actor without a value."""

    by_step: dict[str, tuple[float, ...]]

    def total(self, step: str) -> float:
        """The sum over the years of one step."""
        return float(sum(self.by_step[step]))


@dataclass(frozen=True)
class Result:
    """The calculator's output. ``societal`` and ``budget`` (actor -> Track, or None when the actor's
    value is unknown) are separate on purpose: no field adds them.

    years: 1..horizon; asf_person_years / work_person_years: person-years employed in the ASF and in
    work after it (before drop-off); work_person_years_kept: after drop-off; value_per_year: the
    value per person-year of each track in base-year kronor (None when unknown); public_present: the
    present value summed over the PUBLIC actors with a value (missing_actors lists the others, so the
    sum is a lower bound when it is not empty)."""

    years: tuple[int, ...]
    asf_person_years: tuple[float, ...]
    work_person_years: tuple[float, ...]
    work_person_years_kept: tuple[float, ...]
    value_per_year: dict[str, float | None]
    societal: Track
    budget: dict[str, Track | None]
    public_present: float
    missing_actors: tuple[str, ...]


# --- Parameters and their sources ---------------------------------------------------------------

@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def parameters(path: Path = PARAMETERS_PATH) -> list[dict]:
    """Every entry of calculator_parameters.yml (defaults, unsourced, low/high, references, ...)."""
    return [dict(p) for p in _load(Path(path)).get("parameters") or []]


def kpi(path: Path = PARAMETERS_PATH) -> dict[int, float]:
    """SCB's CPI (1980=100) annual averages by year."""
    return {int(y): float(v) for y, v in _load(Path(path))["kpi"]["values"].items()}


def kpi_entry(path: Path = PARAMETERS_PATH) -> dict:
    """The CPI block (title, source_url, quote, note) without the values."""
    return {k: v for k, v in _load(Path(path))["kpi"].items() if k != "values"}


def entries(role: str, path: Path = PARAMETERS_PATH) -> dict[str, dict]:
    """Input name -> its entry with role ``role`` ('default', 'unsourced'); for 'low', 'high',
    'published' keyed by the entry's ``for`` (or id)."""
    return {p.get("for", p["id"]): p for p in parameters(path) if p.get("role") == role}


def starting_entry(name: str, path: Path = PARAMETERS_PATH) -> dict | None:
    """The entry an input starts from (sourced default or unsourced), None for model choices."""
    return entries("default", path).get(name) or entries("unsourced", path).get(name)


def defaults(path: Path = PARAMETERS_PATH) -> Inputs:
    """The starting inputs: each from its entry; the intake mode is a model choice ('en')."""
    values: dict[str, object] = {"intake": "en"}
    for f in FIELDS:
        e = starting_entry(f.name, path)
        if e is None:
            continue
        v = e["value"]
        values[f.name] = None if v is None else (float(v) if f.decimals else int(v))
    return Inputs(**values)


def price_year(name: str, value: object, path: Path = PARAMETERS_PATH) -> int | None | str:
    """The price year of an amount input as set: the source's (an int, or None when the source states
    none) while the value is the sourced default; 'base' for the user's own value (read in the price
    base year's kronor)."""
    e = entries("default", path).get(name)
    if e is not None and value == e["value"]:
        return e.get("price_year")
    return "base"


def convert(amount: float, year: int | None | str, base: int, path: Path = PARAMETERS_PATH) -> tuple[float, float | None]:
    """(amount in base-year kronor, the factor used) with KPI(base)/KPI(year); the factor is None when
    the amount cannot be converted (no price year, or a year the KPI table lacks) and the amount is
    returned as it is; 1.0 for the user's own value (year 'base') or the base year itself."""
    if year == "base" or year == base:
        return float(amount), 1.0
    index = kpi(path)
    if year is None or year not in index or base not in index:
        return float(amount), None
    factor = index[base] / index[year]
    return float(amount) * factor, factor


def _kpi_years() -> tuple[int, ...]:
    return tuple(sorted(kpi()))


FIELDS = (
    Field("persons_per_year", "personer", 0, 10_000),
    Field("share_employed_pct", "anstallda", 0, 100),
    Field("months_in_asf", "manader", 0, 60),
    Field("success_pct", "lyckas", 0, 100),
    Field("horizon_years", "ar", choices=HORIZONS),
    Field("intake", "intag", choices=INTAKES),
    Field("mix_bistand_pct", "fs", 0, 100),
    Field("mix_ohalsa_pct", "oh", 0, 100),
    Field("mix_arbetsloshet_pct", "au", 0, 100),
    Field("labour_cost_month", "lonekostnad", 0, 200_000),
    Field("bistand_household_year", "bistand", 0, 2_000_000, optional=True),
    Field("households_per_person", "hushall", 0.1, 5.0, decimals=1),
    Field("fk_ohalsa_year", "fk", 0, 2_000_000, optional=True),
    Field("af_arbetsloshet_year", "af", 0, 2_000_000, optional=True),
    Field("tax_year", "skatt", 0, 2_000_000, optional=True),
    Field("region_year", "region", 0, 2_000_000, optional=True),
    Field("stat_year", "stat", 0, 2_000_000, optional=True),
    Field("person_year", "person", 0, 2_000_000, optional=True),
    Field("deadweight_pct", "dodvikt", 0, 100),
    Field("attribution_pct", "tillskrivning", 0, 100),
    Field("displacement_pct", "undantrangning", 0, 100),
    Field("dropoff_pct", "avtrappning", 0, 100),
    Field("discount_pct", "ranta", 0, 15, decimals=1),
    Field("price_base_year", "prisar", choices=_kpi_years()),
)
FIELD = {f.name: f for f in FIELDS}


# --- The model -------------------------------------------------------------------------------------

def group_shares(x: Inputs) -> dict[str, float]:
    """The target-group shares as fractions summing to 1 (the inputs scaled when they do not sum to
    100 %); all zero when every share is 0."""
    raw = {"bistand": x.mix_bistand_pct, "ohalsa": x.mix_ohalsa_pct, "arbetsloshet": x.mix_arbetsloshet_pct}
    total = sum(raw.values())
    return {g: (v / total if total else 0.0) for g, v in raw.items()}


def amounts(x: Inputs, path: Path = PARAMETERS_PATH) -> dict[str, dict]:
    """Every amount input in base-year kronor: name -> {value (as entered), price_year, factor (None =
    not convertible), base (the converted value), None when the input is empty}."""
    out = {}
    for name in AMOUNTS:
        v = getattr(x, name)
        if v is None:
            out[name] = None
            continue
        year = price_year(name, v, path)
        base, factor = convert(v, year, x.price_base_year, path)
        out[name] = {"value": v, "price_year": year, "factor": factor, "base": base}
    return out


def values_per_year(x: Inputs, path: Path = PARAMETERS_PATH) -> dict[str, float | None]:
    """The value per person-year in work of the societal track ('societal') and of each actor (ACTORS),
    in base-year kronor. A group's benefit counts only with that group's share: social assistance
    (per household × households per person) for the kommun, ill-health benefits for
    Försäkringskassan, unemployment benefits for Arbetsförmedlingen. None when an amount with a
    non-zero share is missing."""
    a = amounts(x, path)
    share = group_shares(x)

    def base(name: str) -> float | None:
        return None if a[name] is None else a[name]["base"]

    def weighted(group: str, value: float | None) -> float | None:
        if share[group] == 0:
            return 0.0
        return None if value is None else share[group] * value

    bistand = base("bistand_household_year")
    out: dict[str, float | None] = {
        "societal": 12 * a["labour_cost_month"]["base"],
        "kommun": weighted("bistand", None if bistand is None else bistand * x.households_per_person),
        "fk": weighted("ohalsa", base("fk_ohalsa_year")),
        "af": weighted("arbetsloshet", base("af_arbetsloshet_year")),
    }
    for actor, name in (("region", "region_year"), ("stat", "stat_year"), ("skatt", "tax_year"),
                        ("person", "person_year")):
        out[actor] = base(name)
    return out


def person_years(x: Inputs) -> tuple[list[float], list[float], list[float]]:
    """Per year 1..horizon: person-years employed in the ASF, in work after it (before drop-off),
    and in work after it with the yearly drop-off applied (counted in whole years from when the
    person left the ASF). Entrants start at the beginning of a year; with intake 'varje' the same
    number starts every year."""
    horizon = int(x.horizon_years)
    end = 12 * horizon
    starts = [0] if x.intake == "en" else [12 * c for c in range(horizon)]
    employed = x.persons_per_year * x.share_employed_pct / 100
    successful = x.persons_per_year * x.success_pct / 100
    keep = 1 - x.dropoff_pct / 100
    asf, work, kept = [0.0] * horizon, [0.0] * horizon, [0.0] * horizon
    for start in starts:
        asf_end = min(start + int(x.months_in_asf), end)
        for month in range(start, end):
            year = month // 12
            if month < asf_end:
                asf[year] += employed / 12
            else:
                work[year] += successful / 12
                kept[year] += successful * keep ** ((month - asf_end) // 12) / 12
    return asf, work, kept


def _track(value: float, asf, work, kept, x: Inputs) -> Track:
    dw, attr, disp = x.deadweight_pct / 100, x.attribution_pct / 100, x.displacement_pct / 100
    rate = x.discount_pct / 100
    gross_asf = [value * a for a in asf]
    gross = [g + value * w for g, w in zip(gross_asf, work)]
    after_dw = [g + value * w * (1 - dw) for g, w in zip(gross_asf, work)]
    after_attr = [v * (1 - attr) for v in after_dw]
    after_disp = [v * (1 - disp) for v in after_attr]
    after_drop = [(g + value * k * (1 - dw)) * (1 - attr) * (1 - disp) for g, k in zip(gross_asf, kept)]
    present = [v / (1 + rate) ** t for t, v in enumerate(after_drop)]
    return Track({"gross": tuple(gross), "deadweight": tuple(after_dw), "attribution": tuple(after_attr),
                  "displacement": tuple(after_disp), "dropoff": tuple(after_drop), "present": tuple(present)})


def run(x: Inputs, values: dict[str, float | None]) -> Result:
    """The steps for the timing and adjustments of ``x`` and the given values per person-year
    ('societal' and any budget tracks; None = unknown). ``compute`` calls it with the values from the
    inputs; the published-case check calls it with the case's own values."""
    asf, work, kept = person_years(x)
    tracks = {k: None if v is None else _track(v, asf, work, kept, x) for k, v in values.items() if k != "societal"}
    public = [k for k in tracks if k in PUBLIC or k not in ACTORS]
    return Result(
        years=tuple(range(1, int(x.horizon_years) + 1)), asf_person_years=tuple(asf),
        work_person_years=tuple(work), work_person_years_kept=tuple(kept), value_per_year=dict(values),
        societal=_track(values["societal"], asf, work, kept, x), budget=tracks,
        public_present=sum(tracks[k].total("present") for k in public if tracks[k] is not None),
        missing_actors=tuple(k for k in tracks if tracks[k] is None),
    )


def compute(x: Inputs, path: Path = PARAMETERS_PATH) -> Result:
    """Every step, year and track for the inputs ``x``."""
    return run(x, values_per_year(x, path))


# --- Uncertainty -------------------------------------------------------------------------------------

def case_values(end: str, path: Path = PARAMETERS_PATH) -> dict[str, float]:
    """Input name -> its sourced value in the 'low' or 'high' case (ADJUSTMENTS)."""
    return {name: float(e["value"]) for name, e in entries(end, path).items()}


def _with(x: Inputs, **values) -> Inputs:
    typed = {k: (float(v) if FIELD[k].decimals else int(round(v))) for k, v in values.items()}
    return replace(x, **typed)


def band(x: Inputs, path: Path = PARAMETERS_PATH) -> dict[str, dict[str, float]]:
    """The low, central and high case of both results (present values): every adjustment at its
    sourced low or high value at once, everything else as set. Returns {'societal': {'low', 'central',
    'high'}, 'public': {...}}, each ordered low <= central <= high."""
    central = compute(x, path)
    low = compute(_with(x, **case_values("low", path)), path)
    high = compute(_with(x, **case_values("high", path)), path)
    out = {}
    for key, get in (("societal", lambda r: r.societal.total("present")), ("public", lambda r: r.public_present)):
        ends = sorted([get(low), get(high), get(central)])
        out[key] = {"low": ends[0], "central": get(central), "high": ends[-1]}
    return out


def sensitivity(x: Inputs, path: Path = PARAMETERS_PATH) -> list[dict]:
    """One input at a time at its sourced low and high value, the others as set: per input in
    ADJUSTMENTS its name, the two values, the societal present value at each and the swing (high -
    low result, absolute). Sorted by swing, largest first: the first moves the result most."""
    lows, highs = case_values("low", path), case_values("high", path)
    rows = []
    for name in ADJUSTMENTS:
        lo = compute(_with(x, **{name: lows[name]}), path).societal.total("present")
        hi = compute(_with(x, **{name: highs[name]}), path).societal.total("present")
        rows.append({"name": name, "low_value": lows[name], "high_value": highs[name],
                     "low": lo, "high": hi, "swing": abs(hi - lo)})
    return sorted(rows, key=lambda r: (-r["swing"], ADJUSTMENTS.index(r["name"])))


# --- The published case ------------------------------------------------------------------------------

def published_case(path: Path = PARAMETERS_PATH) -> dict:
    """Vägen ut! kooperativen 2011 through the same model: 90 people employed in the ASFs all year
    (one year, prices of 2011, no adjustment the source does not make), the published group totals
    divided by 90 as values per person-year, and the labour cost as the societal value. Returns
    inputs, result and rows (measure, published, calculated) for the page's comparison."""
    pub = {k: float(e["value"]) for k, e in entries("published", path).items()}
    n = pub["vagen_ut_employees"]
    x = replace(defaults(path), persons_per_year=int(n), share_employed_pct=100, months_in_asf=12, success_pct=0,
                horizon_years=1, intake="en", deadweight_pct=0, attribution_pct=0, displacement_pct=0,
                dropoff_pct=0, price_base_year=2011)
    labour = amounts(x, path)["labour_cost_month"]["base"]
    values = {"societal": 12 * labour, "kommun": pub["vagen_ut_kommun"] / n, "fk_af": pub["vagen_ut_fk_af"] / n,
              "skatt": pub["vagen_ut_tax"] / n}
    r = run(x, values)
    got = {k: r.budget[k].total("present") for k in ("kommun", "fk_af", "skatt")}
    rows = [
        {"measure": "vagen_ut_kommun", "published": pub["vagen_ut_kommun"], "calculated": got["kommun"]},
        {"measure": "vagen_ut_fk_af", "published": pub["vagen_ut_fk_af"], "calculated": got["fk_af"]},
        {"measure": "vagen_ut_direct", "published": pub["vagen_ut_direct"], "calculated": got["kommun"] + got["fk_af"]},
        {"measure": "vagen_ut_tax", "published": pub["vagen_ut_tax"], "calculated": got["skatt"]},
        {"measure": "vagen_ut_society", "published": pub["vagen_ut_society"], "calculated": r.societal.total("present")},
    ]
    return {"inputs": x, "result": r, "rows": rows, "labour_cost_month": labour}


# --- URL parameters -----------------------------------------------------------------------------------

def to_query(x: Inputs) -> dict[str, str]:
    """The URL parameters that reproduce ``x`` (None -> empty value; decimals with a point)."""
    out = {}
    for f in FIELDS:
        v = getattr(x, f.name)
        out[f.url] = "" if v is None else (f"{v:.{f.decimals}f}" if f.decimals else str(v))
    return out


def changed(x: Inputs, base: Inputs) -> list[str]:
    """Names of the inputs whose value differs from ``base``."""
    return [f.name for f in fields(Inputs) if getattr(x, f.name) != getattr(base, f.name)]


def number(raw: str) -> float | None:
    """A finite number from URL text ('12', '12.5', '12,5', '1 000'), else None."""
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text or len(text) > 20:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
