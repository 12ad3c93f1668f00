"""Parser registry: data/sources.toml names a parser; ``PARSERS[name](path, **options)`` reads it."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from atlas.sources.parsers.bas import (
    parse_bas_fodelseregion,
    parse_bas_kommun,
    parse_bas_kommun_snapshot,
    parse_bas_lan_ar,
    parse_bas_lan_manad,
)
from atlas.sources.parsers.kolada import parse_kolada_csv
from atlas.sources.parsers.polygons import parse_kommun_polygons, parse_lan_polygons
from atlas.sources.parsers.scb_lan import (
    parse_etablering,
    parse_matchning,
    parse_pendling,
    parse_utbniva_matchning,
)
from atlas.sources.parsers.socialstyrelsen import parse_socialstyrelsen_bistand
from atlas.sources.parsers.varsel import parse_varsel_bransch, parse_varsel_manad
from atlas.sources.parsers.yrkesbarometer import parse_yrkesbarometer

PARSERS: dict[str, Callable[..., pd.DataFrame]] = {
    "bas_kommun": parse_bas_kommun,
    "bas_kommun_snapshot": parse_bas_kommun_snapshot,
    "bas_fodelseregion": parse_bas_fodelseregion,
    "bas_lan_manad": parse_bas_lan_manad,
    "bas_lan_ar": parse_bas_lan_ar,
    "varsel_bransch": parse_varsel_bransch,
    "varsel_manad": parse_varsel_manad,
    "kolada_csv": parse_kolada_csv,
    "matchning": parse_matchning,
    "etablering": parse_etablering,
    "pendling": parse_pendling,
    "utbniva_matchning": parse_utbniva_matchning,
    "kommun_polygons": parse_kommun_polygons,
    "lan_polygons": parse_lan_polygons,
    "socialstyrelsen_bistand": parse_socialstyrelsen_bistand,
    "yrkesbarometer": parse_yrkesbarometer,
}
