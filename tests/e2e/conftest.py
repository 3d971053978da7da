"""End-to-end fixtures: the real processes (action server, Rasa, service) on free ports and a fresh database."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from integrations.core.settings import REPO_ROOT
from integrations.stack.model import ensure_model
from integrations.stack.runner import Stack, StackConfig

SCREENSHOTS = Path(__file__).parent / "screenshots"
# Every answer about "today", what's on and opening hours is given as at Monday 23 November 2026, 14:30 in London.
FROZEN_CLOCK = "2026-11-23T14:30:00+00:00"
# The outbox retries within seconds and gives up on a slow case API after 2 s, so outages play out quickly.
FAST_OUTBOX = {"CASE_API_TIMEOUT_SECONDS": "2", "OUTBOX_POLL_SECONDS": "0.2", "OUTBOX_RETRY_BASE_SECONDS": "0.5",
               "OUTBOX_RETRY_MAX_SECONDS": "2"}
STAFF_PASSWORD = "e2e staff password"
# FRONTDOOR_PROFILE=scaled (make test-e2e-scaled): the same tests on PostgreSQL, Redis and several workers.
SCALED = os.environ.get("FRONTDOOR_PROFILE", "embedded") == "scaled"


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    config = StackConfig.private(model=ensure_model(), var_dir=var_dir, scaled=SCALED,
                                 extra_env={"FROZEN_CLOCK": FROZEN_CLOCK, **FAST_OUTBOX})
    config.prepare()
    stack = Stack(config)
    stack.start()
    try:
        stack.wait_healthy(timeout=300)
        yield stack
    finally:
        stack.stop()
        if config.backends is not None:
            config.backends.drop()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(stack) -> str:
    return stack.config.service_url


@pytest.fixture(scope="session")
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


def make_user(stack: Stack, name: str, role: str) -> None:
    """Creates a staff user the way the README says: `make user`, password on standard input."""
    env = {**os.environ, **stack.config.service_env()}
    subprocess.run(
        ["make", "--no-print-directory", "user", f"NAME={name}", f"ROLE={role}"],
        input=STAFF_PASSWORD + "\n", text=True, cwd=REPO_ROOT, env=env, check=True, capture_output=True,
    )


@pytest.fixture(scope="session")
def staff_headers(stack, http):
    make_user(stack, "e2e-practitioner", "practitioner")
    token = http.post("/api/auth/token", data={"username": "e2e-practitioner", "password": STAFF_PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


class Chat:
    """A parent's web chat conversation over the CONTRACT endpoints."""

    def __init__(self, http: httpx.Client):
        self.http = http
        created = http.post("/api/chat/conversations")
        assert created.status_code == 201, created.text
        body = created.json()
        self.id, self.greeting = body["conversation_id"], body["replies"]
        self.headers = {"Authorization": f"Bearer {body['token']}"}

    def post(self, **body) -> httpx.Response:
        return self.http.post(f"/api/chat/conversations/{self.id}/messages", json=body, headers=self.headers)

    def say(self, text: str) -> list[dict]:
        response = self.post(text=text)
        assert response.status_code == 200, response.text
        return response.json()["replies"]

    def press(self, payload: str) -> list[dict]:
        """A button the conversation offered."""
        response = self.post(payload=payload)
        assert response.status_code == 200, response.text
        return response.json()["replies"]

    def text_of(self, replies: list[dict]) -> str:
        return "\n".join(r["text"] for r in replies)


@pytest.fixture
def chat(http) -> Chat:
    return Chat(http)
