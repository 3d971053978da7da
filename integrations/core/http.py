"""Cross-cutting HTTP behaviour: body size limit, security headers, access log, error shapes."""
from __future__ import annotations

import logging
import time

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("frontdoor.access")
logger = logging.getLogger(__name__)
DATABASE_DOWN = ("Sorry, we can't take messages right now. Please try again in a few minutes. "
                 "If you or a child are in danger now, call 999.")
MAX_BODY_BYTES = 64 * 1024
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"


class BodySizeLimit:
    """Reject bodies over MAX_BODY_BYTES with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"That request is too large."}'
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers_and_access_log(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        # Path only: query strings can carry phone numbers, and bodies carry what parents wrote.
        access_logger.info(
            "%s %s %s %.0fms", request.method, request.scope.get("route").path if request.scope.get("route") else "-",
            response.status_code, (time.perf_counter() - started) * 1000,
        )
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        detail = f"{where}: {first.get('msg', 'invalid input')}" if where else first.get("msg", "Invalid input.")
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(DBAPIError)
    async def database_unavailable(_request: Request, exc: DBAPIError):
        # The database is down or restarting (e.g. a PostgreSQL failover): say so plainly, never a bare 500.
        logger.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__)
        return JSONResponse({"detail": DATABASE_DOWN}, status_code=503, headers={"Retry-After": "30"})

    app.add_middleware(BodySizeLimit)
