"""Client for the Rasa servers: the REST channel for turns, the HTTP API for status.

With more than one Rasa instance (the scale-out profile), each turn goes to the instance with the fewest
turns in flight from this process. Sanic workers sharing one socket split connections unevenly (one worker
took three times the other's turns under load), so the service balances the instances itself. A turn that
cannot connect to an instance goes to the next: it never reached Rasa, so it cannot be answered twice."""
from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

# After an instance refused a connection, turns skip it for this long (unless every instance is skipped).
SKIP_AFTER_CONNECT_ERROR_SECONDS = 5.0


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out or answered with an error."""


@dataclass(frozen=True)
class BotOutput:
    """One item of Rasa's reply: visible text/buttons, or a control payload for the service."""

    text: str | None = None
    buttons: list[dict] = field(default_factory=list)
    control: dict | None = None


@dataclass
class _Instance:
    url: str
    http: httpx.Client
    in_flight: int = 0
    skip_until: float = 0.0


class RasaClient:
    def __init__(self, *, base_urls: Sequence[str], token: str, timeout_seconds: float,
                 transport: httpx.BaseTransport | None = None, test_delay_seconds: float = 0.0):
        if not base_urls:
            raise ValueError("at least one Rasa URL is needed")
        self._token, self._test_delay = token, test_delay_seconds
        self._instances = [
            _Instance(url, httpx.Client(base_url=url, timeout=httpx.Timeout(timeout_seconds, connect=3.0), transport=transport))
            for url in base_urls
        ]
        self._lock = threading.Lock()
        self._turn = itertools.count()  # breaks ties between equally busy instances, round robin

    def close(self) -> None:
        for instance in self._instances:
            instance.http.close()

    def send(self, *, sender: str, message: str, metadata: dict | None = None) -> list[BotOutput]:
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        if self._test_delay:
            time.sleep(self._test_delay)  # RASA_TEST_DELAY_SECONDS: a slow Rasa, for tests only
        response = self._post_to_an_instance("/webhooks/rest/webhook", body)
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            items = response.json()
        except ValueError as exc:
            raise RasaUnavailable("reply was not JSON") from exc
        if not isinstance(items, list):
            raise RasaUnavailable("reply was not a list")
        return [output for item in items if (output := _parse_item(item)) is not None]

    def status(self) -> dict[str, dict | RasaUnavailable]:
        """Each instance's /status (by URL), or the reason it did not answer."""
        return {instance.url: self._status_of(instance) for instance in self._instances}

    def _status_of(self, instance: _Instance) -> dict | RasaUnavailable:
        try:
            response = instance.http.get("/status", params={"token": self._token}, timeout=3.0)
        except httpx.HTTPError as exc:
            return RasaUnavailable(type(exc).__name__)
        if response.status_code != 200:
            return RasaUnavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            return RasaUnavailable("status was not JSON")

    def _post_to_an_instance(self, path: str, body: dict) -> httpx.Response:
        last_error = "no instance"
        for instance in self._in_order_of_preference():
            with self._lock:
                instance.in_flight += 1
            try:
                return instance.http.post(path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing was sent: the next instance can take the turn.
                last_error = type(exc).__name__
                instance.skip_until = time.monotonic() + SKIP_AFTER_CONNECT_ERROR_SECONDS
            except httpx.HTTPError as exc:
                # The turn may have reached Rasa (a timeout, a dropped connection): sending it again could
                # answer it twice, so the parent is asked to try again instead.
                raise RasaUnavailable(type(exc).__name__) from exc
            finally:
                with self._lock:
                    instance.in_flight -= 1
        raise RasaUnavailable(last_error)

    def _in_order_of_preference(self) -> list[_Instance]:
        now = time.monotonic()
        with self._lock:
            start = next(self._turn) % len(self._instances)
            rotated = self._instances[start:] + self._instances[:start]
            # Instances not skipped first, least busy first; sorted() is stable, so ties keep the rotation.
            return sorted(rotated, key=lambda i: (i.skip_until > now, i.in_flight))


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
