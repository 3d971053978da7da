"""The fake Twilio API's settings: the account it accepts, where it listens, whether it posts status callbacks."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from integrations.core.settings import refuse_placeholder_secrets


class TwilioFakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    twilio_account_sid: str = Field(min_length=1)  # the account it accepts: the one the service is given
    twilio_auth_token: str = "development-only"
    twilio_fake_host: str = "127.0.0.1"
    twilio_fake_port: int = Field(default=8200, ge=1, le=65535)
    # After accepting a text, post "sent" then "delivered" to its StatusCallback, signed like Twilio does.
    twilio_fake_status_callbacks: bool = True

    @model_validator(mode="after")
    def _not_in_production(self) -> "TwilioFakeSettings":
        if self.environment == "production":
            raise ValueError("the fake Twilio API is for development and tests; production uses Twilio")
        refuse_placeholder_secrets(self, ("twilio_auth_token",))
        return self
