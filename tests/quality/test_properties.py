"""Property tests (hypothesis) for code/period normalisation, value parsing, number formatting,
the formula guard and the Yrkesbarometern parser."""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.export.tables import _FORMULA_START, neutralise_cell
from atlas.i18n import fmt_number
from atlas.sources import SourceFormatError
from atlas.sources.parsers import PARSERS
from atlas.sources.parsers._common import month_period, region_code, to_values

P = Path("fuzz.xlsx")


@given(st.integers(0, 99))
def test_lan_and_riket_codes_are_two_digits(n):
    for raw in (n, float(n), str(n), f" {n} "):
        code = region_code(raw, P)
        assert len(code) == 2 and int(code) == n


@given(st.integers(100, 9999))
def test_kommun_codes_are_four_digits(n):
    code = region_code(n, P)
    assert len(code) == 4 and int(code) == n
    assert region_code(code, P) == code  # idempotent on normalised codes


@given(st.text(min_size=1).filter(lambda s: not s.strip().isdigit()))
def test_non_numeric_codes_are_rejected(text):
    with pytest.raises(SourceFormatError):
        region_code(text, P)


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_month_periods(year, month):
    want = f"{year}M{month:02d}"
    assert month_period(want, P) == want
    assert month_period(f"{year}-{month:02d}", P) == want


@given(st.integers(1900, 2100), st.integers(13, 99) | st.just(0))
def test_invalid_months_are_rejected(year, month):
    with pytest.raises(SourceFormatError):
        month_period(f"{year}M{month:02d}", P)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32) | st.sampled_from(["..", "--", "NA", ""]),
                min_size=1, max_size=30))
def test_values_parse_numbers_and_missing_markers(items):
    series = pd.Series([str(v) if isinstance(v, float) else v for v in items], dtype=object)
    out = to_values(series, P, "v")
    for raw, got in zip(items, out):
        if isinstance(raw, float):
            assert got == pytest.approx(float(str(raw)))
        else:
            assert math.isnan(got)


@given(st.text(alphabet="abcxyz!?", min_size=1, max_size=8))
def test_garbage_values_are_rejected(word):
    with pytest.raises(SourceFormatError):
        to_values(pd.Series(["1.5", word]), P, "v")


def _parse_number(text: str, lang: str) -> float:
    if lang == "sv":
        text = text.replace("\u202f", "").replace("\u2212", "-").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 3), st.sampled_from(["sv", "en"]))
def test_fmt_number_round_trips_to_the_rounded_value(x, decimals, lang):
    text = fmt_number(x, lang, decimals)
    want = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert Decimal(str(_parse_number(text, lang))).quantize(Decimal(1).scaleb(-decimals)) == abs(want) * (1 if want >= 0 else -1)
    if lang == "sv":
        assert "." not in text and "-" not in text  # decimal comma, typographic minus


@given(st.text(max_size=50))
def test_formula_guard(text):
    out = neutralise_cell(text)
    assert not out.startswith(_FORMULA_START)
    assert out == text or out == "'" + text


_RECORD = st.fixed_dictionaries({
    "yrkesomrade": st.sampled_from(["Data/IT", "Transport", "Hälso- och sjukvård"]),
    "yb_yrke": st.text(min_size=1, max_size=30),
    "yb_concept_id": st.text(alphabet="abcdefghijkABCDEFG_0123456789", min_size=6, max_size=12),
    "lan": st.sampled_from(["00", "01", "20", "25"]),
    "antal_ssyk": st.integers(1, 3), "del_av_ssyk": st.integers(0, 1),
    "ssyk": st.from_regex(r"\A[1-9][0-9]{3}\Z"), "ssyk_text": st.text(max_size=30),
    "jobbmojligheter": st.sampled_from(["små", "medelstora", "stora", None]),
    "rekryteringssituation": st.sampled_from(["överskott", "balans", "paradox", "brist", None]),
    "paradox": st.lists(st.sampled_from(["arbetslöshet", "deltidsarbete", "lämnare"]), unique=True),
    "prognos": st.sampled_from(["öka", "vara oförändrad", "minska", None]),
    "hogsta_bedomningsniva": st.sampled_from(["regionalt", "nationellt"]),
    "delvis_helt": st.sampled_from(["helt", "delvis"]),
    "omgang": st.just("2025-2"), "taxonomi_version": st.just(27),
})


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_RECORD, min_size=1, max_size=25, unique_by=lambda r: (r["lan"], r["yb_concept_id"])))
def test_yrkesbarometer_parser_keeps_every_record(tmp_path, records):
    path = tmp_path / "yb.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    df = PARSERS["yrkesbarometer"](path)
    assert len(df) == len(records)
    assert df["region_code"].tolist() == [r["lan"] for r in records]
    assert [None if pd.isna(v) else v for v in df["rekryteringssituation"]] == [r["rekryteringssituation"] for r in records]
    assert df["paradox"].tolist() == [", ".join(r["paradox"]) for r in records]
