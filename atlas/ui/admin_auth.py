"""The admin area's gate: OIDC login (st.login) with a verified e-mail or a listed subject, else
named accounts with argon2id password hashes and a throttle every replica shares, else a notice
saying how to configure either. Decisions live in atlas.admin.auth and atlas.admin.throttle."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from atlas.admin import auth
from atlas.asf import md_escape
from atlas.admin.backend import StoreError
from atlas.admin.throttle import Throttle
from atlas.i18n import t

_OK, _WHO = "_admin_ok", "_admin_who"

OIDC_SNIPPET = """[auth]
redirect_uri = "https://<din-server>/oauth2callback"
cookie_secret = "<lång slumpsträng>"
client_id = "<klient-id>"
client_secret = "<klienthemlighet>"
server_metadata_url = "https://<leverantör>/.well-known/openid-configuration"

[admin]
emails = ["forvaltare@example.se"]   # godtas när leverantören intygar adressen (email_verified)
# subjects = ["<sub>"]               # eller: leverantörens användar-id (sub), t.ex. Microsoft Entra ID"""

PASSWORD_SNIPPET = """[admin.accounts]
anna = "$argon2id$v=19$m=65536,t=3,p=4$..."   # python -m atlas admin hash-password --account anna"""


def secrets() -> dict:
    """st.secrets as a plain dict; {} when there is no secrets file or it cannot be parsed."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml (StreamlitSecretNotFoundError) or a malformed one
        return {}


def _provider(s: Mapping) -> str | None:
    """admin.provider, else the single named provider section under [auth], else None (default)."""
    admin = s.get("admin") if isinstance(s.get("admin"), Mapping) else {}
    if admin.get("provider"):
        return str(admin["provider"])
    named = [k for k, v in s.get("auth", {}).items() if isinstance(v, Mapping)]
    return named[0] if len(named) == 1 and "client_id" not in s["auth"] else None


def _how_to_configure(lang: str) -> None:
    st.markdown(t("admin.auth.how_to", lang))
    st.markdown(t("admin.auth.oidc_title", lang))
    st.code(OIDC_SNIPPET, language=None)  # plain: the highlighter's colours fail WCAG contrast
    st.markdown(t("admin.auth.password_title", lang))
    st.code(PASSWORD_SNIPPET, language=None)
    st.caption(t("admin.auth.hash_hint", lang))


def _not_configured(lang: str) -> None:
    st.warning(t("admin.auth.not_configured", lang))
    _how_to_configure(lang)
    st.stop()


def _legacy(lang: str) -> None:
    """Only the old unsalted SHA-256 is configured: refused, with the way to an account."""
    st.error(t("admin.auth.legacy", lang))
    _how_to_configure(lang)
    st.stop()


def _oidc(s: Mapping, lang: str) -> str:
    if not st.user.is_logged_in:
        st.info(t("admin.auth.login_needed", lang))
        provider = _provider(s)
        st.button(t("admin.auth.login", lang), on_click=st.login, args=(provider,) if provider else ())
        st.stop()
    user = st.user.to_dict()
    identity, reason = auth.oidc_decision(user, s)
    if identity is None:
        email = md_escape(str(user.get("email") or "")[:200])  # the provider's text, shown as Markdown
        st.error(t(f"admin.auth.oidc_{reason}", lang, email=email))
        st.button(t("admin.auth.logout", lang), on_click=st.logout)
        st.stop()
    st.sidebar.button(t("admin.auth.logout", lang), on_click=st.logout, key="admin_logout")
    return identity


def _sign_out() -> None:
    for k in (_OK, _WHO):
        st.session_state.pop(k, None)


def _client(s: Mapping) -> str:
    admin = s.get("admin") if isinstance(s.get("admin"), Mapping) else {}
    trusted = admin.get("trusted_proxies") if isinstance(admin.get("trusted_proxies"), list) else None
    try:
        return auth.client_address(st.context.ip_address, dict(st.context.headers), trusted)
    except Exception:  # no request context (AppTest) or unparsable headers
        return "unknown"


def _wait_text(seconds: float, lang: str) -> str:
    return t("admin.auth.throttled", lang, seconds=max(int(seconds + 0.999), 1))


def _password(s: Mapping, lang: str) -> str:
    if st.session_state.get(_OK):
        st.sidebar.button(t("admin.auth.logout", lang), on_click=_sign_out, key="admin_logout")
        return st.session_state[_WHO]
    for name in auth.bad_accounts(s):
        st.warning(t("admin.auth.bad_account", lang, name=name))
    throttle, client = Throttle(), _client(s)
    with st.form("admin_login"):
        st.markdown(f"**{t('admin.auth.password_form', lang)}**")
        account = st.text_input(t("admin.auth.account", lang), max_chars=64, key="admin_account")
        password = st.text_input(t("admin.auth.password", lang), type="password", key="admin_password",
                                 max_chars=auth.MAX_LENGTH)
        sent = st.form_submit_button(t("admin.auth.login", lang))
    if sent:
        try:
            _check(throttle, client, account.strip(), password, s, lang)
        except StoreError:  # the shared throttle cannot be reached: no unthrottled login
            st.error(t("admin.auth.unavailable", lang))
    st.stop()


def _check(throttle: Throttle, client: str, account: str, password: str, s: Mapping, lang: str) -> None:
    """Check one login against the throttle and the accounts; draws the outcome."""
    wait = throttle.wait_seconds(account, client)
    if wait > 0:  # refused without checking the password, so waiting is the only way on
        throttle.record(account, client, "throttled")
        st.error(_wait_text(wait, lang))
    elif auth.password_ok(account, password, s):
        throttle.record(account, client, "success")
        st.session_state[_OK] = True
        st.session_state[_WHO] = account
        st.rerun()
    else:
        throttle.record(account, client, "failure")
        st.error(t("admin.auth.wrong", lang))
        wait = throttle.wait_seconds(account, client)
        if wait > 0:
            st.warning(_wait_text(wait, lang))


def require_admin(lang: str) -> str:
    """Return who the admin is (the verified e-mail, or the account name at password login);
    otherwise draw the login, refusal or "not configured" notice and stop the page."""
    s = secrets()
    m = auth.mode(s)
    if m == "oidc":
        return _oidc(s, lang)
    if m == "password":
        return _password(s, lang)
    if m == "legacy":
        _legacy(lang)
    _not_configured(lang)
    return ""  # not reached: st.stop()
