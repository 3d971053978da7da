"""Sending texts through the twilio library, to Twilio or (TWILIO_API_BASE_URL) the fake Twilio API."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from integrations.core.settings import Settings

STATUS_PATH = "/webhooks/twilio/status"
# The library logs request URLs and headers at INFO; phone numbers must not reach the logs.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)


class SmsNotSent(Exception):
    """Twilio did not take the text. `retry` says whether trying again later may work."""

    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.retry = retry


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's documented way to reach another host: a custom HTTP client that rewrites each URL."""

    def __init__(self, base_url: str, *, timeout: float):
        super().__init__(timeout=timeout)
        self._base = urlsplit(base_url.rstrip("/"))

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        rebased = urlunsplit((self._base.scheme, self._base.netloc, self._base.path + parts.path, parts.query, ""))
        return super().request(method, rebased, *args, **kwargs)


def make_client(settings: Settings, *, http_client: HttpClient | None = None) -> Client:
    if http_client is None:
        base = settings.twilio_api_base_url
        http_client = (RebasedHttpClient(base, timeout=settings.twilio_timeout_seconds) if base
                       else TwilioHttpClient(timeout=settings.twilio_timeout_seconds))
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)


@dataclass
class TwilioSender:
    """send(to, body) -> (Twilio's message sid, its first status), or SmsNotSent."""

    client: Client
    from_number: str
    status_callback: str

    @classmethod
    def from_settings(cls, settings: Settings, *, http_client: HttpClient | None = None) -> "TwilioSender":
        return cls(make_client(settings, http_client=http_client), settings.twilio_from_number,
                   settings.public_base_url.rstrip("/") + STATUS_PATH)

    def __call__(self, to: str, body: str) -> tuple[str, str]:
        try:
            message = self.client.messages.create(to=to, from_=self.from_number, body=body, status_callback=self.status_callback)
        except TwilioRestException as exc:
            # 429 and 5xx are Twilio's trouble (try again); any other 4xx is about this text or number.
            retry = exc.status == 429 or exc.status >= 500 or exc.status in (401, 403)
            raise SmsNotSent(f"HTTP {exc.status} code {exc.code}", retry=retry) from exc
        except Exception as exc:  # the requests library's connection errors and timeouts
            raise SmsNotSent(type(exc).__name__, retry=True) from exc
        return message.sid, message.status or "queued"
