"""The source manifest (data/sources.toml) as typed entries."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from atlas import DATA_DIR

MANIFEST_PATH = DATA_DIR / "sources.toml"
MIRROR_ENV = "ATLAS_MIRROR"


@dataclass(frozen=True)
class Source:
    """One public file: where it lives, who publishes it and which parser reads it."""

    id: str
    url: str
    sha256: str
    publisher: str
    title_sv: str
    title_en: str
    licence: str
    parser: str
    options: dict = field(default_factory=dict)

    @property
    def relative_path(self) -> Path:
        """``<host>/<path>`` of the URL: the layout of a mirror folder and of data/raw/."""
        parts = urlsplit(self.url)
        return Path(parts.netloc) / parts.path.lstrip("/")


_FIELDS = {"id", "url", "sha256", "publisher", "title_sv", "title_en", "licence", "parser"}


def load_manifest(path: Path = MANIFEST_PATH) -> list[Source]:
    """Return every source in manifest order (earlier entries win when observations overlap)."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    sources = []
    for entry in raw.get("source", []):
        base = {k: entry.get(k, "") for k in _FIELDS}
        options = {k: v for k, v in entry.items() if k not in _FIELDS}
        sources.append(Source(**base, options=options))
    return sources


def get_source(source_id: str, path: Path = MANIFEST_PATH) -> Source:
    """Return the manifest entry with this id; KeyError if there is none."""
    for s in load_manifest(path):
        if s.id == source_id:
            return s
    raise KeyError(source_id)


def mirror_dir() -> Path | None:
    """The folder named by $ATLAS_MIRROR (resolved), or None when unset or empty."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
