"""/healthz names the failing part."""
from __future__ import annotations

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
