"""``python -m atlas admin hash-password``: asks twice without echo, prints a line that is valid TOML
under [admin.accounts] and verifies with the page's own check; refuses weak or mismatched input."""

from __future__ import annotations

import tomllib

import pytest

from atlas.__main__ import main
from atlas.admin import auth

GOOD = "en lång lösenfras på svenska"


def _run(monkeypatch, capsys, answers: list[str], *args: str) -> tuple[int, str, str]:
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))
    code = main(["admin", "hash-password", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_an_account_line_that_the_login_accepts(monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, [GOOD, GOOD], "--account", "anna")
    assert code == 0 and not err
    secrets = {"admin": tomllib.loads("[admin.accounts]\n" + out)["admin"]}
    assert auth.mode(secrets) == "password"
    assert auth.password_ok("anna", GOOD, secrets) and not auth.password_ok("anna", GOOD + "!", secrets)
    assert GOOD not in out


@pytest.mark.parametrize("answers, args, message", [
    (["kort", "kort"], (), "shorter than 15"),
    ([GOOD, GOOD + "x"], (), "differ"),
    (["anna-anna-anna-anna", "anna-anna-anna-anna"], ("--account", "anna"), "account name"),
    ([GOOD, GOOD], ("--account", "anna lind"), "letters, digits"),
])
def test_refuses_weak_or_mismatched_input(monkeypatch, capsys, answers, args, message):
    code, out, err = _run(monkeypatch, capsys, answers, *args)
    assert code == 1 and message in err and not out
