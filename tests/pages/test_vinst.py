"""The value calculator page run headless with AppTest: the key figures and charts equal the model's
output for the inputs in the link, every input shows its source, odd links never raise, in Swedish
and English."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import page_runner

from atlas import ROOT, db
from atlas import calculator as calc
from atlas.i18n import fmt_number, t

PAGE = ROOT / "pages" / "vinst.py"


_run = page_runner(PAGE)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected(x: calc.Inputs, lang: str) -> dict[str, str]:
    """The key figures the page should show for inputs ``x``, straight from the model."""
    r = calc.compute(x)
    years = x.horizon_years
    period = calc.years_text(years, lang)
    k = lambda key, **kw: t(f"vinst.{key}", lang, **kw)  # noqa: E731
    out = {}
    if years == 1:
        out[k("metric_only_year")] = calc.fmt_money(r.societal_by_year[0], lang)
    else:
        out[k("metric_year", year=1)] = calc.fmt_money(r.societal_by_year[0], lang)
        out[k("metric_year", year=years)] = calc.fmt_money(r.societal_by_year[-1], lang)
        out[k("metric_total", years=years)] = calc.fmt_money(r.societal_total, lang)
    for actor in calc.ACTORS:
        out[k("metric_actor", actor=k(f"actors_short.{actor}"), period=period)] = calc.fmt_money(
            r.budget_total[actor], lang)
    out[k("metric_public_total", period=period)] = calc.fmt_money(r.public_budget_total, lang)
    return out


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _notice(at: AppTest, lang: str) -> str | None:
    head = t("vinst.notice", lang, items="").split(":")[0]
    found = [i.value for i in at.info if i.value.startswith(head)]
    return found[0] if found else None


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def _check_link(at: AppTest, x: calc.Inputs) -> None:
    """Every input is in the link with the value used (so the set-up can be shared)."""
    for key, value in calc.to_query(x).items():
        assert at.query_params[key] in (value, [value]), key


def _check_figures(at: AppTest, x: calc.Inputs) -> None:
    r = calc.compute(x)
    gain, split = _figures(at)
    divisor = 1_000_000 if max(r.societal_by_year + r.societal_cumulative) >= 1_000_000 else 1000
    bars = [d for d in gain["data"] if d["type"] == "bar"][0]
    assert bars["y"] == pytest.approx([v / divisor for v in r.societal_by_year])
    known = [a for a in calc.ACTORS if r.budget_total[a] is not None]
    if known:
        top = max(abs(r.budget_total[a]) for a in known)
        divisor = 1_000_000 if top >= 1_000_000 else 1000
        bar = [d for d in split["data"] if d["type"] == "bar"][0]
        assert bar["x"] == pytest.approx([r.budget_total[a] / divisor for a in known])
    missing = [d for d in split["data"] if d["type"] == "scatter"]
    assert (len(missing[0]["y"]) if missing else 0) == len(r.missing_actors)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_default_view(built_db, lang):
    at = _run(lang=lang)
    base = calc.defaults()
    assert at.title[0].value == t("vinst.title", lang)
    assert _metrics(at) == _expected(base, lang)
    assert _notice(at, lang) is None
    # The link mirrors every input, so a seminar set-up can be shared.
    _check_link(at, base)
    _check_figures(at, base)
    # Every sourced default shows its source link, year and kind right by the input.
    captions = _captions(at)
    for e in calc.default_entries().values():
        assert e["source_url"] in captions, e["id"]
        assert t("vinst.year_line", lang, year=e["year_" + lang], price_year=e["price_year_" + lang],
                 kinds=", ".join(calc.kind_labels(e, lang))) in captions, e["id"]
        if "derivation" in e:
            assert e["derivation"]["text_" + lang] in captions
    assert t("vinst.no_source_value", lang).strip() in captions  # the region: no source, no default
    # The warning that the two numbers are never added, the method box and the assumptions.
    assert any(w.value == t("vinst.never_add", lang) for w in at.warning)
    markdown = "\n".join(m.value for m in at.markdown)
    assert t("vinst.method", lang) in markdown
    for line in calc.assumptions(base, base, lang):
        assert f"- {line}" in markdown


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_dalarna_context_comes_from_the_database(built_db, lang):
    at = _run(lang=lang)
    totals = db.run("asf_county_totals", con=db.connect(built_db))
    ctx = calc.dalarna_context(totals)
    assert ctx is not None
    row = totals.dropna(subset=["employees", "work_training", "year"]).sort_values("year").iloc[-1]
    assert (ctx["employees"], ctx["work_training"], ctx["year"]) == (
        int(row["employees"]), int(row["work_training"]), int(row["year"]))
    text = t("vinst.dalarna_context", lang, approx=t("vinst.approx", lang) if ctx["approx"] else "",
             employees=fmt_number(ctx["employees"], lang), training=fmt_number(ctx["work_training"], lang),
             n=fmt_number(ctx["n_asf"], lang), publisher=f"[{ctx['publisher']}]({ctx['source_url']})",
             year=ctx["year"])
    assert text in _captions(at)


NON_DEFAULT = {"personer": "40", "anstallda": "50", "manader": "6", "lyckas": "22", "ar": "10",
               "intag": "varje", "lonekostnad": "30000", "kommun": "75045", "fkaf": "", "skatt": "41111",
               "region": "1500"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_non_default_link(built_db, lang):
    at = _run(NON_DEFAULT, lang=lang)
    base = calc.defaults()
    x, problems = calc.parse_query(NON_DEFAULT, base)
    assert problems == {}
    assert (x.persons_per_year, x.horizon_years, x.intake, x.fk_af_kr_year, x.region_kr_year) == (
        40, 10, "varje", None, 1500)
    assert _metrics(at) == _expected(x, lang)
    _check_link(at, x)
    _check_figures(at, x)
    markdown = "\n".join(m.value for m in at.markdown)
    for line in calc.assumptions(x, base, lang):
        assert f"- {line}" in markdown
    # Changed inputs are marked as own values, with the source's value beside them.
    captions = _captions(at)
    assert t("vinst.own_value", lang, default=calc.plain_value("persons_per_year", base.persons_per_year, lang)) \
        in captions
    assert t("vinst.assume.own", lang, label=t("vinst.inputs.region_kr_year", lang),
             new=calc.fmt_money(1500, lang)) in captions


@pytest.mark.parametrize("horizon", calc.HORIZONS)
@pytest.mark.parametrize("intake", calc.INTAKES)
def test_every_horizon_and_intake(built_db, horizon, intake):
    params = {"ar": str(horizon), "intag": intake}
    at = _run(params)
    x, _ = calc.parse_query(params, calc.defaults())
    assert _metrics(at) == _expected(x, "sv")
    assert len(_figures(at)[0]["data"][0]["y"]) == horizon


BAD_LINKS = [
    {"personer": "-5", "lyckas": "250", "lonekostnad": "1e12"},
    {"personer": "x' OR 1=1 --", "ar": "2", "intag": "alla"},
    {"kommun": "'; DROP TABLE observation; --", "manader": "abc", "anstallda": "NaN"},
    {"personer": "9" * 5000, "skatt": "inf", "region": "-1"},
    {"personer": ["5", "x"], "ar": ["3", "99"]},
    {"lyckas": "<script>alert(1)</script>", "fkaf": "12.7"},
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("params", BAD_LINKS)
def test_malformed_links_fall_back_with_a_notice(built_db, params, lang):
    at = _run(params, lang=lang)
    flat = {k: v[-1] if isinstance(v, list) else v for k, v in params.items()}
    x, problems = calc.parse_query(flat, calc.defaults())
    assert problems
    notice = _notice(at, lang)
    assert notice is not None
    for name in problems:
        assert f"{name}=" in notice
    assert _metrics(at) == _expected(x, lang)
    assert not at.error
    _check_link(at, x)  # the link is rewritten with the values actually used
    at.run()  # a rerun with the cleaned link shows no notice any more
    assert _notice(at, lang) is None


def test_alternative_button_reset_and_widgets_update_the_link(built_db):
    at = _run()
    base = calc.defaults()
    alt = calc.alternatives_for("success_pct")[0]
    at.button(key=f"vinst-alt-{alt['id']}").click().run()
    assert at.slider(key="vinst_success_pct").value == alt["value"]
    assert at.query_params["lyckas"] in (str(alt["value"]), [str(alt["value"])])
    x = calc.Inputs(**{**base.__dict__, "success_pct": alt["value"]})
    assert _metrics(at) == _expected(x, "sv")
    assert t("vinst.assume.changed", "sv", label=t("vinst.inputs.success_pct", "sv"),
             old=calc.plain_value("success_pct", base.success_pct, "sv"),
             new=calc.plain_value("success_pct", alt["value"], "sv")) in "\n".join(m.value for m in at.markdown)

    at.number_input(key="vinst_region_kr_year").set_value(2000).run()
    x = calc.Inputs(**{**x.__dict__, "region_kr_year": 2000})
    assert _metrics(at) == _expected(x, "sv")
    assert at.query_params["region"] in ("2000", ["2000"])

    at.button(key="vinst-reset").click().run()
    assert _metrics(at) == _expected(base, "sv")
    assert at.query_params["region"] in ("", [""])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sources_table_lists_every_value_with_its_quote(built_db, lang):
    at = _run(lang=lang)
    table = next(d.value for d in at.dataframe if "quote" in d.value.columns)
    entries = calc.parameters()
    assert len(table) == len(entries)
    assert list(table["quote"]) == [" / ".join(e["quote"]) for e in entries]
    assert list(table["url"]) == [e["source_url"] for e in entries]
    assert set(table["role"]) == {t(f"vinst.roles.{r}", lang) for r in ("default", "alternative", "reference")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_horizon_shorter_than_the_asf_period_is_explained(built_db, lang):
    base = calc.defaults()
    at = _run({"ar": "1"}, lang=lang)  # the sourced 12 months in the ASF fill the one-year horizon
    x, _ = calc.parse_query({"ar": "1"}, base)
    assert sum(calc.compute(x).work_person_years) == 0
    want = t("vinst.no_work_caption", lang, months=base.months_in_asf, period=calc.years_text(1, lang))
    assert any(i.value == want for i in at.info)
    assert _metrics(at) == _expected(x, lang)
    at = _run({"ar": "3"}, lang=lang)
    assert not any(i.value.startswith(want[:30]) for i in at.info)
