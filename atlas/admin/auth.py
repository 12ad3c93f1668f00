"""Who may use the admin area: decisions from the secrets, without Streamlit.

Two ways, chosen by what .streamlit/secrets.toml holds:
- "oidc": an [auth] section (Streamlit's built-in OIDC login, st.login) and [admin] emails = [...];
  only a logged-in user whose e-mail is in that list is an admin.
- "password": no [auth] section but [admin] password_sha256 = "<hex sha256 of the password>",
  optionally with password_salt = "<salt>" (then the hash is sha256(salt + password)).
- "none": neither; the admin area only says how to configure it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

MAX_ATTEMPTS = 5  # wrong passwords per session before the form locks


def mode(secrets: Mapping) -> str:
    """'oidc', 'password' or 'none' for the given secrets (a plain dict of st.secrets)."""
    auth = secrets.get("auth")
    if isinstance(auth, Mapping) and auth:
        return "oidc"
    admin = secrets.get("admin")
    if isinstance(admin, Mapping) and str(admin.get("password_sha256", "")).strip():
        return "password"
    return "none"


def admin_emails(secrets: Mapping) -> list[str]:
    """The configured admin e-mails, lower-cased (an empty list when none or malformed)."""
    admin = secrets.get("admin")
    emails = admin.get("emails") if isinstance(admin, Mapping) else None
    if isinstance(emails, str):
        emails = [emails]
    if not isinstance(emails, (list, tuple)):
        return []
    return [str(e).strip().lower() for e in emails if str(e).strip()]


def email_allowed(email: object, secrets: Mapping) -> bool:
    """True when ``email`` (from st.user) is exactly one of the configured admin e-mails."""
    return isinstance(email, str) and email.strip().lower() in admin_emails(secrets) and "@" in email


def password_ok(password: str, secrets: Mapping) -> bool:
    """Compare sha256([salt +] password) with admin.password_sha256 in constant time."""
    admin = secrets.get("admin")
    if not isinstance(admin, Mapping) or not isinstance(password, str) or not password:
        return False
    expected = str(admin.get("password_sha256", "")).strip().lower()
    salt = str(admin.get("password_salt", ""))
    got = hashlib.sha256((salt + password).encode("utf-8")).hexdigest()
    return bool(expected) and hmac.compare_digest(got, expected)


def hash_password(password: str, salt: str = "") -> str:
    """The value to put in admin.password_sha256 (for the README's one-liner and tests)."""
    return hashlib.sha256((salt + password).encode("utf-8")).hexdigest()
