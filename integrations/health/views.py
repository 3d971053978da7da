"""GET /healthz: 200 once the database, Rasa and the action server answer; 503 naming what does not.
The case API is checked too, but only reported as degraded: the outbox keeps requests until it is back."""
from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from integrations.rasa.client import RasaUnavailable

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request):
    state = request.app.state
    settings = state.settings
    checks = {
        "database": _check_database(state),
        "rasa": _check_rasa(state),
        "action_server": _check_http(f"{settings.action_server_url}/health"),
    }
    failing = [name for name, result in checks.items() if result != "ok"]
    checks["case_api"] = _check_http(f"{settings.case_api_url}/healthz")
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    if checks["case_api"] != "ok":
        body["degraded"] = ["case_api"]
    return JSONResponse(body, status_code=200 if not failing else 503)


def _check_database(state) -> str:
    try:
        with state.sessions() as session:
            session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any driver error means "down"; the type is enough to act on
        return f"error: {type(exc).__name__}"


def _check_rasa(state) -> str:
    try:
        status = state.rasa.status()
    except RasaUnavailable as exc:
        return f"error: {exc}"
    return "ok" if status.get("model_file") else "error: no model loaded"


def _check_http(url: str) -> str:
    try:
        response = httpx.get(url, timeout=3.0)
    except httpx.HTTPError as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if response.status_code == 200 else f"error: HTTP {response.status_code}"
