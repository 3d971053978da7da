"""The settings guard: placeholder secrets are refused outside development."""
from __future__ import annotations

import pytest

from integrations.core.settings import Settings


def test_placeholder_secrets_are_refused_in_production():
    with pytest.raises(ValueError, match="SECRET_KEY is a placeholder"):
        Settings(environment="production", secret_key="changethis", internal_api_token="y" * 32, rasa_token="z" * 32)


def test_short_secrets_are_refused_in_production():
    with pytest.raises(ValueError, match="RASA_TOKEN"):
        Settings(environment="production", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="short")


def test_development_only_warns():
    with pytest.warns(UserWarning, match="placeholder"):
        Settings(environment="development", secret_key="changethis", internal_api_token="y" * 32, rasa_token="z" * 32)
