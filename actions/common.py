"""Small helpers every action uses: the channel, the latest text, the service client."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.frontdoor_client import FrontDoorClient


def channel_of(tracker: Tracker) -> str:
    """'sms' or 'webchat' (the service sends it as message metadata)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return "sms" if metadata.get("channel") == "sms" else "webchat"


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def is_payload(text: str) -> bool:
    return text.startswith("/")


class UsesFrontDoor:
    """Mixin: a FrontDoorClient from the environment unless a test gives one."""

    def __init__(self, client: FrontDoorClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> FrontDoorClient:
        if self._client is None:
            self._client = FrontDoorClient.from_env()
        return self._client
