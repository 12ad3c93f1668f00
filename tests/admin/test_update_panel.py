"""The admin's 'Uppdatera data' action: offline it fails fast with a message and changes nothing."""

from __future__ import annotations

import hashlib
import time

from atlas.i18n import t
from tests.admin.test_page import PASSWORD, PW_SECRETS, _app, _login


def test_update_offline_reports_and_changes_nothing(built_db, admin_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_LIVE_DIR", str(tmp_path / "live"))
    # Point every API at a closed loopback port: the same as being offline, without any real traffic.
    from atlas.live import update

    monkeypatch.setattr(update, "DEFAULT_BASE_URLS", {k: "http://127.0.0.1:9" for k in update.DEFAULT_BASE_URLS})
    before = hashlib.sha256(built_db.read_bytes()).hexdigest()
    at = _login(_app({"admin": PW_SECRETS}), PASSWORD)
    t0 = time.monotonic()
    at.button(key="run_update").click().run(timeout=120)
    assert time.monotonic() - t0 < 60
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "an offline update must say it failed"
    assert hashlib.sha256(built_db.read_bytes()).hexdigest() == before
    assert not (tmp_path / "live").exists() or not any((tmp_path / "live").glob("*.parquet"))
    assert t("update.tab", "sv")
