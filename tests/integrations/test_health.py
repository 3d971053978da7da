"""/healthz names the failing part."""
from __future__ import annotations

import httpx

from integrations.health import views
from integrations.rasa.client import RasaClient
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


def test_one_rasa_instance_down_of_two_is_degraded_not_failing(client, app):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-2.test":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"model_file": "m.tar.gz"})

    app.state.rasa = RasaClient(base_urls=["http://rasa-1.test", "http://rasa-2.test"], token="t", timeout_seconds=1,
                                transport=httpx.MockTransport(handler))
    body = client.get("/healthz").json()
    assert "rasa" not in body.get("failing", []) and "rasa" in body["degraded"]
    assert body["checks"]["rasa"] == "degraded: 1 of 2 instances answer; http://rasa-2.test error: ConnectError"


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
