"""UI strings (atlas/locales/<lang>.yml) and number formatting per language.

Swedish is the default. Keys are dotted paths ("overview.title"). The two languages have the same
keys (tests/test_i18n.py). A key missing in both is a bug: with ATLAS_STRICT_I18N=1 (the test suite
sets it, so any page that asks for one fails its test) ``t`` raises MissingTranslation; in production
it logs a warning once and shows the key itself, so a gap is visible, never a crash.
"""

from __future__ import annotations

import logging
import math
import os
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
_DIR = Path(__file__).parent / "locales"
NBSP_THIN = "\u202f"  # narrow no-break space: Swedish thousands separator that never wraps
MISSING = ".."  # SCB's sign for a value that is missing or cannot be shown


def normalise_lang(value: object) -> str:
    """Return 'sv' or 'en'; anything else (None, 'xx', a list) gives the default 'sv'."""
    return value if isinstance(value, str) and value in LANGS else DEFAULT_LANG


def _files(lang: str) -> list[Path]:
    """locales/<lang>.yml plus one file per page or feature in locales/<lang>/*.yml."""
    return [_DIR / f"{lang}.yml", *sorted((_DIR / lang).glob("*.yml"))]


@lru_cache(maxsize=None)
def _flat(lang: str) -> dict[str, str]:
    data: dict = {}
    for path in _files(lang):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        clash = set(part) & set(data)
        if clash:
            raise ValueError(f"{path.name}: top-level keys {sorted(clash)} already defined in another locale file")
        data.update(part)
    out: dict[str, str] = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        else:
            out[prefix] = str(node)

    walk("", data)
    return out


def keys(lang: str) -> set[str]:
    """All keys defined for a language (used by tests to keep sv and en in step)."""
    return set(_flat(lang))


class MissingTranslation(KeyError):
    """A UI string key that no locale file defines (raised only with ATLAS_STRICT_I18N=1)."""


_warned: set[str] = set()


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The string for ``key`` in ``lang`` with ``{placeholders}`` filled from kwargs."""
    lang = normalise_lang(lang)
    text = _flat(lang).get(key)
    if text is None:
        text = _flat(DEFAULT_LANG).get(key)
    if text is None:
        if os.environ.get("ATLAS_STRICT_I18N") == "1":
            raise MissingTranslation(key)
        if key not in _warned:
            _warned.add(key)
            logging.getLogger(__name__).warning("missing UI string %r", key)
        text = key
    return text.format(**kwargs) if kwargs else text


def t_or(key: str, lang: str, default: str, **kwargs: object) -> str:
    """``t(key)`` where a label may legitimately be absent (a code from the data without a curated
    label): ``default`` when no locale file defines ``key``, never an error."""
    lang = normalise_lang(lang)
    if key not in _flat(lang) and key not in _flat(DEFAULT_LANG):
        return default
    return t(key, lang, **kwargs)


def fmt_number(value: object, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Format a number the way readers of ``lang`` expect; missing values become '..'.

    sv: 12 345,6 (narrow no-break space, decimal comma); en: 12,345.6.
    """
    if value is None:
        return MISSING
    try:
        x = float(value)
    except (TypeError, ValueError):
        return MISSING
    if math.isnan(x) or math.isinf(x):
        return MISSING
    # Round half away from zero on the decimal value, as published statistics do (3.25 -> 3.3).
    quantum = Decimal(1).scaleb(-max(decimals, 0))
    rounded = Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = f"{rounded:,.{max(decimals, 0)}f}"
    if normalise_lang(lang) == "sv":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP_THIN)
        text = text.replace("-", "\u2212")  # typographic minus, as SCB prints it
    return text


def fmt_value(value: object, unit: str, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A number with its unit: '4,2 %', '12 345 personer'/'12,345 people', '2 900 tkr'."""
    number = fmt_number(value, lang, decimals)
    if number == MISSING:
        return MISSING
    suffix = t(f"units.{unit}", lang)
    return f"{number}\u00a0{suffix}" if suffix else number


MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def fmt_period(period: object, lang: str = DEFAULT_LANG) -> str:
    """'2026M04' -> 'april 2026' / 'April 2026'; '2024' stays; anything else -> '..'."""
    if not isinstance(period, str):
        return MISSING
    if len(period) == 7 and period[4] == "M" and period[:4].isdigit() and period[5:].isdigit():
        month = int(period[5:])
        if 1 <= month <= 12:
            return f"{MONTHS[normalise_lang(lang)][month - 1]} {period[:4]}"
    if len(period) == 4 and period.isdigit():
        return period
    return MISSING
