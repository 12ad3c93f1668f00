"""Fetching and parsing of the public source files listed in data/sources.toml.

Parser contract (atlas/sources/parsers): every parser is ``parse(path: Path, **options) -> DataFrame``
and is registered by name in ``atlas.sources.parsers.PARSERS``; data/sources.toml names the parser
of each source and any extra options (for example ``indicator``). A parser returns one of three shapes:

* observations: columns ``indicator_id, region_code, period, sex, category, value``
  - region_code: riket "00", län 2 digits ("20"), kommun 4 digits ("2080")
  - period: month "2026M04" or year "2024"
  - sex: "T" (total), "K" (kvinnor), "M" (män)
  - category: "" for the undivided population, else the source's breakdown in lower-case Swedish
    (e.g. "inrikes född", "utrikes född", an industry name, "vistelsetid 0-1 år")
  - value: float64, NaN where the source marks the value as missing
* occupations (Yrkesbarometern): see ``parsers.yrkesbarometer.COLUMNS``
* regions (polygons): columns ``region_code, name, level, parent_code, geometry`` (shapely, WGS84,
  None where the file has no polygon; atlas.geo.prepare checks and simplifies them)

Parsers raise ``SourceFormatError`` with a message naming the file and what is wrong.
"""

OBSERVATION_COLUMNS = ["indicator_id", "region_code", "period", "sex", "category", "value"]
REGION_COLUMNS = ["region_code", "name", "level", "parent_code", "geometry"]


class SourceError(RuntimeError):
    """A source could not be fetched or verified; the message names the source.

    ``reason`` says what kind of failure it was, so a page can explain it in the reader's language
    (atlas/locales: build.reason.<reason>): "mirror_missing" (the mirror folder does not exist),
    "not_in_mirror", "download" (network or server), "checksum" (the bytes differ from the pinned
    sha256), "format" (the file is not what its parser expects), "other". ``source_id`` names the
    source when there is one.
    """

    default_reason = "other"

    def __init__(self, message: str, *, reason: str | None = None, source_id: str = "") -> None:
        super().__init__(message)
        self.reason = reason or self.default_reason
        self.source_id = source_id


class SourceFormatError(SourceError):
    """A fetched file does not have the structure its parser expects."""

    default_reason = "format"
