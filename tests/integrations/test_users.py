"""`make user`: staff accounts from the command line, password from standard input."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from integrations.core.security import verify_password
from integrations.staff import cli
from integrations.staff.models import StaffUser


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'users.db'}")
    monkeypatch.setenv("ENVIRONMENT", "test")
    for name in ("SECRET_KEY", "INTERNAL_API_TOKEN", "RASA_TOKEN", "CASE_API_TOKEN", "TWILIO_AUTH_TOKEN"):
        monkeypatch.setenv(name, "x" * 32)
    cli.get_settings.cache_clear()
    yield tmp_path / "users.db"
    cli.get_settings.cache_clear()


def run(monkeypatch, password: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.main(list(args))


def test_creates_then_updates_a_user(cli_env, monkeypatch, capsys):
    assert run(monkeypatch, "a long enough password", "--name", "alice", "--role", "practitioner") == 0
    assert run(monkeypatch, "another long password", "--name", "alice", "--role", "admin") == 0
    assert capsys.readouterr().out.splitlines() == ["Created alice (practitioner).", "Updated alice (admin)."]
    from integrations.core.db import make_session_factory

    with make_session_factory(f"sqlite:///{cli_env}")() as session:
        user = session.scalars(select(StaffUser)).one()
        assert user.role == "admin"
        assert verify_password(user.password_hash, "another long password")
        assert "another long password" not in user.password_hash


@pytest.mark.parametrize(
    "password, args, message",
    [
        ("short", ["--name", "alice", "--role", "practitioner"], "at least 12"),
        ("a long enough password", ["--name", "alice", "--role", "boss"], "ROLE must be one of"),
        ("a long enough password", ["--name", "a b", "--role", "comms"], "NAME must be"),
    ],
)
def test_bad_input_is_refused_clearly(cli_env, monkeypatch, capsys, password, args, message):
    assert run(monkeypatch, password, *args) == 2
    assert message in capsys.readouterr().err
