"""Browser sign-in sessions for staff: an opaque cookie token (only its digest is stored) and a CSRF token."""
from __future__ import annotations

import hmac
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.core.db import utcnow
from integrations.core.security import new_token, token_digest
from integrations.staff.models import StaffSession, StaffUser

COOKIE_NAME = "frontdoor_staff"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A signed-in browser left alone this long must sign in again, whatever the absolute expiry says.
IDLE_TIMEOUT = timedelta(minutes=60)


def start_session(session: Session, *, user: StaffUser, minutes: int) -> tuple[str, StaffSession]:
    """A new session for the user; returns the cookie token (shown once, never stored) and the row."""
    token = new_token()
    now = utcnow()
    row = StaffSession(user_id=user.id, token_hash=token_digest(token), csrf_token=new_token(),
                       created_at=now, last_seen_at=now, expires_at=now + timedelta(minutes=minutes))
    session.add(row)
    session.flush()
    return token, row


def find_session(session: Session, token: str) -> tuple[StaffSession, StaffUser] | None:
    """The live session for a cookie token: not revoked, not expired, not idle too long, user active."""
    row = session.scalars(select(StaffSession).where(StaffSession.token_hash == token_digest(token))).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.expires_at <= now or row.last_seen_at + IDLE_TIMEOUT <= now:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.is_active:
        return None
    # Written at most once a minute, so reading the queue every few seconds does not write every time.
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
    return row, user


def csrf_matches(row: StaffSession, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(row.csrf_token, presented)


def revoke(row: StaffSession) -> None:
    row.revoked_at = utcnow()
