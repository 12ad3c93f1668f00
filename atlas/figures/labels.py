"""Labels shared by every figure builder and page: a breakdown category in the UI language."""

from __future__ import annotations

import json
from collections.abc import Mapping

from atlas.i18n import t


def categories_en(indicator: Mapping) -> dict[str, str]:
    """The catalogue's Swedish -> English category names (empty dict if none or unreadable)."""
    raw = indicator.get("categories_en") if hasattr(indicator, "get") else None
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def category_label(category: str, lang: str, indicator: Mapping, *, capitalise: bool = True) -> str:
    """A category as shown: 'Samtliga'/'All' for '' (the whole population), the catalogue's English
    in en (the Swedish value where it has none), else the Swedish value as stored. ``capitalise``:
    first letter upper case, for pickers and table cells; off inside a sentence."""
    if not category:
        return t("common.all_groups", lang)
    text = categories_en(indicator).get(category, category) if lang == "en" else category
    return text[:1].upper() + text[1:] if capitalise else text
