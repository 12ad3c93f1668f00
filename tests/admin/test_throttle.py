"""The login throttle: growing delays per account and per client, shared by separate processes
(replicas on one machine) through one file, cleared by a success, never storing a password."""

from __future__ import annotations

import subprocess
import sys

from atlas import ROOT
from atlas.admin import throttle
from atlas.admin.throttle import Throttle, delay_for


def test_delays_grow_and_are_capped():
    assert [delay_for(n) for n in range(7)] == [0, 0, 0, 15, 30, 60, 120]
    assert delay_for(30) == throttle.MAX_DELAY_S


def test_per_account_and_per_client(tmp_path):
    now = [1000.0]
    th = Throttle(tmp_path / "auth.sqlite", clock=lambda: now[0])
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # one account from three addresses
        th.record("anna", client, "failure")
    assert th.wait_seconds("anna", "10.0.0.9") == 15  # the account waits, whatever the address
    assert th.wait_seconds("bo", "10.0.0.9") == 0
    for account in ("a", "b", "c", "d"):  # one address trying four accounts
        th.record(account, "10.9.9.9", "failure")
    assert th.wait_seconds("ny", "10.9.9.9") == 30
    now[0] += 31
    assert th.wait_seconds("ny", "10.9.9.9") == 0 and th.wait_seconds("anna", "10.0.0.1") == 0
    th.record("anna", "10.0.0.1", "success")
    th.record("anna", "10.0.0.1", "failure")
    assert th.wait_seconds("anna", "10.0.0.1") == 0  # the success cleared the earlier failures
    now[0] += throttle.WINDOW_S + 1
    assert th.wait_seconds("ny", "10.9.9.9") == 0


def test_shared_by_separate_processes(tmp_path):
    """Three failures recorded by two other processes (two replicas) make this one wait."""
    path = tmp_path / "auth.sqlite"
    script = ("import sys; from atlas.admin.throttle import Throttle; t = Throttle(sys.argv[1]); "
              "[t.record('anna', sys.argv[2], 'failure') for _ in range(int(sys.argv[3]))]")
    for client, n in (("10.0.0.1", "2"), ("10.0.0.2", "1")):
        subprocess.run([sys.executable, "-c", script, str(path), client, n], cwd=ROOT, check=True)
    assert 14 < Throttle(path).wait_seconds("anna", "10.0.0.3") <= 15
    assert {r[3] for r in Throttle(path).recent()} == {"failure"}
    assert b"password" not in path.read_bytes().lower()
