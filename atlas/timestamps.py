"""One way to stamp a time: UTC, to the second, ISO 8601 ('2026-12-03T05:04:53+00:00')."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """Now in UTC as ISO 8601 without fractions of a second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def utc_iso(timestamp: float) -> str:
    """A Unix timestamp (e.g. a file's mtime) as utc_now() writes times."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(microsecond=0).isoformat()
