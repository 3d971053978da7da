"""Thin synchronous client for the council's case API (the outbox worker runs it in a thread)."""
from __future__ import annotations

from urllib.parse import quote

import httpx

# Worth trying again later: the request may not have been seen, or the server asked us to wait.
RETRYABLE_STATUSES = frozenset({408, 429})


class CaseApiUnavailable(Exception):
    """Try again later: the case API could not be reached, timed out, was busy or failed (5xx, 408, 429)."""


class CaseApiRejected(Exception):
    """Do not retry: the case API refused the request (a 4xx); `reason` is its detail."""

    def __init__(self, reason: str, *, status_code: int | None = None):
        super().__init__(reason)
        self.reason, self.status_code = reason, status_code


class CaseApiClient:
    def __init__(self, base_url: str, token: str, timeout_seconds: float, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 3.0)),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "CaseApiClient":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def submit(self, payload: dict, idempotency_key: str) -> str:
        """Creates (or, with a key sent before, finds) the request for early help; returns its reference."""
        response = self._send("POST", "/early-help-requests", json=payload, headers={"Idempotency-Key": idempotency_key})
        if response.status_code not in (200, 201):
            raise CaseApiUnavailable(f"unexpected HTTP {response.status_code}")
        reference = _json(response).get("reference")
        if not isinstance(reference, str) or not reference:
            raise CaseApiUnavailable("the answer had no reference")
        return reference

    def get(self, reference: str) -> dict | None:
        """The stored request for early help, or None if the case API has none with that reference."""
        response = self._send("GET", f"/early-help-requests/{quote(reference, safe='')}", missing_ok=True)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CaseApiUnavailable(f"unexpected HTTP {response.status_code}")
        return _json(response)

    def _send(self, method: str, path: str, *, missing_ok: bool = False, **kwargs) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:  # connection refused, timeouts, protocol errors
            raise CaseApiUnavailable(type(exc).__name__) from exc
        code = response.status_code
        if code >= 500 or code in RETRYABLE_STATUSES:
            raise CaseApiUnavailable(f"HTTP {code}")
        if 400 <= code < 500 and not (missing_ok and code == 404):
            raise CaseApiRejected(_detail(response), status_code=code)
        return response


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise CaseApiUnavailable("the answer was not a JSON object")
    return body


def _detail(response: httpx.Response) -> str:
    """The server's `detail` as plain text (FastAPI's list form included), else the start of the body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, list):  # FastAPI's default validation errors
        detail = "; ".join(str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail)
    if isinstance(detail, str) and detail:
        return detail
    return response.text[:200] or f"HTTP {response.status_code}"
