"""Browser sign-in for the staff pages: `/api/auth/session` sets, shows and ends the session cookie."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response, status

from integrations.core.db import SessionDep
from integrations.staff.audit import record
from integrations.staff.auth import current_user, sign_in
from integrations.staff.models import StaffSession, StaffUser
from integrations.staff.sessions import COOKIE_NAME, revoke, start_session

router = APIRouter()
OTHER_SITE = "Sign in from the front door's own page."


def _session_body(user: StaffUser, row: StaffSession) -> dict:
    return {"username": user.username, "role": user.role, "csrf_token": row.csrf_token}


def _same_origin(request: Request) -> bool:
    """A sign-in posted from another site is refused (login CSRF); browsers always send Origin on a POST."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    allowed = {_origin(str(request.base_url)), _origin(request.app.state.settings.public_base_url)}
    return _origin(origin) in allowed


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@router.post("/api/auth/session")
def create_session(
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    request: Request,
    response: Response,
    session: SessionDep,
):
    if not _same_origin(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, OTHER_SITE)
    settings = request.app.state.settings
    user = sign_in(session, request, username=username, password=password, via="browser")
    token, row = start_session(session, user=user, minutes=settings.access_token_minutes)
    session.commit()
    response.set_cookie(
        COOKIE_NAME, token, max_age=settings.access_token_minutes * 60, path="/", httponly=True, samesite="strict",
        secure=settings.public_base_url.startswith("https://"),
    )
    return _session_body(user, row)


@router.get("/api/auth/session")
def show_session(user: Annotated[StaffUser, Depends(current_user)], request: Request, session: SessionDep):
    row = getattr(request.state, "staff_session", None)
    if row is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "This is for browser sessions; bearer tokens have no session.")
    session.commit()  # the session's last_seen_at
    return _session_body(user, row)


@router.delete("/api/auth/session", status_code=status.HTTP_204_NO_CONTENT)
def end_session(user: Annotated[StaffUser, Depends(current_user)], request: Request, session: SessionDep):
    row = getattr(request.state, "staff_session", None)
    if row is not None:
        revoke(row)
        record(session, actor=user.username, actor_id=user.id, action="sign_out")
        session.commit()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
