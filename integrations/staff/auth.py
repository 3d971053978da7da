"""Staff sign-in (OAuth2 password flow), lock-out, and role checks for staff routes."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.core.db import SessionDep, utcnow
from integrations.core.security import (
    create_access_token,
    decode_access_token,
    dummy_password_hash,
    verify_password,
)
from integrations.staff.audit import record
from integrations.staff.models import StaffUser

router = APIRouter()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")
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


@router.post("/api/auth/token")
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: SessionDep):
    settings = request.app.state.settings
    user = authenticate(
        session,
        username=form.username,
        password=form.password,
        max_failures=settings.login_max_failures,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
    )
    if user is None:
        record(session, actor=form.username[:80], action="sign_in_failed")
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_LOGIN, headers={"WWW-Authenticate": "Bearer"})
    record(session, actor=user.username, actor_id=user.id, action="sign_in")
    session.commit()
    token = create_access_token(
        secret_key=settings.secret_key, subject=user.username, role=user.role, minutes=settings.access_token_minutes
    )
    return {"access_token": token, "token_type": "bearer"}


def current_user(token: Annotated[str, Depends(oauth2_scheme)], request: Request, session: SessionDep) -> StaffUser:
    claims = decode_access_token(secret_key=request.app.state.settings.secret_key, token=token)
    user = None
    if claims is not None:
        user = session.scalars(select(StaffUser).where(StaffUser.username == claims["sub"])).one_or_none()
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Please sign in again.", headers={"WWW-Authenticate": "Bearer"})
    return user


def require_role(*roles: str):
    def dependency(user: Annotated[StaffUser, Depends(current_user)]) -> StaffUser:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Your role cannot do this.")
        return user

    return dependency


ConversationReader = Annotated[StaffUser, Depends(require_role("practitioner", "admin"))]
