"""Action test fixtures: trackers built like Rasa builds them, and the service behind httpx.MockTransport."""
from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.frontdoor_client import FrontDoorClient


def make_tracker(
    text: str,
    *,
    intent: str = "nlu_fallback",
    entities: list[dict] | None = None,
    channel: str = "webchat",
    intent_ranking: list[dict] | None = None,
    slots: dict | None = None,
    rhrt: dict | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": intent_ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
        "metadata": {"channel": channel},
    }
    if rhrt is not None:
        latest["rhrt"] = rhrt
    return Tracker(
        sender_id="conversation-1", slots=slots or {}, latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


class FakeService:
    """The front-door service's internal API as the actions see it; records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[str, Callable[[httpx.Request], httpx.Response]] = {}

    def on(self, path: str, body: dict | None = None, status: int = 200) -> None:
        self.routes[path] = lambda request: httpx.Response(status, json=body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get(request.url.path)
        return route(request) if route else httpx.Response(404, json={"detail": "not found"})

    def client(self) -> FrontDoorClient:
        return FrontDoorClient(base_url="http://service.test", token="internal-token", transport=httpx.MockTransport(self.handler))


class DownService(FakeService):
    def handler(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)


@pytest.fixture
def service() -> FakeService:
    return FakeService()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def params(request: httpx.Request) -> dict:
    return dict(request.url.params)


def as_json(request: httpx.Request) -> dict:
    return json.loads(request.content)
