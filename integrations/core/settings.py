"""The service's settings: read from the environment once, validated, and guarded against placeholders."""
from __future__ import annotations

import warnings
from functools import lru_cache
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRETS = {"", "changethis", "changeme", "secret", "development-only"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'frontdoor.db'}"

    # Secrets: no usable defaults outside development (see _refuse_placeholder_secrets).
    secret_key: str = "development-only"
    internal_api_token: str = "development-only"
    rasa_token: str = "development-only"
    case_api_token: str = "development-only"
    twilio_auth_token: str = "development-only"

    # One Rasa server, or several (comma-separated) sharing a tracker and lock store: see integrations/rasa/client.py.
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 25.0
    action_server_url: str = "http://127.0.0.1:5055"
    # The council's case API (requests for early help); `make run` starts the reference one here.
    case_api_url: str = "http://127.0.0.1:8100"
    case_api_timeout_seconds: float = Field(default=10.0, gt=0)

    # SMS (Twilio). Production sets the real account and number and no TWILIO_API_BASE_URL; `make run` and the
    # tests point the twilio library at the fake Twilio API (integrations/twilio_fake).
    twilio_account_sid: str = ""  # Twilio's "AC..." id; `make run` and the tests make one up for the fake
    twilio_from_number: str = "+447700900000"
    twilio_api_base_url: str | None = None
    twilio_timeout_seconds: float = Field(default=10.0, gt=0)
    # The SMS worker: answers stored texts (Rasa) and sends the outbound queue. SMS_WORKER=false: none (tests).
    sms_worker: bool = True
    sms_poll_seconds: float = Field(default=0.5, gt=0)
    sms_retry_base_seconds: float = Field(default=2.0, gt=0)
    sms_retry_max_seconds: float = Field(default=300.0, gt=0)
    sms_max_attempts: int = Field(default=8, ge=1)
    # Tests only: the service waits this long before each Rasa turn (a slow Rasa). Refused in production.
    rasa_test_delay_seconds: float = Field(default=0.0, ge=0)

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    public_base_url: str = "http://127.0.0.1:8000"
    quick_exit_url: str = "https://www.bbc.co.uk/weather"
    content_dir: Path = REPO_ROOT / "data" / "content"

    max_message_chars: int = Field(default=5000, ge=1)
    # Per conversation (a web chat, or a phone number): more parent messages than this in a minute are asked to
    # slow down (web: 429, the page keeps the words; SMS: stored, one kind text, not sent to Rasa).
    chat_messages_per_minute: int = Field(default=20, ge=1)
    sms_messages_per_minute: int = Field(default=10, ge=1)
    access_token_minutes: int = Field(default=8 * 60, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    transcript_retention_days: int = Field(default=365, ge=1)
    # Tests only: answers about "today", opening hours and what's on use this instant instead of the real
    # time (ISO 8601 with offset). Refused in production.
    frozen_clock: datetime | None = None
    # The early-help outbox: how often the worker looks for requests to send, and the first retry delay
    # (it doubles each time, up to outbox_retry_max_seconds). OUTBOX_WORKER=false runs no worker (tests).
    outbox_worker: bool = True
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_retry_base_seconds: float = Field(default=2.0, gt=0)
    outbox_retry_max_seconds: float = Field(default=300.0, gt=0)

    @property
    def rasa_urls(self) -> list[str]:
        return [url.strip() for url in self.rasa_url.split(",") if url.strip()]

    @model_validator(mode="after")
    def _refuse_frozen_clock_in_production(self) -> "Settings":
        if self.frozen_clock is not None:
            if self.environment == "production":
                raise ValueError("FROZEN_CLOCK is for tests; unset it in production")
            if self.frozen_clock.tzinfo is None:
                raise ValueError("FROZEN_CLOCK needs a UTC offset, e.g. 2026-11-23T14:30:00+00:00")
        return self

    @model_validator(mode="after")
    def _refuse_an_empty_rasa_url(self) -> "Settings":
        if not self.rasa_urls:
            raise ValueError("RASA_URL is empty; give one Rasa URL or several, comma-separated")
        return self

    @model_validator(mode="after")
    def _refuse_test_settings_in_production(self) -> "Settings":
        if self.environment == "production" and self.rasa_test_delay_seconds:
            raise ValueError("RASA_TEST_DELAY_SECONDS is for tests; unset it in production")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        refuse_placeholder_secrets(self, ("secret_key", "internal_api_token", "rasa_token", "case_api_token", "twilio_auth_token"))
        if self.environment == "production" and not self.twilio_account_sid:
            raise ValueError("TWILIO_ACCOUNT_SID is not set")
        return self


def refuse_placeholder_secrets(settings: BaseSettings, names: tuple[str, ...]) -> None:
    """Warns in development, and refuses anywhere else, a secret that is a placeholder or under 16 characters."""
    for name in names:
        value = getattr(settings, name)
        if value in PLACEHOLDER_SECRETS or len(value) < 16:
            message = f"{name.upper()} is a placeholder; set a random value of 16+ characters"
            if settings.environment == "development":
                warnings.warn(message, stacklevel=3)
            else:
                raise ValueError(message)


@lru_cache
def get_settings() -> Settings:
    return Settings()
