"""GET /healthz: 200 once the database, Rasa and the action server answer; 503 naming what does not.
The case API is checked too, but only reported as degraded: the outbox keeps requests until it is back. So is
a Rasa instance that does not answer while another does: the service sends every turn to those that answer."""
from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from integrations.rasa.client import RasaUnavailable

router = APIRouter()
DEGRADED = "degraded"


@router.get("/healthz")
def healthz(request: Request):
    state = request.app.state
    settings = state.settings
    checks = {
        "database": _check_database(state),
        "rasa": _check_rasa(state),
        "action_server": _check_http(f"{settings.action_server_url}/health"),
    }
    failing = [name for name, result in checks.items() if not result.startswith(("ok", DEGRADED))]
    checks["case_api"] = _check_http(f"{settings.case_api_url}/healthz")
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    degraded = [name for name, result in checks.items() if result.startswith(DEGRADED)]
    degraded += ["case_api"] if checks["case_api"] != "ok" else []
    if degraded:
        body["degraded"] = degraded
    return JSONResponse(body, status_code=200 if not failing else 503)


def _check_database(state) -> str:
    try:
        with state.sessions() as session:
            session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any driver error means "down"; the type is enough to act on
        return f"error: {type(exc).__name__}"


def _check_rasa(state) -> str:
    """"ok" when every Rasa instance has a model loaded; "degraded: ..." when only some do."""
    results = {url: _rasa_instance_result(status) for url, status in state.rasa.status().items()}
    bad = {url: result for url, result in results.items() if result != "ok"}
    if not bad:
        return "ok"
    if len(bad) == len(results):
        return next(iter(bad.values())) if len(bad) == 1 else "error: " + "; ".join(f"{u} {r}" for u, r in bad.items())
    return f"{DEGRADED}: {len(results) - len(bad)} of {len(results)} instances answer; " + "; ".join(f"{u} {r}" for u, r in bad.items())


def _rasa_instance_result(status: dict | RasaUnavailable) -> str:
    if isinstance(status, RasaUnavailable):
        return f"error: {status}"
    return "ok" if status.get("model_file") else "error: no model loaded"


def _check_http(url: str) -> str:
    try:
        response = httpx.get(url, timeout=3.0)
    except httpx.HTTPError as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if response.status_code == 200 else f"error: HTTP {response.status_code}"
