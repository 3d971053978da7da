"""Browser sign-in: the session cookie, CSRF on unsafe requests, sign-out, lock-out and login CSRF."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from integrations.core.db import utcnow
from integrations.staff.models import AuditEntry, StaffSession
from integrations.staff.sessions import COOKIE_NAME, CSRF_HEADER, IDLE_TIMEOUT
from tests.integrations.conftest import PASSWORD


def sign_in(client, username="alice", password=PASSWORD, **headers):
    return client.post("/api/auth/session", data={"username": username, "password": password}, headers=headers)


def test_sign_in_sets_an_httponly_strict_cookie_and_returns_a_csrf_token(client, make_staff):
    make_staff("alice", "practitioner")
    response = sign_in(client)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice" and body["role"] == "practitioner" and len(body["csrf_token"]) > 20
    cookie = response.headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/api/auth/session").json() == body


def test_only_a_digest_of_the_cookie_is_stored(client, make_staff, session):
    make_staff("alice")
    sign_in(client)
    token = client.cookies[COOKIE_NAME]
    stored = session.scalars(select(StaffSession)).all()
    assert stored and all(token not in row.token_hash for row in stored)


def test_the_cookie_reads_the_staff_api(client, make_staff):
    make_staff("alice")
    sign_in(client)
    assert client.get("/api/conversations").status_code == 200


def test_an_unsafe_request_with_the_cookie_needs_the_csrf_token(client, make_staff):
    make_staff("alice")
    csrf = sign_in(client).json()["csrf_token"]
    assert client.delete("/api/auth/session").status_code == 403
    assert client.delete("/api/auth/session", headers={CSRF_HEADER: "not-the-token"}).status_code == 403
    assert client.delete("/api/auth/session", headers={CSRF_HEADER: csrf}).status_code == 204


def test_sign_out_revokes_the_session_for_good(client, make_staff, session):
    make_staff("alice")
    csrf = sign_in(client).json()["csrf_token"]
    token = client.cookies[COOKIE_NAME]
    client.delete("/api/auth/session", headers={CSRF_HEADER: csrf})
    client.cookies.set(COOKIE_NAME, token)  # a copied cookie replayed after sign-out
    assert client.get("/api/auth/session").status_code == 401
    assert client.get("/api/conversations").status_code == 401
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "alice")).all()
    assert actions == ["sign_in", "sign_out"]


def test_wrong_password_gets_401_and_locks_after_repeated_failures(client, make_staff, settings):
    make_staff("alice")
    for _ in range(settings.login_max_failures):
        assert sign_in(client, password="wrong password!").status_code == 401
    assert sign_in(client).status_code == 401
    assert COOKIE_NAME not in client.cookies


def test_a_sign_in_posted_from_another_site_is_refused(client, make_staff):
    make_staff("alice")
    response = sign_in(client, origin="https://evil.example")
    assert response.status_code == 403
    assert COOKIE_NAME not in client.cookies
    assert sign_in(client, origin="http://testserver").status_code == 200


def test_no_cookie_no_session(client):
    assert client.get("/api/auth/session").status_code == 401


def test_an_idle_or_expired_session_must_sign_in_again(client, make_staff, session):
    make_staff("alice")
    sign_in(client)
    row = session.scalars(select(StaffSession)).one()
    row.last_seen_at = utcnow() - IDLE_TIMEOUT - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/auth/session").status_code == 401
    row.last_seen_at, row.expires_at = utcnow(), utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/auth/session").status_code == 401


def test_using_the_session_keeps_it_alive_even_on_routes_that_only_read(client, make_staff, session):
    make_staff("alice", "comms")
    sign_in(client)
    row = session.scalars(select(StaffSession)).one()
    row.last_seen_at = utcnow() - IDLE_TIMEOUT + timedelta(minutes=5)
    session.commit()
    assert client.get("/api/console/hubs").status_code == 403  # a read (refused, even) still counts as use
    session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
