"""Who may use the admin area: decisions from the secrets, without Streamlit.

Chosen by what .streamlit/secrets.toml holds (README, "Configuring access"):
- "oidc": an [auth] section (Streamlit's built-in OIDC login, st.login) and [admin] emails = [...]
  and/or subjects = [...]; a logged-in user is an admin when the provider says the e-mail is
  verified (``email_verified``) and it is listed, or when the token's subject (``sub``) is listed
  (for providers that send no ``email_verified``).
- "password": named accounts under [admin.accounts], each ``name = "<argon2id hash>"`` made by
  ``python -m atlas admin hash-password`` (OWASP's password-storage guidance: argon2id, salted,
  slow). The audit log records the account name.
- "legacy": only the old fast SHA-256 (``password_sha256``) is configured; it is refused, and the
  page says how to make an account instead.
- "none": nothing configured; the admin area only says how to configure it.
Attempt throttling is in atlas.admin.throttle.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults are RFC 9106's second recommended option (argon2id, t=3, m=64 MiB, p=4),
# above OWASP's minimum (m=19 MiB, t=2, p=1). About 0.1 s per check on this project's machines.
_HASHER = PasswordHasher()
MIN_LENGTH = 15  # NIST SP 800-63B rev. 4 / OWASP: at least 15 characters for a password used alone
MAX_LENGTH = 256  # long passphrases are welcome; the bound keeps one check cheap
ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
# Checked against when the account name is unknown, so an unknown name costs as long as a known one.
_DUMMY_HASH = _HASHER.hash("inkluderingsatlas: no such account")


def mode(secrets: Mapping) -> str:
    """'oidc', 'password', 'legacy' or 'none' for the given secrets (a plain dict of st.secrets)."""
    auth = secrets.get("auth")
    if isinstance(auth, Mapping) and auth:
        return "oidc"
    if accounts(secrets):
        return "password"
    admin = secrets.get("admin")
    if isinstance(admin, Mapping) and str(admin.get("password_sha256", "")).strip():
        return "legacy"
    return "none"


def _admin(secrets: Mapping) -> Mapping:
    admin = secrets.get("admin")
    return admin if isinstance(admin, Mapping) else {}


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def accounts(secrets: Mapping) -> dict[str, str]:
    """[admin.accounts] as {name: argon2 hash}; entries with a malformed name or a value that is not
    an argon2id hash are left out (``bad_accounts`` names them for the page)."""
    raw = _admin(secrets).get("accounts")
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): str(v) for k, v in raw.items() if ACCOUNT_NAME.match(str(k)) and _is_argon2id(v)}


def bad_accounts(secrets: Mapping) -> list[str]:
    """Names under [admin.accounts] whose entry cannot be used (not an argon2id hash, e.g. a
    SHA-256 hex string, or a malformed name)."""
    raw = _admin(secrets).get("accounts")
    if not isinstance(raw, Mapping):
        return []
    return [str(k)[:64] for k in raw if str(k) not in accounts(secrets)]


def _is_argon2id(value: object) -> bool:
    return isinstance(value, str) and value.startswith("$argon2id$")


def admin_emails(secrets: Mapping) -> list[str]:
    """The configured admin e-mails, lower-cased (an empty list when none or malformed)."""
    return [e.lower() for e in _list(_admin(secrets).get("emails"))]


def admin_subjects(secrets: Mapping) -> list[str]:
    """The configured OIDC subject ids (``sub``), exactly as the provider sends them."""
    return _list(_admin(secrets).get("subjects"))


def _true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def oidc_decision(user: Mapping, secrets: Mapping) -> tuple[str | None, str]:
    """(identity, reason) for a logged-in OIDC user (st.user as a dict). identity is the admin's
    e-mail (or "sub:<subject>") when allowed, else None; reason is "ok", "subject", "no_email",
    "unverified" (the provider did not say the e-mail is verified) or "not_admin"."""
    sub = str(user.get("sub") or "").strip()
    if sub and sub in admin_subjects(secrets):
        email = user.get("email")
        return (str(email).strip().lower() if isinstance(email, str) and email.strip() else f"sub:{sub}"), "subject"
    email = user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None, "no_email"
    email = email.strip().lower()
    if email not in admin_emails(secrets):
        return None, "not_admin"
    if not _true(user.get("email_verified")):
        return None, "unverified"
    return email, "ok"


def password_ok(account: str, password: str, secrets: Mapping) -> bool:
    """True when ``password`` matches the argon2id hash of ``account`` under [admin.accounts]. An
    unknown account is checked against a dummy hash, so both take the same time."""
    if not isinstance(account, str) or not isinstance(password, str) or not password:
        return False
    if len(password) > MAX_LENGTH:
        return False
    stored = accounts(secrets).get(account)
    try:
        ok = _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and stored is not None


def hash_password(password: str) -> str:
    """The argon2id hash to put under [admin.accounts] (salted: a new random salt per call)."""
    return _HASHER.hash(password)


def password_problems(password: str, account: str = "") -> list[str]:
    """Why ``password`` is not acceptable (keys of admin.auth.policy.*), empty when it is."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if account and account.lower() in password.lower():
        problems.append("contains_name")
    if len(set(password)) < 5:
        problems.append("too_simple")
    return problems


def client_address(peer: str | None, headers: Mapping[str, str] | None, trusted: list[str] | None = None) -> str:
    """The client's address for throttling: the peer's own address, unless the peer is a trusted
    reverse proxy (loopback by default, or the networks in ``trusted``), in which case the address
    that proxy appended last to X-Forwarded-For (deploy/nginx.conf.template sets it). "unknown" when
    nothing usable is given."""
    nets = [ipaddress.ip_network(n, strict=False) for n in (trusted or [])]

    def _ip(text: str | None):
        try:
            return ipaddress.ip_address(str(text).strip())
        except ValueError:
            return None

    ip = _ip(peer)
    if ip is None:
        return "unknown"
    if ip.is_loopback or any(ip in n for n in nets):
        forwarded = (headers or {}).get("X-Forwarded-For") or (headers or {}).get("x-forwarded-for") or ""
        last = _ip(forwarded.split(",")[-1]) if forwarded else None
        if last is not None:
            return str(last)
    return str(ip)
