"""One writer at a time, and readers that never pair a new database with an old checksum.

Two advisory file locks (fcntl.flock: released by the OS when a process dies, per open file, so
threads of one process exclude each other too):

- ``writer_lock(db)``: exclusive, held by every writer for its whole run: ``python -m atlas build``,
  ``python -m atlas update``, the admin page's rebuild and the first build at app start. It is one
  lock per folder, so an update that builds a side file beside the database and then swaps it in
  holds the same lock as a plain build. Re-entrant within a thread (the update takes it, then calls
  the build, which takes it again).
- ``swap_lock(db)``: exclusive only while the database file and its fingerprint are renamed into
  place (a few milliseconds); shared while a reader checks the file against the fingerprint and
  opens it.
"""

from __future__ import annotations

import fcntl
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from atlas.paths import swap_lock_path, writer_lock_path


class LockTimeout(RuntimeError):
    """Another writer held the lock longer than the caller was prepared to wait."""


_held = threading.local()


def _held_paths() -> set[str]:
    if not hasattr(_held, "paths"):
        _held.paths = set()
    return _held.paths


@contextmanager
def writer_lock(db: Path, *, timeout: float | None = None,
                on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the exclusive writer lock for ``db``'s folder. When another process (or thread) holds
    it, ``on_wait()`` is called once and the call waits: for ever (``timeout=None``) or up to
    ``timeout`` seconds, then raises LockTimeout."""
    path = writer_lock_path(db)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    if key in _held_paths():  # this thread holds it already
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        _acquire(fh, fcntl.LOCK_EX, timeout, on_wait)
        _held_paths().add(key)
        try:
            yield
        finally:
            _held_paths().discard(key)
            fcntl.flock(fh, fcntl.LOCK_UN)


def writer_busy(db: Path) -> bool:
    """True when another process or thread holds the writer lock now (a hint for messages only)."""
    path = writer_lock_path(db)
    if not path.exists():
        return False
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


@contextmanager
def swap_lock(db: Path, *, shared: bool) -> Iterator[None]:
    """Exclusive for the writer's swap, shared for a reader's check. A reader that cannot create the
    lock file (a read-only folder, where nothing can be swapped either) goes without it."""
    path = swap_lock_path(Path(db))
    try:
        fh = open(path, "a")
    except OSError:
        if not shared:
            raise
        yield
        return
    with fh:
        _acquire(fh, fcntl.LOCK_SH if shared else fcntl.LOCK_EX, None, None)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _acquire(fh, mode: int, timeout: float | None, on_wait: Callable[[], None] | None) -> None:
    try:
        fcntl.flock(fh, mode | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if on_wait is not None:
        on_wait()
    if timeout is None:
        fcntl.flock(fh, mode)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(f"{fh.name} is held by another writer") from None
            time.sleep(0.05)
