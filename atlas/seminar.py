"""Assemble a deck from FigureSpecs: the source line of each figure and the sources slide."""

from __future__ import annotations

from datetime import date

import pandas as pd

from atlas.export.deck import DeckSource, build_deck
from atlas.export.metadata import source_text
from atlas.figures.spec import FigureSpec


def deck_sources(specs: list[FigureSpec], sources: pd.DataFrame, lang: str) -> list[DeckSource]:
    """Every source used by the specs, once, with URL and the latest period shown from it."""
    by_id = sources.set_index("id")
    as_of: dict[str, str] = {}
    for spec in specs:
        for sid in spec.source_ids:
            as_of.setdefault(sid, spec.as_of)
    out = []
    for sid, period in as_of.items():
        if sid in by_id.index:
            row = by_id.loc[sid]
            out.append(DeckSource(row["publisher"], row["title_en" if lang == "en" else "title_sv"], row["url"], period))
    return out


def build_seminar_deck(specs: list[FigureSpec], sources: pd.DataFrame, lang: str, *, title: str,
                       subtitle: str = "", today: date | None = None, progress=lambda f, s: None,
                       version: str = "") -> bytes:
    """PPTX bytes for ``specs`` in order, each slide captioned with its own sources; the sources
    slide names the data version."""
    pairs = [(s, source_text(s.source_ids, sources, lang)) for s in specs]
    return build_deck(pairs, deck_sources(specs, sources, lang), lang, title=title, subtitle=subtitle,
                      today=today, progress=progress, version=version)
