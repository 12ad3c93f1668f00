"""Load at Streamlit's own scale, against the targets: 50 protocol sessions per replica
(tools/wsload.py) with a few real browsers alongside, first against one replica, then against two
behind nginx (scripts/replicas.sh), and the comparison.

    python -m tools.bench_load [--seconds 60] [--per-replica 50] [--browsers 3] [--skip-nginx]

Also part of ``python -m tools.bench`` (not with --quick or --skip-load). Each server is warmed
first (every link once), so the memory growth is the sessions', not the caches' first fill. Needs
Chromium for the browsers and nginx for the second run (skipped with a note without it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from atlas import ROOT
from tools import wsload


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str, tries: int = 300) -> None:
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def one_replica(db: Path, seconds: float, sessions: int, browsers: int) -> dict:
    """50 sessions (``sessions``) against one Streamlit server of its own."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "atlas.ui.serve", "--server.port", str(port), "--server.address",
                             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env={**os.environ, "ATLAS_DB": str(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _healthy(url)
        asyncio.run(wsload.warm(url))
        return asyncio.run(wsload.run(url, sessions, seconds, pids=[proc.pid], browsers=browsers))
    finally:
        proc.terminate()
        proc.wait(20)


def two_replicas(db: Path, seconds: float, per_replica: int, browsers: int) -> dict | None:
    """2 x ``per_replica`` sessions through nginx in front of two replicas (scripts/replicas.sh)."""
    if not shutil.which("nginx"):
        print("nginx not found (apt-get install nginx): the two-replica run is skipped", file=sys.stderr)
        return None
    run_dir = Path(tempfile.mkdtemp(prefix="atlas-bench-nginx-"))
    port = _free_port()
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_RUN_DIR": str(run_dir)}
    script = ["bash", str(ROOT / "scripts" / "replicas.sh")]
    res = subprocess.run([*script, "start", "2", str(port)], cwd=ROOT, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"replicas.sh failed: {res.stderr[-800:]}")
    try:
        replicas = [int((run_dir / f"replica-{i}.pid").read_text()) for i in (1, 2)]
        for i in (1, 2):  # warm each replica directly: nginx would send the warm-up to one of them
            asyncio.run(wsload.warm(f"http://127.0.0.1:{port + 10 + i}"))
        return asyncio.run(wsload.run(f"http://127.0.0.1:{port}", 2 * per_replica, seconds, pids=replicas,
                                      browsers=browsers))
    finally:
        subprocess.run([*script, "stop"], cwd=ROOT, env=env, capture_output=True)
        shutil.rmtree(run_dir, ignore_errors=True)


def bench_load(db: Path, seconds: float = 60, per_replica: int = 50, browsers: int = 3, nginx: bool = True) -> dict:
    if browsers and not shutil.which("chromium"):
        print("chromium not found: no real browsers alongside", file=sys.stderr)
        browsers = 0
    out = {"one_replica": one_replica(db, seconds, per_replica, browsers)}
    if nginx:
        out["two_replicas_nginx"] = two_replicas(db, seconds, per_replica, browsers)
    return out


def rows(res: dict) -> list[tuple]:
    """The benchmark's rows: targets per run, then the comparison."""
    out = wsload.target_rows(res["one_replica"], f"load 1 replica x {res['one_replica']['sessions']}")
    two = res.get("two_replicas_nginx")
    if two:
        out += wsload.target_rows(two, f"load 2 replicas x {two['sessions'] // 2} (nginx)")
        one = res["one_replica"]
        out.append(("two replicas / one: run p95", two["p95_s"] / one["p95_s"], "x", None))
        out.append(("two replicas / one: runs per second",
                    (two["runs"] / two["seconds"]) / (one["runs"] / one["seconds"]), "x", None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench_load")
    ap.add_argument("--db", help="database (default: $ATLAS_DB or data/atlas.duckdb)")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--per-replica", type=int, default=50)
    ap.add_argument("--browsers", type=int, default=3)
    ap.add_argument("--skip-nginx", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    from atlas.paths import db_path

    db = Path(args.db) if args.db else db_path()
    res = bench_load(db, args.seconds, args.per_replica, args.browsers, nginx=not args.skip_nginx)
    wsload.print_rows(rows(res))
    for label, r in res.items():
        if r:
            print(f"{label}: {r['sessions']} sessions, think {r['think_s'][0]:g}-{r['think_s'][1]:g} s, "
                  f"{r['runs']} runs in {r['seconds']} s; machine load average {r['loadavg_before']:.1f} -> "
                  f"{r['loadavg_after']:.1f} on {r['cpus']} CPUs")
            for e in r["errors"][:10]:
                print("  ERROR", e)
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
