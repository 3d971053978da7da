"""The Rasa REST client: replies, control payloads, and every error path."""
from __future__ import annotations

import httpx
import pytest

import threading

from integrations.rasa import client as client_module
from integrations.rasa.client import BotOutput, RasaClient, RasaUnavailable


def client_for(handler) -> RasaClient:
    return RasaClient(base_urls=["http://rasa.test"], token="t", timeout_seconds=1, transport=httpx.MockTransport(handler))


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
    (status,) = client_for(handler).status().values()
    assert isinstance(status, RasaUnavailable) and str(status) == error.__name__


class TwoInstances:
    """Two Rasa instances behind one client; `broken` maps a host to the exception it raises."""

    def __init__(self) -> None:
        self.received: dict[str, list[str]] = {"a.test": [], "b.test": []}
        self.broken: dict[str, type[Exception]] = {}
        self.hold: dict[str, threading.Event] = {}
        self.client = RasaClient(base_urls=["http://a.test", "http://b.test"], token="t", timeout_seconds=1,
                                 transport=httpx.MockTransport(self.handler))

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.broken:
            raise self.broken[host]("down", request=request)
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": "m.tar.gz"})
        self.received[host].append(request.content.decode())
        if host in self.hold:
            self.hold[host].wait(5)
        return httpx.Response(200, json=[{"text": host}])

    def send(self) -> str:
        return self.client.send(sender="c", message="hi")[0].text


def test_turns_are_shared_between_instances():
    rasa = TwoInstances()
    answered_by = [rasa.send() for _ in range(6)]
    assert answered_by.count("a.test") == 3 and answered_by.count("b.test") == 3


def test_a_turn_goes_to_the_instance_with_fewer_turns_in_flight():
    rasa = TwoInstances()
    rasa.hold["a.test"] = threading.Event()
    rasa.hold["b.test"] = threading.Event()
    slow = threading.Thread(target=rasa.send)
    slow.start()  # held on whichever instance it reached
    while not any(rasa.received.values()):
        pass
    busy = next(host for host, got in rasa.received.items() if got)
    idle = "b.test" if busy == "a.test" else "a.test"
    rasa.hold.pop(idle)
    assert [rasa.send() for _ in range(3)] == [idle] * 3
    rasa.hold[busy].set()
    slow.join()


def test_a_refused_connection_goes_to_the_next_instance_and_skips_the_dead_one_for_a_while(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(client_module.time, "monotonic", lambda: now[0])
    rasa = TwoInstances()
    rasa.broken["a.test"] = httpx.ConnectError
    assert [rasa.send() for _ in range(4)] == ["b.test"] * 4
    del rasa.broken["a.test"]
    assert {rasa.send() for _ in range(2)} == {"b.test"}  # still skipped
    now[0] += client_module.SKIP_AFTER_CONNECT_ERROR_SECONDS + 1
    assert sorted(rasa.send() for _ in range(2)) == ["a.test", "b.test"]


def test_a_timeout_is_not_sent_again_to_another_instance():
    """The turn may have reached Rasa: sending it again could answer the parent twice."""
    rasa = TwoInstances()
    rasa.broken["a.test"] = rasa.broken["b.test"] = httpx.ReadTimeout
    with pytest.raises(RasaUnavailable, match="ReadTimeout"):
        rasa.send()
    rasa.broken.pop("b.test")
    for _ in range(4):
        try:
            rasa.send()
        except RasaUnavailable:
            pass
    assert len(rasa.received["b.test"]) == 2  # only the turns that chose b; none re-sent there from a


def test_every_instance_refusing_is_rasa_unavailable():
    rasa = TwoInstances()
    rasa.broken["a.test"] = rasa.broken["b.test"] = httpx.ConnectError
    with pytest.raises(RasaUnavailable, match="ConnectError"):
        rasa.send()


def test_status_is_reported_per_instance():
    rasa = TwoInstances()
    rasa.broken["b.test"] = httpx.ConnectError
    status = rasa.client.status()
    assert status["http://a.test"] == {"model_file": "m.tar.gz"} and isinstance(status["http://b.test"], RasaUnavailable)


def test_no_url_is_refused():
    with pytest.raises(ValueError):
        RasaClient(base_urls=[], token="t", timeout_seconds=1)
