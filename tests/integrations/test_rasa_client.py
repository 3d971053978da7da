"""The Rasa REST client: replies, control payloads, and every error path."""
from __future__ import annotations

import httpx
import pytest

from integrations.rasa.client import BotOutput, RasaClient, RasaUnavailable


def client_for(handler) -> RasaClient:
    return RasaClient(base_url="http://rasa.test", token="t", timeout_seconds=1, transport=httpx.MockTransport(handler))


def test_text_buttons_and_control_payloads_are_told_apart():
    items = [
        {"recipient_id": "c", "text": "Hello", "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "", "payload": "/x"}]},
        {"recipient_id": "c", "custom": {"frontdoor_event": "handoff", "urgent": True}},
        {"recipient_id": "c", "custom": {"something": "else"}},
        {"recipient_id": "c", "image": "http://x"},
    ]
    outputs = client_for(lambda request: httpx.Response(200, json=items)).send(sender="c", message="hi")
    assert outputs == [
        BotOutput(text="Hello", buttons=[{"title": "Yes", "payload": "/affirm"}]),
        BotOutput(control={"frontdoor_event": "handoff", "urgent": True}),
    ]


@pytest.mark.parametrize(
    "handler",
    [
        lambda request: httpx.Response(500, text="boom"),
        lambda request: httpx.Response(200, text="not json"),
        lambda request: httpx.Response(200, json={"not": "a list"}),
    ],
)
def test_bad_replies_raise_rasa_unavailable(handler):
    with pytest.raises(RasaUnavailable):
        client_for(handler).send(sender="c", message="hi")


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ReadTimeout])
def test_network_errors_raise_rasa_unavailable(error):
    def handler(request):
        raise error("down", request=request)

    with pytest.raises(RasaUnavailable):
        client_for(handler).send(sender="c", message="hi")
    with pytest.raises(RasaUnavailable):
        client_for(handler).status()
