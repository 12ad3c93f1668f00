"""The admin area's gate: OIDC login (st.login) with an e-mail list, else a password whose hash is
in the secrets, else a notice saying how to configure either. Decisions live in atlas.admin.auth."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from atlas.admin import auth
from atlas.i18n import t

_OK, _WHO, _TRIES = "_admin_ok", "_admin_who", "_admin_attempts"

OIDC_SNIPPET = """[auth]
redirect_uri = "https://<din-server>/oauth2callback"
cookie_secret = "<lång slumpsträng>"
client_id = "<klient-id>"
client_secret = "<klienthemlighet>"
server_metadata_url = "https://<leverantör>/.well-known/openid-configuration"

[admin]
emails = ["forvaltare@example.se"]"""

PASSWORD_SNIPPET = """[admin]
password_sha256 = "<sha256 av lösenordet, 64 hextecken>"
# valfritt: password_salt = "<salt>"  (då är hashen sha256(salt + lösenord))"""


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


def _not_configured(lang: str) -> None:
    st.warning(t("admin.auth.not_configured", lang))
    st.markdown(t("admin.auth.how_to", lang))
    st.markdown(t("admin.auth.oidc_title", lang))
    st.code(OIDC_SNIPPET, language=None)  # plain: the highlighter's colours fail WCAG contrast
    st.markdown(t("admin.auth.password_title", lang))
    st.code(PASSWORD_SNIPPET, language=None)
    st.caption(t("admin.auth.hash_hint", lang))
    st.stop()


def _oidc(s: Mapping, lang: str) -> str:
    if not st.user.is_logged_in:
        st.info(t("admin.auth.login_needed", lang))
        provider = _provider(s)
        st.button(t("admin.auth.login", lang), on_click=st.login, args=(provider,) if provider else ())
        st.stop()
    email = st.user.get("email")
    if not email:
        st.error(t("admin.auth.no_email", lang))
    elif not auth.email_allowed(email, s):
        st.error(t("admin.auth.not_admin", lang, email=str(email)[:200]))
    if not auth.email_allowed(email, s):
        st.button(t("admin.auth.logout", lang), on_click=st.logout)
        st.stop()
    st.sidebar.button(t("admin.auth.logout", lang), on_click=st.logout, key="admin_logout")
    return str(email).strip().lower()


def _sign_out() -> None:
    for k in (_OK, _WHO):
        st.session_state.pop(k, None)


def _password(s: Mapping, lang: str) -> str:
    if st.session_state.get(_OK):
        st.sidebar.button(t("admin.auth.logout", lang), on_click=_sign_out, key="admin_logout")
        return st.session_state[_WHO]
    tries = st.session_state.get(_TRIES, 0)
    if tries >= auth.MAX_ATTEMPTS:
        st.error(t("admin.auth.locked", lang))
        st.stop()
    with st.form("admin_login"):
        st.markdown(f"**{t('admin.auth.password_form', lang)}**")
        name = st.text_input(t("admin.auth.name", lang), max_chars=80, key="admin_name")
        password = st.text_input(t("admin.auth.password", lang), type="password", key="admin_password")
        sent = st.form_submit_button(t("admin.auth.login", lang))
    if sent:
        if not name.strip():
            st.error(t("admin.auth.name_required", lang))
        elif auth.password_ok(password, s):
            st.session_state[_OK] = True
            st.session_state[_WHO] = name.strip()
            st.session_state[_TRIES] = 0
            st.rerun()
        else:
            st.session_state[_TRIES] = tries + 1
            left = auth.MAX_ATTEMPTS - tries - 1
            if left <= 0:
                st.rerun()  # redraw without the form: the lock message only
            st.error(t("admin.auth.wrong", lang, left=left))
    st.stop()


def require_admin(lang: str) -> str:
    """Return who the admin is (e-mail, or the name given at password login); otherwise draw the
    login, refusal or "not configured" notice and stop the page."""
    s = secrets()
    m = auth.mode(s)
    if m == "oidc":
        return _oidc(s, lang)
    if m == "password":
        return _password(s, lang)
    _not_configured(lang)
    return ""  # not reached: st.stop()
