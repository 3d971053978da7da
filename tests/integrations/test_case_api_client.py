"""The case API client: what it sends, how it reads answers, which failures are worth a retry."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from integrations.case_api.client import CaseApiClient, CaseApiRejected, CaseApiUnavailable
from integrations.case_api.schemas import EXAMPLE
from tests.integrations.conftest import through

TOKEN = "case-api-token-for-tests-0123456789"


def client_for(handler: Callable[[httpx.Request], httpx.Response], timeout_seconds: float = 4.0) -> CaseApiClient:
    return CaseApiClient("http://case-api.test", TOKEN, timeout_seconds, transport=httpx.MockTransport(handler))


def answering(status_code: int, body: object = None) -> CaseApiClient:
    return client_for(lambda request: httpx.Response(status_code, json=body))


def failing_with(error: type[httpx.HTTPError]) -> CaseApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error("simulated", request=request)

    return client_for(handler)


def test_submit_sends_the_key_token_and_body_and_returns_the_reference():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"reference": "EH-2026-000042", "status": "received", "received_at": "2026-11-23T14:30:02Z"})

    with client_for(handler, timeout_seconds=7) as client:
        assert client.submit(EXAMPLE, "outbox-17") == "EH-2026-000042"
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/early-help-requests")
    assert request.headers["Idempotency-Key"] == "outbox-17"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == EXAMPLE
    assert request.extensions["timeout"] == {"connect": 3.0, "read": 7, "write": 7, "pool": 7}


def test_a_replay_answer_gives_the_reference_too():
    assert answering(200, {"reference": "EH-2026-000042", "status": "received"}).submit(EXAMPLE, "k") == "EH-2026-000042"


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_network_failures_and_timeouts_are_worth_a_retry(error):
    with pytest.raises(CaseApiUnavailable):
        failing_with(error).submit(EXAMPLE, "k")
    with pytest.raises(CaseApiUnavailable):
        failing_with(error).get("EH-2026-000001")


@pytest.mark.parametrize("status_code", [500, 502, 503, 504, 429, 408])
def test_server_errors_and_busy_answers_are_worth_a_retry(status_code):
    with pytest.raises(CaseApiUnavailable, match=f"HTTP {status_code}"):
        answering(status_code, {"detail": "busy"}).submit(EXAMPLE, "k")


@pytest.mark.parametrize("answer", [(201, {"status": "received"}), (201, ["EH-1"]), (202, {"reference": "EH-1"})])
def test_an_answer_without_a_reference_is_worth_a_retry(answer):
    with pytest.raises(CaseApiUnavailable):
        answering(*answer).submit(EXAMPLE, "k")


@pytest.mark.parametrize("status_code, body, reason", [
    (400, {"detail": "Bad request."}, "Bad request."),
    (409, {"detail": "This Idempotency-Key was already used for a different request."}, "This Idempotency-Key was already used for a different request."),
    (422, {"detail": "consent.given: a request for early help needs the parent's explicit consent"}, "consent.given: a request for early help needs the parent's explicit consent"),
    (422, {"detail": [{"loc": ["body", "parent"], "msg": "Field required"}]}, "Field required"),
    (401, {"detail": "Missing or wrong bearer token."}, "Missing or wrong bearer token."),
])
def test_other_client_errors_are_rejections_with_the_servers_detail(status_code, body, reason):
    with pytest.raises(CaseApiRejected) as raised:
        answering(status_code, body).submit(EXAMPLE, "k")
    assert raised.value.reason == reason and raised.value.status_code == status_code


def test_a_rejection_without_json_gives_the_start_of_the_body():
    client = client_for(lambda request: httpx.Response(400, text="<html>Bad Request</html>"))
    with pytest.raises(CaseApiRejected, match="<html>Bad Request</html>"):
        client.submit(EXAMPLE, "k")


def test_get_returns_the_record_or_none():
    records = {"/early-help-requests/EH-2026-000001": {"reference": "EH-2026-000001", **EXAMPLE}}

    def handler(request: httpx.Request) -> httpx.Response:
        record = records.get(request.url.path)
        return httpx.Response(200, json=record) if record else httpx.Response(404, json={"detail": "No such request."})

    client = client_for(handler)
    assert client.get("EH-2026-000001")["reference"] == "EH-2026-000001"
    assert client.get("EH-2026-000002") is None


def test_the_client_and_the_reference_server_agree(case_api):
    token = case_api.app.state.settings.case_api_token
    client = CaseApiClient("http://case-api.test", token, 5, transport=through(case_api))
    reference = client.submit(EXAMPLE, "outbox-1")
    assert client.submit(EXAMPLE, "outbox-1") == reference
    assert client.get(reference)["parent"]["name"] == EXAMPLE["parent"]["name"]
    assert client.get("EH-1999-000001") is None
    assert client.get("../healthz") is None  # a reference is one path segment, whatever it holds

    no_consent = copy.deepcopy(EXAMPLE)
    no_consent["consent"]["given"] = False
    with pytest.raises(CaseApiRejected, match="explicit consent") as raised:
        client.submit(no_consent, "outbox-2")
    assert raised.value.status_code == 422
    with pytest.raises(CaseApiRejected, match="different request"):
        client.submit({**EXAMPLE, "children": [{"first_name": "Jo", "age": 4}]}, "outbox-1")
    with pytest.raises(CaseApiRejected, match="wrong bearer token"):
        CaseApiClient("http://case-api.test", "not-the-token-000000", 5, transport=through(case_api)).get(reference)
