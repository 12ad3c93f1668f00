"""Get each source file: from $ATLAS_MIRROR when set, else over https into data/raw/.

Either way the bytes are checked against the manifest's sha256 when one is pinned, so a corrupt
mirror or a changed upstream file stops the build with a message naming the source.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from atlas.paths import raw_dir as _raw_dir
from atlas.timestamps import utc_iso
from atlas.sources import SourceError
from atlas.sources.manifest import Source, mirror_dir

TIMEOUT_S = 30
RETRIES = 2  # on top of the first attempt
USER_AGENT = "Inkluderingsatlas/1.0 (+https://github.com/; open data build)"


@dataclass(frozen=True)
class FetchedFile:
    """A local copy of one source, with what the build records about it."""

    source: Source
    path: Path
    sha256: str
    size: int
    retrieved_at: str  # ISO 8601 UTC: download time, or the mirror file's modification time
    origin: str  # "mirror" or "network"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()



def _verify(source: Source, path: Path) -> str:
    digest = sha256_file(path)
    if source.sha256 and digest != source.sha256:
        raise SourceError(
            f"Source '{source.id}': checksum mismatch for {path} "
            f"(expected sha256 {source.sha256}, got {digest}). The file is corrupt or has changed "
            f"upstream; replace it with the published file from {source.url}.",
            reason="checksum", source_id=source.id,
        )
    return digest


FROM_ENV = object()  # default for ``mirror``: use $ATLAS_MIRROR if set


def fetch(source: Source, *, mirror: Path | None | object = FROM_ENV, raw_dir: Path | None = None,
          refresh: bool = False, session=None) -> FetchedFile:
    """Return a verified local copy of ``source``.

    mirror: a folder in the ``<host>/<path>`` layout; by default $ATLAS_MIRROR; None forces the
    network. When a mirror is in use the network is never touched. refresh: download again even when data/raw has a copy
    (used by updates for unpinned, changing files).
    """
    mirror = mirror_dir() if mirror is FROM_ENV else mirror
    raw_dir = raw_dir or _raw_dir()
    if mirror is not None:
        if not mirror.is_dir():
            raise SourceError(
                f"The mirror folder {mirror} (ATLAS_MIRROR) does not exist. Point ATLAS_MIRROR at a "
                f"folder laid out as <host>/<path>, e.g. ../shared/data/mirror, or unset it to download.",
                reason="mirror_missing", source_id=source.id,
            )
        path = mirror / source.relative_path
        if not path.is_file():
            raise SourceError(
                f"Source '{source.id}': not found in the mirror folder: expected {path} "
                f"(the mirror copy of {source.url}).",
                reason="not_in_mirror", source_id=source.id,
            )
        digest = _verify(source, path)
        st = path.stat()
        return FetchedFile(source, path, digest, st.st_size, utc_iso(st.st_mtime), "mirror")

    path = raw_dir / source.relative_path
    if path.is_file() and not refresh and (not source.sha256 or sha256_file(path) == source.sha256):
        st = path.stat()
        return FetchedFile(source, path, sha256_file(path), st.st_size, utc_iso(st.st_mtime), "network")
    _download(source, path, session=session)
    digest = _verify(source, path)
    st = path.stat()
    return FetchedFile(source, path, digest, st.st_size, utc_iso(st.st_mtime), "network")


def _download(source: Source, dest: Path, *, session=None) -> None:
    """Download ``source.url`` to ``dest`` atomically, retrying transient failures."""
    import requests

    http = session or requests.Session()
    dest.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(RETRIES + 1):
        try:
            with http.get(source.url, timeout=TIMEOUT_S, stream=True,
                          headers={"User-Agent": USER_AGENT}) as resp:
                if resp.status_code == 404:
                    raise SourceError(f"Source '{source.id}': {source.url} answered 404 Not Found.",
                                      reason="download", source_id=source.id)
                resp.raise_for_status()
                fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
                try:
                    with os.fdopen(fd, "wb") as fh:
                        for chunk in resp.iter_content(1 << 16):
                            fh.write(chunk)
                    os.replace(tmp, dest)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
            return
        except SourceError:
            raise
        except Exception as exc:  # network errors, timeouts, 5xx: worth another try
            last_error = exc
            if attempt < RETRIES:
                time.sleep(1.5 * (attempt + 1))
    raise SourceError(
        f"Source '{source.id}': could not download {source.url} after {RETRIES + 1} attempts "
        f"({type(last_error).__name__}: {last_error}). Check the network, or set ATLAS_MIRROR to a "
        f"folder holding a copy.",
        reason="download", source_id=source.id,
    )
