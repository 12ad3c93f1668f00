"""Strings exist in both languages; numbers and periods are formatted per language."""

import pytest

from atlas.i18n import MISSING, MissingTranslation, fmt_number, fmt_period, fmt_value, keys, normalise_lang, t


def test_sv_and_en_have_the_same_keys():
    assert keys("sv") == keys("en")


@pytest.mark.parametrize("value, lang, decimals, want", [
    (1234567.891, "sv", 1, "1\u202f234\u202f567,9"),
    (1234567.891, "en", 1, "1,234,567.9"),
    (-3.25, "sv", 1, "\u22123,3"),
    (3.25, "en", 1, "3.3"),
    (-0.04, "sv", 1, "0,0"),
    (0, "sv", 0, "0"),
    (None, "sv", 1, MISSING),
    (float("nan"), "en", 1, MISSING),
    ("abc", "sv", 1, MISSING),
])
def test_fmt_number(value, lang, decimals, want):
    assert fmt_number(value, lang, decimals) == want


def test_fmt_value_units():
    assert fmt_value(4.2, "procent", "sv") == "4,2\u00a0%"
    assert fmt_value(1500, "tkr", "en", 0) == "1,500\u00a0SEK thousand"
    assert fmt_value(1500, "antal", "sv", 0) == "1\u202f500"
    assert fmt_value(None, "procent", "sv") == MISSING


@pytest.mark.parametrize("period, lang, want", [
    ("2026M04", "sv", "april 2026"), ("2026M04", "en", "April 2026"), ("2024", "sv", "2024"),
    ("2026M13", "sv", MISSING), ("x", "en", MISSING), (None, "sv", MISSING),
])
def test_fmt_period(period, lang, want):
    assert fmt_period(period, lang) == want


def test_language_fallbacks():
    assert normalise_lang("en") == "en"
    for bad in (None, "xx", ["en"], 3):
        assert normalise_lang(bad) == "sv"
    assert t("nav.overview", "en") == "Overview"
    assert t("nav.overview", "xx") == "Översikt"
    with pytest.raises(MissingTranslation):
        t("no.such.key", "en")  # the suite runs strict: a missing key fails the test that asks for it


def test_missing_key_shows_itself_and_warns_in_production(monkeypatch, caplog):
    monkeypatch.delenv("ATLAS_STRICT_I18N")
    assert t("no.such.key.prod", "en") == "no.such.key.prod"
    assert "no.such.key.prod" in caplog.text
    assert t("overview.shortage_value", "sv", n=41) == "41 yrken"
