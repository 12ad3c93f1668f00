"""The admin page with AppTest: unreachable without authentication (not configured, wrong password,
lock-out, OIDC user not in the list), reachable for an admin, and an upload that is previewed,
confirmed, written, audited and restored; an invalid upload changes nothing."""

from __future__ import annotations

import hashlib
import io
import math
import shutil
import zipfile

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas import ROOT
from atlas.admin import auth, store, throttle, validate
from atlas.asf import md_escape
from atlas.build import fingerprint_path
from atlas.i18n import fmt_number, t
from tests.admin.corpus import bad_orgnr, csv_bytes

PAGE = ROOT / "pages" / "admin.py"
PASSWORD = "korrekt häst batteri häftstift"
ACCOUNT = "testare"
PW_SECRETS = {"accounts": {ACCOUNT: auth.hash_password(PASSWORD)}}
OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "s",
                 "server_metadata_url": "https://idp.example/.well-known/openid-configuration"},
        "admin": {"emails": ["Admin@Example.se"], "subjects": ["entra-oid-42"]}}


def _app(secrets: dict | None = None, user: dict | None = None, lang: str = "sv") -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    if lang != "sv":
        at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _is_admin_view(at: AppTest) -> bool:
    return len(at.get("file_uploader")) > 0 or len(at.tabs) > 0


def _login(at: AppTest, password: str, account: str = ACCOUNT) -> AppTest:
    at.text_input(key="admin_account").input(account)
    at.text_input(key="admin_password").input(password)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_not_configured(built_db, admin_db, lang):
    at = _app(lang=lang)
    assert [w.value for w in at.warning] == [t("admin.auth.not_configured", lang)]
    assert any("[admin.accounts]" in c.value for c in at.code)
    assert any("[auth]" in c.value for c in at.code)
    assert not _is_admin_view(at) and not at.text_input
    assert not admin_db.exists()  # nothing was even seeded


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_old_sha256_password_is_refused_with_the_way_forward(built_db, admin_db, lang):
    legacy = {"admin": {"password_sha256": hashlib.sha256(PASSWORD.encode()).hexdigest()}}
    at = _app(legacy, lang=lang)
    assert [e.value for e in at.error] == [t("admin.auth.legacy", lang)]
    assert "hash-password" in t("admin.auth.hash_hint", lang) and t("admin.auth.hash_hint", lang) in [
        c.value for c in at.caption]
    assert not at.text_input and not _is_admin_view(at)


def test_wrong_passwords_are_throttled_across_sessions(built_db, admin_db):
    """Throttling lives in the shared attempt store, not the browser session: a new session (a
    reload, another tab, another replica) is still made to wait, and the right password is not even
    checked while it waits."""
    at = _app({"admin": PW_SECRETS})
    for _ in range(throttle.FREE_FAILURES):
        _login(at, "fel lösenord")
        assert not _is_admin_view(at)
        assert t("admin.auth.wrong", "sv") in [e.value for e in at.error]
    assert at.warning[-1].value == t("admin.auth.throttled", "sv", seconds=int(throttle.FIRST_DELAY_S))
    fresh = _login(_app({"admin": PW_SECRETS}), PASSWORD)  # a new session, the right password
    assert not _is_admin_view(fresh)
    assert fresh.error[0].value.startswith(t("admin.auth.throttled", "sv", seconds=0)[:40])
    assert PASSWORD not in str(fresh._tree)
    outcomes = [r[3] for r in throttle.Throttle().recent()]
    assert outcomes == ["throttled", "failure", "failure", "failure"]


def test_unknown_account_is_a_failure_like_a_wrong_password(built_db):
    at = _login(_app({"admin": PW_SECRETS}), PASSWORD, account="okänd")
    assert not _is_admin_view(at)
    assert [e.value for e in at.error] == [t("admin.auth.wrong", "sv")]


def test_right_password_gives_controls_and_the_account_is_who(built_db):
    at = _login(_app({"admin": PW_SECRETS}), PASSWORD)
    assert _is_admin_view(at)
    assert t("admin.auth.signed_in", "sv", who=ACCOUNT) in [c.value for c in at.caption]
    assert [r[1:] for r in throttle.Throttle().recent()] == [(ACCOUNT, "unknown", "success")]


def test_unusable_account_entry_is_named(built_db):
    secrets = {"admin": {"accounts": {**PW_SECRETS["accounts"], "gammal": "a" * 64}}}
    at = _app(secrets)
    assert t("admin.auth.bad_account", "sv", name="gammal") in [w.value for w in at.warning]


def test_oidc_not_logged_in(built_db):
    at = _app(OIDC, user={"is_logged_in": False})
    assert not _is_admin_view(at)
    assert [b.label for b in at.button] == [t("admin.auth.login", "sv")]


def test_oidc_user_not_in_list_is_refused(built_db):
    at = _app(OIDC, user={"is_logged_in": True, "email": "someone@example.se", "email_verified": True})
    assert not _is_admin_view(at)
    assert t("admin.auth.oidc_not_admin", "sv", email=md_escape("someone@example.se")) in [e.value for e in at.error]


@pytest.mark.parametrize("verified", [False, "false", None])
def test_oidc_listed_but_unverified_email_is_refused(built_db, verified):
    user = {"is_logged_in": True, "email": "admin@example.se"}
    if verified is not None:
        user["email_verified"] = verified
    at = _app(OIDC, user=user)
    assert not _is_admin_view(at)
    assert t("admin.auth.oidc_unverified", "sv", email=md_escape("admin@example.se")) in [e.value for e in at.error]


def test_oidc_admin_gets_controls(built_db):
    at = _app(OIDC, user={"is_logged_in": True, "email": "admin@example.se", "email_verified": True})
    assert _is_admin_view(at)
    assert t("admin.auth.signed_in", "sv", who="admin@example.se") in [c.value for c in at.caption]


def test_oidc_listed_subject_gets_controls_without_email_verified(built_db):
    at = _app(OIDC, user={"is_logged_in": True, "sub": "entra-oid-42", "email": "Anna@Region.se"})
    assert _is_admin_view(at)
    assert t("admin.auth.signed_in", "sv", who="anna@region.se") in [c.value for c in at.caption]


def test_modes_and_decisions():
    assert auth.mode({}) == "none"
    assert auth.mode({"admin": {"emails": ["a@b.se"]}}) == "none"
    assert auth.mode({"admin": PW_SECRETS}) == "password"
    assert auth.mode({"admin": {"password_sha256": "ab" * 32}}) == "legacy"
    assert auth.mode({**OIDC, "admin": {**OIDC["admin"], **PW_SECRETS}}) == "oidc"
    ok = {"email_verified": True}
    assert auth.oidc_decision({"email": "ADMIN@example.se ", **ok}, OIDC) == ("admin@example.se", "ok")
    assert auth.oidc_decision({"email": "admin@example.se.evil", **ok}, OIDC) == (None, "not_admin")
    assert auth.oidc_decision({}, OIDC) == (None, "no_email")
    assert auth.oidc_decision({"sub": "entra-oid-42"}, OIDC) == ("sub:entra-oid-42", "subject")
    assert not auth.password_ok(ACCOUNT, PASSWORD, {"admin": {}})
    assert not auth.password_ok(ACCOUNT, PASSWORD + "x", {"admin": PW_SECRETS})
    assert auth.password_ok(ACCOUNT, PASSWORD, {"admin": PW_SECRETS})
    h1, h2 = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert h1 != h2 and h1.startswith("$argon2id$")  # salted: a new salt every time
    assert auth.password_problems("kort") == ["too_short", "too_simple"]
    assert auth.password_problems("testare-testare-testare", "testare") == ["contains_name"]
    assert auth.password_problems(PASSWORD) == []


def test_client_address_trusts_only_a_local_proxy():
    xff = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    assert auth.client_address("127.0.0.1", xff) == "198.51.100.7"  # the address nginx appended
    assert auth.client_address("192.0.2.1", xff) == "192.0.2.1"  # not a trusted proxy: its own address
    assert auth.client_address("10.0.0.5", xff, ["10.0.0.0/8"]) == "198.51.100.7"
    assert auth.client_address("127.0.0.1", {"X-Forwarded-For": "nonsense"}) == "127.0.0.1"
    assert auth.client_address(None, xff) == "unknown"


@pytest.fixture
def own_db(built_db, tmp_path, monkeypatch):
    """A copy of the session database, so the page's rebuild after saving touches only the copy."""
    path = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, path)
    shutil.copy(fingerprint_path(built_db), fingerprint_path(path))
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def _admin(lang: str = "sv") -> AppTest:
    return _app(OIDC, user={"is_logged_in": True, "email": "admin@example.se", "email_verified": True}, lang=lang)


def test_invalid_upload_shows_messages_and_changes_nothing(own_db, admin_db):
    at = _admin()
    before = hashlib.sha256(admin_db.read_bytes()).hexdigest()
    reg = store.register_frame(store.load())
    reg.loc[0, "organisationsnummer"] = bad_orgnr()
    at.get("file_uploader")[0].set_value(("register.csv", csv_bytes(reg, sep=";"), "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == t("admin.invalid", "sv", n=1)
    problems = at.dataframe[0].value
    assert problems.iloc[0].tolist() == [2, "organisationsnummer",
                                         t("admin.err.orgnr_checksum", "sv", value=bad_orgnr())]
    assert not [b for b in at.button if b.label == t("admin.apply", "sv")]
    assert hashlib.sha256(admin_db.read_bytes()).hexdigest() == before


def test_upload_preview_confirm_apply_and_restore(own_db, admin_db):
    at = _admin("en")
    reg = store.register_frame(store.load())
    first = reg.loc[0, "id"]
    seed_town = store.seed_tables()["enterprise"].set_index("asf_id").loc[first, "town"]
    reg.loc[reg["id"] == first, "ort"] = "Testort"
    data = csv_bytes(reg)
    at.get("file_uploader")[0].set_value(("nytt.csv", data, "text/csv")).run()
    preview = next(d.value for d in at.dataframe if t("admin.col_field", "en") in d.value.columns)
    assert preview.iloc[0].tolist() == [t("admin.table_enterprise", "en"), first, t("admin.change_changed", "en"),
                                        "ort", seed_town, "Testort"]
    apply = next(b for b in at.button if b.label == t("admin.apply", "en"))
    assert apply.disabled  # needs the confirmation first
    mtime = own_db.stat().st_mtime_ns
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == t("admin.apply", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    log = store.audit_log()
    assert log.iloc[0][["who", "action", "file_name", "file_sha256"]].tolist() == [
        "admin@example.se", "upload", "nytt.csv", hashlib.sha256(data).hexdigest()]
    assert store.load()["enterprise"].set_index("asf_id").loc[first, "town"] == "Testort"
    assert own_db.stat().st_mtime_ns != mtime  # the public database was rebuilt
    assert t("admin.applied", "en", id=int(log.iloc[0]["id"])) in [s.value for s in at.success]
    # restore the state before the upload from the log tab
    upload_id = int(log.iloc[0]["id"])
    at.selectbox(key=f"log_pick_{upload_id}").select(upload_id).run()
    restore_ok = next(c for c in at.checkbox if c.label == t("admin.restore_confirm", "en"))
    restore_ok.check().run()
    next(b for b in at.button if b.label == f"{t('admin.restore_pick', 'en')} #{upload_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.audit_log().iloc[0]["action"] == "restore"
    assert store.load()["enterprise"].equals(store.seed_tables()["enterprise"])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_hostile_uploads_get_a_message_in_the_users_language(own_db, admin_db, lang, monkeypatch):
    """Each bomb is refused with its message in the user's language, nothing is written, and a
    rerun (any click on the page) does not validate the same file again."""
    from tools.bench_uploads import BOMBS

    calls = []
    real = validate.validate
    monkeypatch.setattr(validate, "validate", lambda *a, **kw: calls.append(a[1]) or real(*a, **kw))
    st.cache_data.clear()
    at = _admin(lang)
    before = hashlib.sha256(admin_db.read_bytes()).hexdigest()
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(BOMBS["zip_bomb"]()[1])).infolist())
    expected = {"far_row": t("admin.err.too_many_rows", lang, max=fmt_number(validate.MAX_ROWS, lang)),
                "zip_bomb": t("admin.err.xlsx_unpacked", lang, size_mb=f"{math.ceil(unpacked / 104857.6) / 10:.1f}",
                                     max_mb="25"),  # MB rounded up
                "wide_header": t("admin.err.too_many_columns", lang, max=validate.MAX_COLUMNS)}
    for name, message in expected.items():
        file_name, data = BOMBS[name]()
        at.get("file_uploader")[0].set_value((file_name, data, "application/octet-stream")).run()
        assert not at.exception, [e.value for e in at.exception]
        if name == "wide_header":  # a problem in the header row: in the table, with its row
            assert at.error[0].value == t("admin.invalid", lang, n=1)
            assert at.dataframe[0].value.iloc[0].tolist() == [1, "", message]
        else:  # a problem with the whole file: read in full in the box, not in a table cell
            assert at.error[0].value == t("admin.invalid", lang, n=1) + "  \n" + md_escape(message)
            assert not at.tabs[0].dataframe  # the upload tab has no problems table
        assert not [b for b in at.button if b.label == t("admin.apply", lang)]
    assert calls == [BOMBS[n]()[0] for n in expected]
    at.run()  # a rerun with the last file still in the uploader
    assert calls == [BOMBS[n]()[0] for n in expected]  # answered from the cache
    assert hashlib.sha256(admin_db.read_bytes()).hexdigest() == before


def test_kommun_of_another_county_is_named(own_db, admin_db):
    at = _admin("en")
    reg = store.register_frame(store.load())
    reg.loc[reg["id"] == reg.loc[0, "id"], "kommunkod"] = "0180"
    at.get("file_uploader")[0].set_value(("k.csv", csv_bytes(reg), "text/csv")).run()
    messages = at.dataframe[0].value.iloc[:, 2].tolist()
    assert messages[0] == t("admin.err.kommun_other_county", "en", value="0180", county="Dalarna County")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_rules_tab_lists_the_bounds(built_db, lang):
    at = _admin(lang)
    rules = next(m.value for m in at.markdown if "`omsättning_tkr`" in m.value)
    for _, high in validate.BOUNDS.values():
        assert fmt_number(high, lang) in rules
    assert fmt_number(validate.MAX_ROWS, lang) in rules and str(validate.MAX_COLUMNS) in rules
    assert ("Dalarnas län" if lang == "sv" else "Dalarna County") in rules


def test_store_held_by_another_process_says_try_again(own_db, admin_db, monkeypatch):
    """Another replica saving (its process holds the store's file lock): the page says another
    administrator is saving and offers a retry, never a traceback; once free, the retry works."""
    import subprocess
    import sys

    store.ensure(admin_db)
    monkeypatch.setattr(store, "BUSY_WAIT_S", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); sys.stdin.readline()", str(admin_db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        at = _admin("en")
        assert [w.value for w in at.warning] == [t("admin.store_busy", "en")]
        assert t("admin.retry", "en") in [b.label for b in at.button]
        assert not _is_admin_view(at)
    finally:
        holder.communicate("\n", timeout=10)
    next(b for b in at.button if b.label == t("admin.retry", "en")).click().run()
    assert not at.exception and _is_admin_view(at)


def test_visitors_never_see_tracebacks():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
