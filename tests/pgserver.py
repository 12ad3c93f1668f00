"""A real, throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder, on a
free loopback port, with password (scram-sha-256) logins only.

PostgreSQL refuses to run as root; as root the server runs as the ``postgres`` user the Debian
package creates (runuser). Where no server can be started, ``start`` returns the reason and the
tests that need one are skipped with it (visible in pytest's summary with -rs).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "atlas_test"
PASSWORD = "test-only-password"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    root: Path
    port: int
    bin: Path
    run_as: str | None

    def url(self, dbname: str = "postgres", *, user: str = SUPERUSER, password: str = PASSWORD,
            port: int | None = None) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{port or self.port}/{dbname}"

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.run_as, "--"] if self.run_as else []) + list(args)

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", mode, "-w", "stop"),
                       capture_output=True, timeout=60)

    def start_again(self) -> None:
        _pg_ctl_start(self)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _pg_ctl_start(server: PgServer) -> None:
    opts = (f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={server.root} "
            f"-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
    res = subprocess.run(server._cmd(str(server.bin / "pg_ctl"), "-D", str(server.root / "data"), "-o", opts,
                                     "-l", str(server.root / "server.log"), "-w", "-t", "60", "start"),
                         capture_output=True, text=True, timeout=90)
    if res.returncode != 0:
        log = (server.root / "server.log").read_text(errors="replace")[-800:] if (server.root / "server.log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {res.stderr.strip()[:400]} {log}")


def start() -> PgServer | str:
    """A running server, or the reason none could be started."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
        if not shutil.which("runuser"):
            return "running as root and runuser (util-linux) is missing"
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    server = PgServer(root, _free_port(), bin_dir, run_as)
    try:
        pwfile = root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if run_as:
            info = pwd.getpwnam(run_as)
            os.chown(root, info.pw_uid, info.pw_gid)
            os.chown(pwfile, info.pw_uid, info.pw_gid)
        res = subprocess.run(server._cmd(str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER,
                                         "--pwfile", str(pwfile), "--auth", "scram-sha-256", "-E", "UTF8",
                                         "--locale", "C"),
                             capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed: {res.stderr.strip()[:400]}")
        _pg_ctl_start(server)
        for _ in range(50):
            try:
                import psycopg

                psycopg.connect(server.url(), connect_timeout=2).close()
                return server
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("the server started but does not accept logins")
    except Exception as exc:
        server.remove()
        return f"PostgreSQL could not be started here: {exc}"


# --- Fixtures (imported by the conftest files that need them) ------------------------------------

import itertools  # noqa: E402
import threading  # noqa: E402

import pytest  # noqa: E402

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session; skipped with the reason when none can be started."""
    server = start()
    if isinstance(server, str):
        if os.environ.get("CI"):  # CI installs PostgreSQL (scripts/test.sh): missing there is a failure
            pytest.fail(server)
        pytest.skip(server)
    yield server
    server.remove()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the session's server: its URL."""
    return pg_server.create_database(f"t{os.getpid()}_{next(_names)}")


class Proxy:
    """A TCP relay in front of the server, to cut the network in the middle of a conversation:
    ``cut()`` closes every relayed connection at once (both directions) and refuses new ones."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.closed = True
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
