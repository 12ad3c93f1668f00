"""One process of the concurrency test (tests/quality/test_concurrency.py):

    python -m tests.quality.concurrency_worker read <db> <stop-file>
    python -m tests.quality.concurrency_worker build <db>
    python -m tests.quality.concurrency_worker update <db> <kolada-url> <live-dir>

``read`` queries the served database until <stop-file> exists and prints a JSON line with the number
of reads and every error it met; the writers exit 0 when they succeeded."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def read(db: Path, stop: Path) -> int:
    from atlas import db as atlas_db

    reads, errors, files = 0, [], set()
    while not stop.exists():
        try:
            df = atlas_db.run("latest_values", indicator="arbetsloshet", regions=["20"])
            if df.empty:
                errors.append("latest_values returned no rows")
            files.add(atlas_db.status(db)["built_at"])
            reads += 1
        except Exception as exc:  # every error is the finding: record it, keep reading
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.005)
    print(json.dumps({"reads": reads, "errors": errors[:20], "n_errors": len(errors),
                      "versions_seen": len(files)}))
    return 0


def build(db: Path) -> int:
    from atlas.build import build as run_build

    run_build(db, force=True)
    return 0


def update(db: Path, kolada: str, live: Path) -> int:
    from atlas.live.update import run_update
    from tests.live.fakeapi import quick_http

    result = run_update("20", datasets=["kolada_n03926"], live_dir=live, db=db, base_urls={"kolada": kolada},
                        http=quick_http())
    print(json.dumps({"ok": result.ok, "rebuilt": result.rebuilt,
                      "statuses": [(s.key, s.status, s.message_en) for s in result.datasets]}))
    return 0 if result.ok and result.rebuilt else 1


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "read":
        sys.exit(read(Path(sys.argv[2]), Path(sys.argv[3])))
    if mode == "build":
        sys.exit(build(Path(sys.argv[2])))
    if mode == "update":
        sys.exit(update(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])))
    sys.exit(f"unknown mode {mode}")
