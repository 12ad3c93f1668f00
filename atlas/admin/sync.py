"""Several hosts, one truth: each host rebuilds its own read database when the shared admin register
changes. ``python -m atlas sync`` runs beside a host's replicas (one per host) and polls the
store's newest audit entry (one indexed query); when it differs from the last one seen, it runs the
ordinary build, which reads the register, compares the fingerprint of every input and, when
anything changed, writes a new file and swaps it in atomically under the folder's writer lock
(atlas.build.install). The replicas notice the new file on their next query.

When the store cannot be reached, the served database stays as it is and the poll tries again; the
error is logged once per kind, not every few seconds.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from atlas.admin import store
from atlas.build import BuildError, build
from atlas.paths import db_path

_log = logging.getLogger("atlas.sync")


def sync_once(db: Path, seen: tuple | None, *, build_fn: Callable = build) -> tuple | None:
    """One poll: rebuild ``db`` when the register's newest entry differs from ``seen``; returns what
    was seen now (``seen`` itself when the store could not be read or the build failed, so the next
    poll tries again). The first poll (``seen`` None) always builds: the build skips unchanged inputs."""
    try:
        now = store.last_change(store.location(beside=db))
    except store.StoreError as exc:
        _log.warning("sync: the admin store cannot be read (%s); %s keeps serving", exc, db)
        return seen
    if seen is not None and now == seen:
        return seen
    try:
        result = build_fn(db, trigger="admin")
    except BuildError as exc:
        _log.warning("sync: rebuild failed (%s); %s keeps serving", exc, db)
        return seen
    _log.info("sync: register at %s; %s %s", now, db, "unchanged" if result.skipped else "rebuilt")
    return now


def run(db: Path | None = None, *, interval: float = 5.0, once: bool = False,
        build_fn: Callable = build) -> int:
    """Poll every ``interval`` seconds until stopped (``once``: a single poll). Exit status 0."""
    db = Path(db or db_path())
    seen = None
    while True:
        seen = sync_once(db, seen, build_fn=build_fn)
        if once:
            return 0
        time.sleep(interval)
