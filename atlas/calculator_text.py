"""Words and tables for the value calculator's page, written from the model's inputs and result
(no Streamlit): money and value formats, the step table, the price conversions, the assumptions in
plain sentences, the band, the sensitivity ranking, the published case and the sources table."""

from __future__ import annotations

import math

import pandas as pd

from atlas import calculator as calc
from atlas.i18n import MISSING, fmt_number, t


def k(key: str, lang: str, **kw) -> str:
    return t(f"vinst.{key}", lang, **kw)


def years_text(n: int, lang: str, *, definite: bool = False) -> str:
    """'1 år' / '3 år' ('1 year' / '3 years'); definite: 'året' / 'de 3 åren' ('the 3 years')."""
    return k(("years_def_" if definite else "years_") + ("one" if n == 1 else "many"), lang, n=n)


def fmt_money(value: float | None, lang: str) -> str:
    """'1,4 Mkr' / 'SEK 1.4 m' from 1 million up (one decimal), else whole kronor ('47 778 kr');
    None or not a number -> '..'."""
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return MISSING
    if abs(value) >= 1_000_000:
        return k("fmt_mkr", lang, x=fmt_number(value / 1_000_000, lang, 1))
    return k("fmt_kr", lang, x=fmt_number(value, lang, 0))


def kind_labels(entry: dict, lang: str) -> list[str]:
    """The entry's kinds in plain words ('fallstudie', 'härlett', ...)."""
    return [k(f"kinds.{x}", lang) for x in entry.get("kind") or []]


def plain_value(name: str, value: object, lang: str) -> str:
    """An input value with its unit, for sentences; None -> 'uppgift saknas'."""
    if value is None:
        return t("common.missing", lang)
    if name == "intake":
        return f"”{k(f'intake.{value}', lang)}”"
    if name == "price_base_year":
        return str(value)
    f = calc.FIELD.get(name)
    e = calc.starting_entry(name) or {}
    unit = e.get("unit") or {"horizon_years": "years"}.get(name)
    decimals = f.decimals if f else 0
    if unit in ("kr_month", "kr_year", "kr_household_year"):
        return f"{fmt_money(value, lang)} {k('units_after.' + unit, lang)}".strip()
    return f"{fmt_number(value, lang, decimals)} {k('units.' + unit, lang)}" if unit else fmt_number(value, lang, decimals)


def input_label(name: str, lang: str) -> str:
    return k(f"inputs.{name}", lang)


# --- The steps ------------------------------------------------------------------------------------

def step_table(result: calc.Result, lang: str) -> pd.DataFrame:
    """Rows: the six steps (STEPS) summed over the years; columns: step (its label), societal,
    public (the public actors with a value), then every actor (None where unknown). Kronor of the
    price base year, unrounded (the page formats them; downloads keep the numbers)."""
    rows = []
    for step in calc.STEPS:
        row = {"step": k(f"step.{step}", lang), "societal": result.societal.total(step)}
        known = [a for a in calc.PUBLIC if result.budget.get(a) is not None]
        row["public"] = sum(result.budget[a].total(step) for a in known)
        for actor in calc.ACTORS:
            tr = result.budget.get(actor)
            row[actor] = None if tr is None else tr.total(step)
        rows.append(row)
    return pd.DataFrame(rows, columns=["step", "societal", "public", *calc.ACTORS])


def yearly_table(result: calc.Result, lang: str) -> pd.DataFrame:
    """Per year: person-years in the ASF and in work (before and after drop-off), the societal gain
    after the adjustments and its present value, the public-budget present value."""
    known = [a for a in calc.PUBLIC if result.budget.get(a) is not None]
    return pd.DataFrame({
        k("col_year", lang): list(result.years),
        k("col_asf_py", lang): [round(v, 2) for v in result.asf_person_years],
        k("col_work_py", lang): [round(v, 2) for v in result.work_person_years],
        k("col_work_kept_py", lang): [round(v, 2) for v in result.work_person_years_kept],
        k("col_societal_year", lang): [round(v) for v in result.societal.by_step["dropoff"]],
        k("col_societal_pv", lang): [round(v) for v in result.societal.by_step["present"]],
        k("col_public_pv", lang): [round(sum(result.budget[a].by_step["present"][i] for a in known))
                                  for i in range(len(result.years))],
    })


def step_explanations(x: calc.Inputs, lang: str) -> list[str]:
    """One line per step saying what it does with the current inputs."""
    return [
        k("explain.gross", lang, persons=fmt_number(x.persons_per_year, lang), employed=fmt_number(x.share_employed_pct, lang),
          months=fmt_number(x.months_in_asf, lang), success=fmt_number(x.success_pct, lang)),
        k("explain.deadweight", lang, pct=fmt_number(x.deadweight_pct, lang)),
        k("explain.attribution", lang, pct=fmt_number(x.attribution_pct, lang)),
        k("explain.displacement", lang, pct=fmt_number(x.displacement_pct, lang)),
        k("explain.dropoff", lang, pct=fmt_number(x.dropoff_pct, lang)),
        k("explain.present", lang, pct=fmt_number(x.discount_pct, lang, 1), base=x.price_base_year),
    ]


# --- Prices -----------------------------------------------------------------------------------------

def price_table(x: calc.Inputs, lang: str) -> pd.DataFrame:
    """Every amount input: as entered, its price year, the KPI factor and the value in the base
    year's kronor, and what happened (converted / user's own value / cannot be converted)."""
    index = calc.kpi()
    rows = []
    for name, a in calc.amounts(x).items():
        if a is None:
            rows.append({"input": input_label(name, lang), "value": MISSING, "price_year": MISSING, "factor": MISSING,
                         "base": MISSING, "note": k("price.missing", lang)})
            continue
        year = a["price_year"]
        if year == "base":
            note = k("price.own", lang, base=x.price_base_year)
        elif a["factor"] is None:
            note = k("price.no_year", lang) if year is None else k("price.no_kpi", lang, year=year, last=max(index))
        elif year == x.price_base_year:
            note = k("price.same", lang)
        else:
            note = k("price.converted", lang, base=x.price_base_year, kpi_base=fmt_number(index[x.price_base_year], lang, 2),
                     year=year, kpi_year=fmt_number(index[year], lang, 2))
        rows.append({"input": input_label(name, lang), "value": fmt_money(a["value"], lang),
                     "price_year": k("price.own_year", lang) if year == "base" else (str(year) if year else MISSING),
                     "factor": MISSING if a["factor"] is None else fmt_number(a["factor"], lang, 4),
                     "base": fmt_money(a["base"], lang), "note": note})
    return pd.DataFrame(rows, columns=["input", "value", "price_year", "factor", "base", "note"])


# --- Assumptions ------------------------------------------------------------------------------------

def assumptions(x: calc.Inputs, base: calc.Inputs, lang: str) -> list[str]:
    """Plain sentences saying what the result assumes, written from the current inputs; every input
    that differs from its starting value is named as the user's, with the starting value."""
    def n(v, d=0):
        return fmt_number(v, lang, d)

    shares = calc.group_shares(x)
    out = [
        k(f"assume.intake_{x.intake}", lang, n=n(x.persons_per_year), period_def=years_text(x.horizon_years, lang, definite=True)),
        k("assume.asf_time", lang, employed=n(x.share_employed_pct), training=n(100 - x.share_employed_pct),
          months=n(x.months_in_asf)),
        k("assume.success", lang, pct=n(x.success_pct)),
        k("assume.groups", lang, bistand=n(100 * shares["bistand"]), ohalsa=n(100 * shares["ohalsa"]),
          arbetsloshet=n(100 * shares["arbetsloshet"])),
        k("assume.asf_period", lang),
        k("assume.adjust", lang, dw=n(x.deadweight_pct), attr=n(x.attribution_pct), disp=n(x.displacement_pct),
          drop=n(x.dropoff_pct)),
        k("assume.prices", lang, base=x.price_base_year, rate=n(x.discount_pct, 1)),
        k("assume.not_counted", lang),
    ]
    mix = x.mix_bistand_pct + x.mix_ohalsa_pct + x.mix_arbetsloshet_pct
    if mix != 100:
        out.append(k("assume.mix_scaled", lang, total=n(mix)))
    for name in calc.changed(x, base):
        if name == "intake":  # a model choice, already stated in the first sentence
            continue
        e = calc.starting_entry(name)
        own = e is None or e.get("role") == "unsourced"
        out.append(k("assume.own" if own else "assume.changed", lang, label=input_label(name, lang),
                     old=plain_value(name, getattr(base, name), lang), new=plain_value(name, getattr(x, name), lang)))
    return out


# --- Uncertainty ------------------------------------------------------------------------------------

def sensitivity_table(rows: list[dict], lang: str) -> pd.DataFrame:
    """The sensitivity ranking for display: input, its low and high value, the societal present value
    at each, and the swing; most important first."""
    def pct(name, v):
        return f"{fmt_number(v, lang, 1 if calc.FIELD[name].decimals else 0)} %"

    return pd.DataFrame({
        "input": [input_label(r["name"], lang) for r in rows],
        "low_value": [pct(r["name"], r["low_value"]) for r in rows],
        "high_value": [pct(r["name"], r["high_value"]) for r in rows],
        "low": [fmt_money(r["low"], lang) for r in rows], "high": [fmt_money(r["high"], lang) for r in rows],
        "swing": [fmt_money(r["swing"], lang) for r in rows],
    })


# --- The published case -----------------------------------------------------------------------------

def published_table(case: dict, lang: str) -> pd.DataFrame:
    """The published figures of the case against the calculator's, with the difference and why."""
    entries = calc.entries("published")
    rows = []
    for r in case["rows"]:
        e = entries[r["measure"]]
        diff = r["calculated"] - r["published"]
        rows.append({"measure": e["label_" + lang], "published": fmt_money(r["published"], lang),
                     "quote": " / ".join(e["quote"]), "calculated": fmt_money(r["calculated"], lang),
                     "difference": fmt_money(diff, lang) if round(diff) else "0",
                     "why": k(f"case.why.{r['measure']}", lang)})
    return pd.DataFrame(rows, columns=["measure", "published", "calculated", "difference", "why", "quote"])


# --- Sources ----------------------------------------------------------------------------------------

def sources_table(lang: str) -> pd.DataFrame:
    """Every parameter entry (defaults, unsourced, low/high, references, published) with its value,
    role, source, year, price year, kind, quote and note; the CPI as one row."""
    rows = []
    for e in calc.parameters():
        role = e["role"]
        target = e.get("for", e["id"])
        if role in ("reference", "published"):
            what = e["label_" + lang]
        else:
            what = input_label(target, lang) + (f" ({k('roles.' + role, lang)})" if role in ("low", "high") else "")
        if e.get("value") is None and "value_" + lang in e:
            value = e["value_" + lang]
        else:
            value = plain_value(target, e.get("value"), lang) if role != "published" else fmt_money(e["value"], lang)
        rows.append({
            "param": what, "value": value, "role": k(f"roles.{role}", lang),
            "source": e.get("source_title", k("no_source", lang)), "url": e.get("source_url", ""),
            "year": e.get("year_" + lang, ""), "price_year": "" if e.get("price_year") is None else str(e["price_year"]),
            "kinds": ", ".join(kind_labels(e, lang)), "quote": " / ".join(e.get("quote") or []),
            "note": str(e.get("note_" + lang, "")).strip(), "doc": e.get("doc", ""),
        })
    ke = calc.kpi_entry()
    rows.append({"param": ke["title_" + lang], "value": ", ".join(f"{y}: {fmt_number(v, lang, 2)}" for y, v in calc.kpi().items()),
                 "role": k("roles.kpi", lang), "source": ke["title_" + lang], "url": ke["source_url"], "year": "2009–2023",
                 "price_year": "", "kinds": k("kinds.observed", lang), "quote": ke["quote"],
                 "note": str(ke["note_" + lang]).strip(), "doc": ke["doc"]})
    return pd.DataFrame(rows)


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
