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


def test_a_frozen_clock_is_refused_in_production():
    with pytest.raises(ValueError, match="FROZEN_CLOCK is for tests"):
        Settings(environment="production", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="z" * 32,
                 frozen_clock="2026-11-23T14:30:00+00:00")


def test_a_frozen_clock_needs_an_offset():
    with pytest.raises(ValueError, match="UTC offset"):
        Settings(environment="test", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="z" * 32,
                 frozen_clock="2026-11-23T14:30:00")


def test_a_placeholder_twilio_auth_token_is_refused_in_production():
    with pytest.raises(ValueError, match="TWILIO_AUTH_TOKEN is a placeholder"):
        Settings(environment="production", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="z" * 32,
                 case_api_token="c" * 32, twilio_auth_token="changethis")


def test_a_slow_rasa_is_refused_in_production():
    with pytest.raises(ValueError, match="RASA_TEST_DELAY_SECONDS is for tests"):
        Settings(environment="production", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="z" * 32,
                 case_api_token="c" * 32, twilio_auth_token="t" * 32, rasa_test_delay_seconds=20)


def test_production_needs_a_twilio_account():
    with pytest.raises(ValueError, match="TWILIO_ACCOUNT_SID"):
        Settings(environment="production", secret_key="x" * 32, internal_api_token="y" * 32, rasa_token="z" * 32,
                 case_api_token="c" * 32, twilio_auth_token="t" * 32)
