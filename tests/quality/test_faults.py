"""Faults: a damaged, locked or half-written database and a full disk never show a traceback; the
app serves the last good database or explains exactly what to do, and a failed build leaves the last
good file alone."""

from __future__ import annotations

import errno
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from atlas import ROOT, build as build_mod
from atlas.build import BuildError, build
from atlas.paths import fingerprint_path, previous_path
from atlas.i18n import t


def _copy_db(src: Path, dest_dir: Path) -> Path:
    dest = dest_dir / "atlas.duckdb"
    shutil.copy(src, dest)
    shutil.copy(fingerprint_path(src), fingerprint_path(dest))
    return dest


def _app(lang="sv") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    return at


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_truncated_database_serves_last_good_and_never_rebuilds(tmp_path, built_db, monkeypatch):
    """A visitor's page load never rebuilds: a damaged file is replaced on screen by the last good
    database (kept at every swap), with a notice saying so, and the damaged file is left for an
    administrator."""
    db = _copy_db(built_db, tmp_path)
    shutil.copy(db, previous_path(db))
    shutil.copy(fingerprint_path(db), fingerprint_path(previous_path(db)))
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    damaged = _sha(db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = _app().run()
    assert not at.exception
    built_at = __import__("json").loads(fingerprint_path(db).read_text())["built_at"]
    assert at.warning[0].value == t("build.serving_previous", "sv", built_at=built_at[:16].replace("T", " "))
    assert at.metric  # the overview rendered from the last good database
    assert _sha(db) == damaged  # not rebuilt by the page load


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_truncated_database_without_previous_explains(tmp_path, built_db, monkeypatch, lang):
    db = _copy_db(built_db, tmp_path)
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    damaged = _sha(db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = _app(lang).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("build.unreadable", lang)]
    assert t("build.unreadable_advice", lang) in [m.value for m in at.markdown]
    assert not at.metric
    assert _sha(db) == damaged


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_first_build_failure_explains_in_the_readers_language(tmp_path, monkeypatch, lang):
    """No database and no way to build one (the mirror folder is gone): the first screen says why in
    the reader's language, what to do, offers a retry, and keeps the English detail folded away."""
    monkeypatch.setenv("ATLAS_DB", str(tmp_path / "atlas.duckdb"))
    monkeypatch.setenv("ATLAS_MIRROR", str(tmp_path / "no-mirror"))
    at = _app(lang).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("build.failed_title", lang)]
    texts = [m.value for m in at.markdown]
    assert t("build.reason.mirror_missing", lang) in texts and t("build.advice", lang) in texts
    assert "../shared" not in " ".join(texts)  # no folder only our CI has
    assert [b.label for b in at.button] == [t("build.retry", lang)]
    assert "no-mirror" in at.code[0].value  # the technical detail, for whoever runs the server
    assert not (tmp_path / "atlas.duckdb").exists()


def test_locked_database_says_wait(tmp_path, built_db, monkeypatch):
    db = _copy_db(built_db, tmp_path)
    fingerprint_path(db).unlink()  # the lock, not the checksum, is what this test is about
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, time, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("ATLAS_DB", str(db))
        at = _app("en").run()
        assert not at.exception
        assert any("in use by another process" in w.value for w in at.warning)
    finally:
        holder.kill()
        holder.wait()


def test_query_error_is_explained_not_raised(tmp_path, built_db, monkeypatch):
    db = _copy_db(built_db, tmp_path)
    fingerprint_path(db).unlink()  # no checksum: simulate a database from an older, different build
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE occupation_outlook")
    con.close()
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = _app("sv").run()
    assert not at.exception
    assert any(t("build.query_failed", "sv", error="")[:25] in e.value for e in at.error)


def test_disk_full_during_build_keeps_previous_database(tmp_path, built_db, mirror, monkeypatch):
    db = _copy_db(built_db, tmp_path)
    before = _sha(db)
    real_write = build_mod._write

    def full_disk(tmp, *args):
        real_write(tmp, *args)  # the temp file is written, then the disk "fills up"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_mod, "_write", full_disk)
    with pytest.raises(BuildError, match="No space left on device"):
        build(db, mirror=mirror, force=True)
    assert _sha(db) == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != ".atlas-writer.lock")
    assert left == sorted([db.name, fingerprint_path(db).name])
