"""Fixtures for the deployment tests: scripts/replicas.sh run for real (nginx in front of Streamlit
replicas; in hosts mode two "hosts" on one PostgreSQL), and curl to talk to it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from atlas import ROOT
from atlas.build import fingerprint_path
from tests.pgserver import pg_server, pg_url  # noqa: F401  (fixtures)

SCRIPT = ROOT / "scripts" / "replicas.sh"


def need(tool: str, install: str) -> None:
    """Skip (fail in CI, which installs it: scripts/test.sh) when ``tool`` is not on PATH."""
    if shutil.which(tool):
        return
    reason = f"{tool} not found: {install}"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def free_base() -> int:
    """A base port whose +5, +11, +12, +21 and +22 are free too (replicas.sh's layout)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 60000:
            continue
        ok = True
        for off in (0, 5, 11, 12, 21, 22):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", base + off))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port range")


@dataclass
class Deployment:
    run: Path
    port: int
    env: dict

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def curl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True, timeout=30)


def deployment(tmp: Path, built_db: Path, **extra_env: str) -> Deployment:
    """An environment for replicas.sh with its own run folder and a copy of the session database."""
    db = tmp / "db" / "atlas.duckdb"
    db.parent.mkdir(parents=True)
    shutil.copy(built_db, db)
    shutil.copy(fingerprint_path(built_db), fingerprint_path(db))
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_ADMIN_DATABASE_URL"}
    env.update({"ATLAS_RUN_DIR": str(tmp / "run"), "ATLAS_DB": str(db),
                "ATLAS_ADMIN_DB": str(tmp / "db" / "asf_admin.duckdb"), **extra_env})
    env.setdefault("ATLAS_LIVE_DIR", str(tmp / "live"))  # the mirror only, as the session database
    return Deployment(tmp / "run", free_base(), env)
