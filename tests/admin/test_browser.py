"""The admin page in a real headless Chromium: without configuration it only says how to configure
it; with an account configured, a wrong password shows no controls and the right one does; the
throttle survives a reload; Streamlit's real OIDC login (Authlib) against a local provider admits only
a verified e-mail.
Screenshots go to test-artifacts/admin-*.png."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from atlas import ROOT
from atlas.admin.auth import hash_password
from atlas.i18n import t

# pytest-playwright's session browser, launched as in tests/browser (Debian chromium): a second
# sync_playwright of its own here failed whenever the browser suite had started first.
from tests.browser.conftest import (
    browser_type_launch_args,  # noqa: F401
    launch,
    stop_server,
)

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "rätt lösenord med 42 tecken"
ACCOUNT = "anna"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(cwd: Path, db: Path, admin_db: Path, port: int | None = None):
    """Streamlit serving pages/admin.py from ``cwd`` (where .streamlit/secrets.toml is looked up)."""
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_ADMIN_DB": str(admin_db), "PYTHONPATH": str(ROOT),
           "ATLAS_AUTH_DB": str(cwd / "admin_auth.sqlite"),
           "HOME": str(cwd)}  # no ~/.streamlit/secrets.toml of the machine's user leaks in
    return launch(["-m", "streamlit", "run", str(ROOT / "pages" / "admin.py")], env=env, cwd=cwd,
                  log_path=cwd / "server.log", port=port)


def _secrets(cwd: Path, text: str) -> None:
    (cwd / ".streamlit").mkdir(exist_ok=True)
    (cwd / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_unconfigured_page_says_how_to_configure(built_db, tmp_path, admin_db, browser):
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(url)
        page.get_by_text(t("admin.auth.not_configured", "sv")).wait_for(timeout=30000)
        page.get_by_text("[admin.accounts]").first.wait_for(timeout=30000)  # code blocks render last
        body = page.locator("body").inner_text()
        assert "[admin.accounts]" in body and "[auth]" in body
        assert page.locator("input[type=file]").count() == 0
        assert page.locator("input[type=password]").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-not-configured.png"))
    finally:
        stop_server(proc, log)
    assert not admin_db.exists()


def _log_in(page, account: str, password: str) -> None:
    page.get_by_label(t("admin.auth.account", "sv")).fill(account)
    page.get_by_label(t("admin.auth.password", "sv")).fill(password)
    page.get_by_role("button", name=t("admin.auth.login", "sv")).click()


def test_password_login_in_browser(built_db, tmp_path, admin_db, browser):
    _secrets(tmp_path, f'[admin.accounts]\n{ACCOUNT} = "{hash_password(PASSWORD)}"\n')
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(url)
        _log_in(page, ACCOUNT, "fel lösenord")
        page.get_by_text(t("admin.auth.wrong", "sv")).wait_for(timeout=30000)
        assert page.locator("input[type=file]").count() == 0
        _log_in(page, ACCOUNT, PASSWORD)
        page.get_by_text(t("admin.auth.signed_in", "sv", who=ACCOUNT)).wait_for(timeout=30000)
        page.get_by_role("tab", name=t("admin.tab_upload", "sv")).wait_for(timeout=30000)
        page.locator("[data-testid=stFileUploader]").wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        assert PASSWORD not in page.content()
        page.screenshot(path=str(ARTIFACTS / "admin-signed-in.png"))
    finally:
        stop_server(proc, log)


def test_throttle_survives_a_reload(built_db, tmp_path, admin_db, browser):
    """Three wrong passwords, then a reload (a new session): the right password is refused without
    being checked, with the wait shown; the server log has every failure, never the password."""
    _secrets(tmp_path, f'[admin.accounts]\n{ACCOUNT} = "{hash_password(PASSWORD)}"\n')
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(url)
        for _ in range(3):
            _log_in(page, ACCOUNT, "fel lösenord")
            page.get_by_text(t("admin.auth.wrong", "sv")).wait_for(timeout=30000)
            page.wait_for_timeout(300)
        page.reload()
        _log_in(page, ACCOUNT, PASSWORD)
        page.get_by_text(t("admin.auth.throttled", "sv", seconds=1)[:60]).wait_for(timeout=30000)
        assert page.locator("input[type=file]").count() == 0
        page.screenshot(path=str(ARTIFACTS / "admin-throttled.png"))
    finally:
        stop_server(proc, log)
    server_log = (tmp_path / "server.log").read_text()
    assert server_log.count("admin login failure") == 3 and "admin login throttled" in server_log
    assert PASSWORD not in server_log and "fel lösenord" not in server_log


class _FakeIdP:
    """A minimal OpenID Connect provider on loopback: discovery, authorize (answers at once with a
    code), token (an RS256 id_token with the claims given) and JWKS, so Streamlit's real st.login
    (Authlib) runs end to end."""

    def __init__(self, claims: dict):
        from joserfc.jwk import RSAKey

        self.claims, self.key = claims, RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.nonces: dict[str, str] = {}
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlencode, urlsplit

        from joserfc import jwt

        idp = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, doc: dict) -> None:
                body = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._json({"issuer": idp.issuer, "authorization_endpoint": idp.issuer + "/authorize",
                                "token_endpoint": idp.issuer + "/token", "jwks_uri": idp.issuer + "/jwks",
                                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                                "id_token_signing_alg_values_supported": ["RS256"]})
                elif parts.path == "/jwks":
                    self._json({"keys": [idp.key.as_dict(private=False) | {"alg": "RS256"}]})
                elif parts.path == "/authorize":
                    idp.nonces["code-1"] = q.get("nonce", "")
                    idp.client_id = q.get("client_id")
                    self.send_response(302)
                    self.send_header("Location", q["redirect_uri"] + "?" + urlencode({"code": "code-1",
                                                                                       "state": q["state"]}))
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self):  # noqa: N802
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                now = int(time.time())
                claims = {"iss": idp.issuer, "aud": idp.client_id, "sub": "user-1", "iat": now, "exp": now + 600,
                          "nonce": idp.nonces.get(form["code"][0], ""), **idp.claims}
                token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, idp.key)
                self._json({"access_token": "at", "token_type": "Bearer", "expires_in": 600, "id_token": token})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("verified", [True, False])
def test_real_oidc_login_admits_only_a_verified_email(built_db, tmp_path, admin_db, browser, verified):
    """st.login for real: Streamlit imports Authlib, reads [auth] from the secrets, fetches the
    provider's discovery document, redirects the browser, exchanges the code and checks the signed
    id_token. A listed e-mail is admitted only when the provider says it is verified."""
    with _FakeIdP({"email": "Admin@Example.se", "email_verified": verified}) as idp:
        port = _free_port()
        _secrets(tmp_path, f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{'s' * 48}"
client_id = "atlas-test"
client_secret = "hemligt"
server_metadata_url = "{idp.issuer}/.well-known/openid-configuration"

[admin]
emails = ["admin@example.se"]
""")
        proc, url, log = _serve(tmp_path, built_db, admin_db, port=port)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.goto(url)
            page.get_by_role("button", name=t("admin.auth.login", "sv")).click()
            if verified:
                page.get_by_text(t("admin.auth.signed_in", "sv", who="admin@example.se")).wait_for(timeout=30000)
                page.locator("[data-testid=stFileUploader]").wait_for(timeout=30000)
            else:
                # md_escape shows the provider's address with a word joiner after '@' (no mailto link)
                page.get_by_text(t("admin.auth.oidc_unverified", "sv", email="Admin@\u2060Example.se")[:50]).wait_for(
                    timeout=30000)
                assert page.locator("input[type=file]").count() == 0
            page.screenshot(path=str(ARTIFACTS / f"admin-oidc-{'verified' if verified else 'unverified'}.png"))
        finally:
            stop_server(proc, log)
    assert "StreamlitMissingAuthlibError" not in (tmp_path / "server.log").read_text()


def test_admin_refuses_to_render_embedded(built_db, tmp_path, admin_db, browser):
    """Opened with embed=true (as inside another site's frame), the page shows only a notice."""
    proc, url, log = _serve(tmp_path, built_db, admin_db)
    try:
        page = browser.new_page()
        page.goto(url + "/?embed=true")
        page.get_by_text(t("admin.embedded", "sv")).wait_for(timeout=30000)
        assert page.get_by_text(t("admin.auth.not_configured", "sv")).count() == 0
        page.goto(url)  # opened directly, the same page goes on to the login notice
        page.get_by_text(t("admin.auth.not_configured", "sv")).wait_for(timeout=30000)
    finally:
        stop_server(proc, log)
