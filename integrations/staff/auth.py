"""Staff sign-in (OAuth2 password flow), lock-out, and role checks for staff routes.

Staff routes accept either a bearer token (`POST /api/auth/token`, for integrations) or the browser
session cookie (`integrations/staff/signin.py`); with the cookie, every unsafe request must carry the
session's CSRF token in a header, because a cookie is sent whoever made the page that sends it."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.core.db import SessionDep, end_transaction, utcnow
from integrations.core.security import (
    create_access_token,
    decode_access_token,
    dummy_password_hash,
    verify_password,
)
from integrations.staff.audit import record
from integrations.staff.models import StaffUser
from integrations.staff.sessions import COOKIE_NAME, CSRF_HEADER, SAFE_METHODS, csrf_matches, find_session

router = APIRouter()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
SIGN_IN_AGAIN = "Please sign in again."
BAD_CSRF = "This page's security token is missing or out of date. Reload the page and try again."
BAD_LOGIN = "Wrong username or password, or the account is locked. Try again later or ask an admin."


def authenticate(session: Session, *, username: str, password: str, max_failures: int, lockout: timedelta) -> StaffUser | None:
    user = session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()
    if user is None:
        verify_password(dummy_password_hash(), password)
        return None
    now = utcnow()
    if not user.is_active or (user.locked_until is not None and user.locked_until > now):
        return None
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + lockout
            user.failed_logins = 0
        return None
    user.failed_logins = 0
    user.locked_until = None
    return user


def sign_in(session: Session, request: Request, *, username: str, password: str, via: str) -> StaffUser:
    """The user for these credentials, with the attempt audited; 401 (one message for every reason) if not."""
    settings = request.app.state.settings
    user = authenticate(
        session,
        username=username,
        password=password,
        max_failures=settings.login_max_failures,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )
    if user is None:
        record(session, actor=username[:80], action="sign_in_failed", detail={"via": via})
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    record(session, actor=user.username, actor_id=user.id, action="sign_in", detail={"via": via})
    return user


@router.post("/api/auth/token")
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: SessionDep):
    settings = request.app.state.settings
    user = sign_in(session, request, username=form.username, password=form.password, via="token")
    session.commit()
    token = create_access_token(
        secret_key=settings.secret_key, subject=user.username, role=user.role, minutes=settings.access_token_minutes
    )
    return {"access_token": token, "token_type": "bearer"}


def current_user(token: Annotated[str | None, Depends(oauth2_scheme)], request: Request, session: SessionDep) -> StaffUser:
    if token:
        return _bearer_user(session, request, token)
    cookie = request.cookies.get(COOKIE_NAME)
    found = find_session(session, cookie) if cookie else None
    if found is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, SIGN_IN_AGAIN, headers={"WWW-Authenticate": "Bearer"})
    staff_session, user = found
    if request.method not in SAFE_METHODS and not csrf_matches(staff_session, request.headers.get(CSRF_HEADER)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, BAD_CSRF)
    end_transaction(session)  # and saves last_seen_at, whether or not the route itself writes anything
    request.state.staff_session = staff_session
    return user


def _bearer_user(session: Session, request: Request, token: str) -> StaffUser:
    claims = decode_access_token(secret_key=request.app.state.settings.secret_key, token=token)
    user = None
    if claims is not None:
        user = session.scalars(select(StaffUser).where(StaffUser.username == claims["sub"])).one_or_none()
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, SIGN_IN_AGAIN, headers={"WWW-Authenticate": "Bearer"})
    end_transaction(session)
    return user


def require_role(*roles: str):
    def dependency(user: Annotated[StaffUser, Depends(current_user)]) -> StaffUser:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Your role cannot do this.")
        return user

    return dependency


ConversationReader = Annotated[StaffUser, Depends(require_role("practitioner", "admin"))]
