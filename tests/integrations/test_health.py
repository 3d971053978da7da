"""/healthz names the failing part."""
from __future__ import annotations

import httpx

from integrations.health import views
from integrations.stack.runner import free_port


def test_an_unreachable_action_server_is_named(client, app):
    app.state.settings.action_server_url = f"http://127.0.0.1:{free_port()}"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["action_server"]
    assert body["checks"]["database"] == "ok" and body["checks"]["rasa"] == "ok"


def test_rasa_down_is_named(client, app, rasa):
    app.state.settings.action_server_url = f"http://127.0.0.1:{free_port()}"
    rasa.down = True
    assert client.get("/healthz").json()["failing"] == ["rasa", "action_server"]


def only_these_answer(monkeypatch, *base_urls: str) -> None:
    """httpx.get as seen by the health checks: 200 from the given services, connection refused elsewhere."""
    def get(url: str, **_kwargs) -> httpx.Response:
        request = httpx.Request("GET", url)
        if url.startswith(base_urls):
            return httpx.Response(200, request=request)
        raise httpx.ConnectError("connection refused", request=request)

    monkeypatch.setattr(views.httpx, "get", get)


def test_a_case_api_outage_is_reported_as_degraded_not_as_failing(client, app, monkeypatch):
    app.state.settings.action_server_url, app.state.settings.case_api_url = "http://actions.test", "http://case-api.test"
    only_these_answer(monkeypatch, "http://actions.test")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["degraded"] == ["case_api"] and "failing" not in body
    assert body["checks"]["case_api"] == "error: ConnectError"


def test_a_case_api_that_answers_is_ok(client, app, monkeypatch):
    app.state.settings.action_server_url, app.state.settings.case_api_url = "http://actions.test", "http://case-api.test"
    only_these_answer(monkeypatch, "http://actions.test", "http://case-api.test")
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["checks"]["case_api"] == "ok" and "degraded" not in body
