"""Thin client for the Rasa server: the REST channel for turns, the HTTP API for status."""
from __future__ import annotations

from dataclasses import dataclass, field

import time

import httpx


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out or answered with an error."""


@dataclass(frozen=True)
class BotOutput:
    """One item of Rasa's reply: visible text/buttons, or a control payload for the service."""

    text: str | None = None
    buttons: list[dict] = field(default_factory=list)
    control: dict | None = None


class RasaClient:
    def __init__(self, *, base_url: str, token: str, timeout_seconds: float, transport: httpx.BaseTransport | None = None,
                 test_delay_seconds: float = 0.0):
        self._token, self._test_delay = token, test_delay_seconds
        self._http = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(timeout_seconds, connect=3.0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def send(self, *, sender: str, message: str, metadata: dict | None = None) -> list[BotOutput]:
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        if self._test_delay:
            time.sleep(self._test_delay)  # RASA_TEST_DELAY_SECONDS: a slow Rasa, for tests only
        try:
            response = self._http.post("/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            items = response.json()
        except ValueError as exc:
            raise RasaUnavailable("reply was not JSON") from exc
        if not isinstance(items, list):
            raise RasaUnavailable("reply was not a list")
        return [output for item in items if (output := _parse_item(item)) is not None]

    def status(self) -> dict:
        try:
            response = self._http.get("/status", params={"token": self._token}, timeout=3.0)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        return response.json()


def _parse_item(item: object) -> BotOutput | None:
    if not isinstance(item, dict):
        return None
    custom = item.get("custom")
    if isinstance(custom, dict) and "frontdoor_event" in custom:
        return BotOutput(control=custom)
    text = item.get("text")
    buttons = [
        {"title": str(b["title"]), "payload": str(b["payload"])}
        for b in item.get("buttons") or []
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    ]
    if not text and not buttons:
        return None
    return BotOutput(text=text or "", buttons=buttons)
