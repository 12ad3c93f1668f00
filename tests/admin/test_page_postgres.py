"""The admin page and the login throttle with the store on a real PostgreSQL server (started by the
tests; skipped with the reason where none can be started): a second administrator's save is
refused with what the first one changed, a server that is down or refuses the login gives a clear
message, and a build against an unreachable store leaves the served database as it was."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from atlas import ROOT, db
from atlas.admin import store, throttle
from atlas.admin.backend import URL_ENV
from atlas.build import BuildError, build
from atlas.asf import md_escape
from atlas.i18n import t
from tests.admin.corpus import csv_bytes
from tests.admin.test_page import PASSWORD, PW_SECRETS, _admin, _app, _is_admin_view, _login, own_db  # noqa: F401


def _closed_url(pg_server) -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return pg_server.url(port=port)


def test_second_admin_sees_what_the_first_changed(own_db, pg_url, monkeypatch):
    monkeypatch.setenv(URL_ENV, pg_url)
    at = _admin("en")
    assert store.describe() in next(c.value for c in at.caption if "PostgreSQL" in c.value)
    reg = store.register_frame(store.load())
    first = reg.loc[0, "id"]
    reg.loc[reg["id"] == first, "ort"] = "Bos ort"
    at.get("file_uploader")[0].set_value(("bo.csv", csv_bytes(reg), "text/csv")).run()
    # meanwhile an administrator on another host saves a change of her own
    other = reg.copy()
    other.loc[other["id"] == first, "ort"] = "Annas ort"
    from atlas.admin import validate

    res = validate.validate(csv_bytes(other), "anna.csv", frozenset(reg["kommunkod"]) - {""})
    assert res.ok, res.problems[:3]
    store.apply_register(res.enterprise, res.fact, who="anna@example.se", file_name="anna.csv", sha256=res.sha256,
                         expected=1)
    at.checkbox[0].check().run()  # bo's next click: the page tells him instead of clearing his upload
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.label == t("admin.apply", "en")]
    assert t("admin.conflict", "en", who=md_escape("anna@example.se"), ids="#2") in [w.value for w in at.warning]
    changes = next(d.value for d in at.dataframe if t("admin.col_field", "en") in d.value.columns)
    assert changes.iloc[0].tolist()[1:] == [first, t("admin.change_changed", "en"), "ort",
                                            store.seed_tables()["enterprise"].set_index("asf_id").loc[first, "town"],
                                            "Annas ort"]
    assert store.audit_log()["who"].tolist() == ["anna@example.se", "system"]  # nothing of bo's
    assert store.load()["enterprise"].set_index("asf_id").loc[first, "town"] == "Annas ort"
    next(b for b in at.button if b.label == t("admin.conflict_reload", "en")).click().run()
    assert _is_admin_view(at) and not at.warning


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("fault", ["down", "login", "missing"])
def test_store_unreachable_gives_a_clear_message(own_db, pg_server, monkeypatch, fault, lang):
    url = {"down": _closed_url(pg_server), "login": pg_server.url(password="fel"),
           "missing": pg_server.url("finns_inte")}[fault]
    monkeypatch.setenv(URL_ENV, url)
    at = _admin(lang)
    assert [e.value for e in at.error] == [t(f"admin.store_unavailable_{fault}", lang)]
    assert not _is_admin_view(at)
    assert t("admin.retry", lang) in [b.label for b in at.button]


def test_login_is_refused_when_the_throttle_cannot_be_reached(own_db, pg_server, monkeypatch):
    monkeypatch.setenv(URL_ENV, _closed_url(pg_server))
    at = _login(_app({"admin": PW_SECRETS}, lang="en"), PASSWORD)
    assert t("admin.auth.unavailable", "en") in [e.value for e in at.error]
    assert not _is_admin_view(at)


def test_throttle_holds_across_hosts(pg_url):
    """Failures recorded by two other processes (replicas on two hosts) make this one wait."""
    script = ("import sys; from atlas.admin.throttle import Throttle; t = Throttle(sys.argv[1]); "
              "[t.record('anna', sys.argv[2], 'failure') for _ in range(int(sys.argv[3]))]")
    for client, n in (("10.0.0.1", "2"), ("10.0.0.2", "1")):
        subprocess.run([sys.executable, "-c", script, pg_url, client, n], cwd=ROOT, check=True)
    th = throttle.Throttle(pg_url)
    assert 5 < th.wait_seconds("anna", "10.0.0.3") <= 15  # 15 s after the last failure (subprocesses are slow here)
    th.record("anna", "10.0.0.3", "success")
    assert th.wait_seconds("anna", "10.0.0.3") == 0
    assert [r[3] for r in th.recent()] == ["success", "failure-cleared", "failure-cleared", "failure-cleared"]


def test_configured_by_the_secrets_file_too(tmp_path, monkeypatch, pg_url):
    from atlas.admin import backend

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[admin]\ndatabase_url = "{pg_url}"\n')
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.setattr(backend, "_secrets_files", lambda: [secrets])
    assert backend.configured_url() == pg_url
    assert store.location() == pg_url and throttle.Throttle().url == pg_url
    monkeypatch.setenv(URL_ENV, "postgresql://other")
    assert backend.configured_url() == "postgresql://other"  # the environment wins


def test_build_with_the_store_down_keeps_the_served_database(own_db, pg_server, pg_url, monkeypatch):
    monkeypatch.setenv(URL_ENV, pg_url)
    build(own_db, force=True)  # the register now comes from PostgreSQL
    assert db.run("sources").set_index("id").loc["curated_asf", "origin"] == "admin"
    before = hashlib.sha256(own_db.read_bytes()).hexdigest()
    monkeypatch.setenv(URL_ENV, _closed_url(pg_server))
    with pytest.raises(BuildError, match="admin register could not be read"):
        build(own_db, force=True)
    assert hashlib.sha256(own_db.read_bytes()).hexdigest() == before
    assert len(db.run("regions_all")) > 0  # the public pages keep reading it


def test_a_save_racing_another_is_refused_with_what_changed(own_db, pg_url, monkeypatch):
    """The other administrator's save lands between this page's read and its save (the same
    moment): the save is refused by the store (expected id) and the page shows the conflict."""
    monkeypatch.setenv(URL_ENV, pg_url)
    at = _admin("en")
    reg = store.register_frame(store.load())
    first = reg.loc[0, "id"]
    reg.loc[reg["id"] == first, "ort"] = "Bos ort"
    at.get("file_uploader")[0].set_value(("bo.csv", csv_bytes(reg), "text/csv")).run()
    at.checkbox[0].check().run()
    real = store.apply_register

    def anna_first(*args, **kwargs):  # anna's save commits just before bo's
        other = reg.copy()
        other.loc[other["id"] == first, "ort"] = "Annas ort"
        from atlas.admin import validate

        res = validate.validate(csv_bytes(other), "anna.csv", frozenset(reg["kommunkod"]) - {""})
        real(res.enterprise, res.fact, who="anna", file_name="anna.csv", sha256=res.sha256, expected=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "apply_register", anna_first)
    next(b for b in at.button if b.label == t("admin.apply", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("admin.conflict", "en", who="anna", ids="#2") in [w.value for w in at.warning]
    assert store.audit_log()["who"].tolist() == ["anna", "system"]


def test_damaged_store_file_gives_a_message(own_db, admin_db):
    admin_db.write_bytes(b"not a database" * 100)
    at = _admin("en")
    assert len(at.error) == 1 and at.error[0].value.startswith(t("admin.store_failed", "en", error="")[:20])
    assert str(admin_db) in at.error[0].value and not _is_admin_view(at)
