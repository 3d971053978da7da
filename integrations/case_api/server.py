"""The reference case API: what `make run` and the tests use in place of the council's case system."""
from __future__ import annotations

import hmac
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request, Response, status
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from integrations.case_api.models import CaseApiBase
from integrations.case_api.schemas import EarlyHelpRequest, EarlyHelpRequestRecord, Health, Problem, Receipt
from integrations.case_api.settings import CaseApiSettings
from integrations.case_api.store import IdempotencyConflict, find_by_reference, record_request
from integrations.core import http
from integrations.core.db import SessionDep, make_engine

DESCRIPTION = """\
Requests for early help from the Family Hubs front door. This is the **reference** implementation that the
front door's run command and tests use; a council's case system offers the same contract.

Every call but `/healthz` needs `Authorization: Bearer <CASE_API_TOKEN>`. Errors are `{"detail": str}`.
"""
# Swagger UI loads from its CDN and starts with an inline script, which the default strict CSP blocks.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https:; frame-ancestors 'none'"
)
bearer = HTTPBearer(auto_error=False, description="The CASE_API_TOKEN shared with the front door.")
router = APIRouter()


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, request.app.state.settings.case_api_token.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Missing or wrong bearer token.", headers={"WWW-Authenticate": "Bearer"})


ERRORS = {
    401: {"model": Problem, "description": "Missing or wrong bearer token."},
    413: {"model": Problem, "description": "The body is over 64 KiB."},
    422: {"model": Problem, "description": "The body or a header is invalid; `detail` says which field and why."},
}


@router.post(
    "/early-help-requests",
    status_code=status.HTTP_201_CREATED,
    response_model=Receipt,
    summary="Create a request for early help",
    description=(
        "Stores the request and returns its reference. Idempotent on `Idempotency-Key`: the same key with the "
        "same body answers 200 with the first reference (nothing new is stored); the same key with a different "
        "body answers 409. The parent's consent (`consent.given: true`) and a phone number or email are required."
    ),
    responses={
        201: {"description": "Stored; the reference is new."},
        200: {"model": Receipt, "description": "A replay of a stored request: the same reference, nothing new stored."},
        409: {"model": Problem, "description": "The Idempotency-Key was used for a different request."},
        **ERRORS,
    },
    dependencies=[Depends(require_token)],
)
def create_early_help_request(
    early_help: EarlyHelpRequest,
    session: SessionDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(
        alias="Idempotency-Key", min_length=1, max_length=200,
        description="Chosen by the client, one per request for early help, and sent again with every retry.",
    )],
) -> Receipt:
    try:
        stored = record_request(session, request=early_help, idempotency_key=idempotency_key)
    except IdempotencyConflict:
        raise HTTPException(status.HTTP_409_CONFLICT, "This Idempotency-Key was already used for a different request.") from None
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    elif delay := request.app.state.settings.case_api_response_delay_seconds:
        # Fault injection (never in production): stored, but answered too late for an impatient client.
        time.sleep(delay)
    row = stored.row
    return Receipt(reference=row.reference, status=row.status, received_at=row.received_at)


@router.get(
    "/early-help-requests/{reference}",
    response_model=EarlyHelpRequestRecord,
    summary="Read a request for early help",
    description="Every answer as received, with the reference, status and time received.",
    responses={404: {"model": Problem, "description": "No request has that reference."}, 401: ERRORS[401]},
    dependencies=[Depends(require_token)],
)
def get_early_help_request(reference: str, session: SessionDep) -> dict:
    row = find_by_reference(session, reference)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No early help request has that reference.")
    return {**row.answers, "reference": row.reference, "status": row.status, "received_at": row.received_at}


@router.get("/healthz", response_model=Health, summary="Liveness", tags=["health"])
def healthz() -> Health:
    return Health()


def create_case_api(settings: CaseApiSettings | None = None) -> FastAPI:
    settings = settings or CaseApiSettings()
    engine = make_engine(settings.case_api_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        _make_sqlite_folder(settings.case_api_database_url)
        CaseApiBase.metadata.create_all(engine)
        yield
        engine.dispose()

    app = FastAPI(
        title="Council case API (reference)", description=DESCRIPTION, version="1.0.0", lifespan=lifespan, docs_url=None,
    )
    app.state.settings = settings
    app.state.sessions = sessionmaker(bind=engine, expire_on_commit=False)
    http.install(app)
    app.include_router(router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} - docs")
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    return app


def _make_sqlite_folder(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
