"""The systemd units for a production host (deploy/systemd/) pass systemd's own checker with this
checkout's paths filled in, and name only settings the app reads. (No systemd runs here: starting
them is left to a real host.) Skipped without systemd-analyze."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from atlas import ROOT

UNITS = ROOT / "deploy" / "systemd"


def test_units_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not found (Debian package systemd)")
    env = tmp_path / "atlas.env"
    env.write_text("")
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        text = (text.replace("/opt/inkluderingsatlas/.venv/bin/python", sys.executable)
                    .replace("/opt/inkluderingsatlas", str(ROOT))
                    .replace("/etc/inkluderingsatlas/atlas.env", str(env)))
        (tmp_path / unit.name).write_text(text)
    shutil.copy(tmp_path / "atlas@.service", tmp_path / "atlas@8611.service")
    names = ["atlas@8611.service", "atlas-build.service", "atlas-sync.service"]
    res = subprocess.run(["systemd-analyze", "verify", "--man=no", *[str(tmp_path / n) for n in names]],
                         capture_output=True, text=True, timeout=60)
    ours = [line for line in (res.stdout + res.stderr).splitlines() if any(n.split("@")[0] in line for n in names)]
    assert res.returncode == 0 and not ours, res.stdout + res.stderr


def test_units_run_commands_that_exist():
    for unit in UNITS.glob("*.service"):
        cmd = re.search(r"^ExecStart=\S+ -m (\S+)(?: (\w+))?", unit.read_text(encoding="utf-8"), re.M)
        module, sub = cmd.group(1), cmd.group(2)
        args = [sys.executable, "-m", module] + ([sub, "--help"] if module == "atlas" else ["--help"])
        assert subprocess.run(args, cwd=ROOT, capture_output=True, timeout=120).returncode == 0, unit.name


def test_environment_example_names_settings_the_app_reads():
    names = re.findall(r"^([A-Z_]+)=", (UNITS / "atlas.env.example").read_text(encoding="utf-8"), re.M)
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "atlas").rglob("*.py"))
    assert names and all(f'"{n}"' in code for n in names), names
