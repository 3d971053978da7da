"""The reference case API's settings: read from the environment, validated, guarded against placeholders."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from integrations.core.settings import REPO_ROOT, refuse_placeholder_secrets


class CaseApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    case_api_token: str = "development-only"
    case_api_database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'case_api.db'}"
    case_api_host: str = "127.0.0.1"
    case_api_port: int = Field(default=8100, ge=1, le=65535)
    # Tests only: store the request, then wait this long before answering, so a client's first attempt
    # times out after the server kept it (the retry must get the same reference). Refused in production.
    case_api_response_delay_seconds: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _refuse_delay_in_production(self) -> "CaseApiSettings":
        if self.case_api_response_delay_seconds and self.environment == "production":
            raise ValueError("CASE_API_RESPONSE_DELAY_SECONDS is for tests; unset it in production")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_token(self) -> "CaseApiSettings":
        refuse_placeholder_secrets(self, ("case_api_token",))
        return self
