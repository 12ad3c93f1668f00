"""Arbetsförmedlingen's Yrkesbarometern as open data: one JSON array for Riket and all 21 län.

The body is written to a file and read with ``parsers.yrkesbarometer`` so the mirror and the live
path share one parser (and one definition of a valid record).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.live.http import LiveError, LiveHttp
from atlas.sources import SourceFormatError
from atlas.sources.parsers.yrkesbarometer import parse_yrkesbarometer

YRKESBAROMETER_URL = "https://data.arbetsformedlingen.se/prognoser/yrkesbarometer.json"


def fetch_yrkesbarometer(http: LiveHttp, workdir: Path, url: str = YRKESBAROMETER_URL,
                         service: str = "af") -> tuple[pd.DataFrame, bytes]:
    """(occupation frame as the parser returns it, raw body). workdir: a scratch folder."""
    raw = http.get(url, service=service)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "yrkesbarometer.json"
    path.write_bytes(raw)
    try:
        return parse_yrkesbarometer(path), raw
    except SourceFormatError as exc:
        raise LiveError(f"Yrkesbarometern: svaret kunde inte läsas ({exc}).",
                        f"Yrkesbarometern: the response could not be read ({exc}).", kind="format") from exc
