"""Service test fixtures: one migrated, seeded SQLite database; a rolled-back session per test;
a scripted Rasa behind httpx.MockTransport (the real RasaClient runs against it); the reference case API;
the fake Twilio API (the real twilio library talks to it) and a phone that sends signed webhooks."""
from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator

from integrations.app import create_app
from integrations.case_api.server import create_case_api
from integrations.case_api.settings import CaseApiSettings
from integrations.channels.sms.inbound import answer_received
from integrations.channels.sms.outbound import deliver_due, queue_pending
from integrations.channels.sms.twilio_api import TwilioSender
from integrations.content.store import seed_content
from integrations.core.db import get_session, make_engine
from integrations.core.migrate import upgrade
from integrations.core.settings import REPO_ROOT, Settings
from integrations.core.worker import Backoff
from integrations.rasa.client import RasaClient
from integrations.staff.users import upsert_user
from integrations.twilio_fake.server import create_twilio_fake
from integrations.twilio_fake.settings import TwilioFakeSettings

CONTENT_DIR = REPO_ROOT / "data" / "content"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'service.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_content(session, CONTENT_DIR)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()
    outer.rollback()
    connection.close()


@pytest.fixture
def settings(engine) -> Settings:
    return Settings(
        environment="test",
        outbox_worker=False,  # tests drive the outbox themselves (deliver_due)
        sms_worker=False,  # and the SMS worker's rounds (tests/integrations/test_sms_*.py)
        database_url=str(engine.url),
        secret_key=secrets.token_urlsafe(32),
        internal_api_token=secrets.token_urlsafe(32),
        rasa_token=secrets.token_urlsafe(32),
        case_api_token=secrets.token_urlsafe(32),
        twilio_auth_token=secrets.token_urlsafe(32),
        twilio_account_sid="AC" + secrets.token_hex(16),
    )


class ScriptedRasa:
    """Speaks Rasa's REST channel: replies come from `reply` (a function of the request body)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.down = False
        self.reply: Callable[[dict], list[dict]] = lambda body: [
            {"recipient_id": body["sender"], "text": f"echo: {body['message']}"}
        ]

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": "frontdoor-test.tar.gz"})
        body = json.loads(request.content)
        self.received.append(body)
        return httpx.Response(200, json=self.reply(body))


@pytest.fixture
def rasa() -> ScriptedRasa:
    return ScriptedRasa()


FIXED_NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)  # a Monday afternoon


@pytest.fixture
def app(settings, session, rasa):
    client = RasaClient(base_urls=["http://rasa.test"], token=settings.rasa_token, timeout_seconds=2, transport=httpx.MockTransport(rasa.handler))
    app = create_app(settings, rasa=client, clock=lambda: FIXED_NOW)
    app.dependency_overrides[get_session] = lambda: session

    @contextmanager
    def same_session():
        yield session

    app.state.sessions = same_session
    return app


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def make_staff(session):
    def make(username: str = "pat", role: str = "practitioner") -> dict[str, str]:
        upsert_user(session, username=username, role=role, password=PASSWORD)
        session.commit()
        return {"username": username, "password": PASSWORD}

    return make


@pytest.fixture
def staff_headers(client, make_staff):
    def headers(role: str = "practitioner", username: str | None = None) -> dict[str, str]:
        form = make_staff(username or role, role)
        token = client.post("/api/auth/token", data=form).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def make_case_api(tmp_path):
    """Starts the reference case API on this test's own SQLite file; settings may be overridden."""
    with ExitStack() as started:
        def make(**overrides) -> TestClient:
            settings = CaseApiSettings(**{
                "environment": "test",
                "case_api_token": secrets.token_urlsafe(32),
                "case_api_database_url": f"sqlite:///{tmp_path / 'case_api.db'}",
                "case_api_response_delay_seconds": 0,
                **overrides,
            })
            return started.enter_context(TestClient(create_case_api(settings)))

        yield make


@pytest.fixture
def case_api(make_case_api) -> TestClient:
    return make_case_api()


def through(test_client: TestClient) -> httpx.MockTransport:
    """A transport that hands each request to the app behind a TestClient (lifespan and all)."""

    def handler(request: httpx.Request) -> httpx.Response:
        answer = test_client.request(request.method, request.url.raw_path.decode(), headers=request.headers, content=request.content)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return httpx.MockTransport(handler)


class TwilioThrough(HttpClient):
    """The twilio library's HTTP client, handing each request to the fake Twilio API behind a TestClient."""

    def __init__(self, test_client: TestClient):
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.test_client = test_client

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False):
        headers = dict(headers or {})
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        answer = self.test_client.request(method, urlsplit(url).path, params=params, data=data, headers=headers)
        return TwilioResponse(answer.status_code, answer.text, answer.headers)


@pytest.fixture
def twilio_fake(settings):
    fake = TwilioFakeSettings(environment="test", twilio_account_sid=settings.twilio_account_sid,
                              twilio_auth_token=settings.twilio_auth_token, twilio_fake_status_callbacks=False)
    with TestClient(create_twilio_fake(fake)) as client:
        client.auth = (settings.twilio_account_sid, settings.twilio_auth_token)
        yield client


class Sms:
    """A phone texting the service through signed webhooks, and the SMS worker's rounds, run by hand."""

    PHONE = "+447700900123"

    def __init__(self, client: TestClient, app, settings: Settings, twilio_fake: TestClient):
        self.client, self.app, self.settings, self.fake = client, app, settings, twilio_fake
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.sender = TwilioSender.from_settings(settings, http_client=TwilioThrough(twilio_fake))
        self.backoff = Backoff(base_seconds=0, max_seconds=0, lease_seconds=0)  # due again at once: the next round retries
        self.sids = 0

    def post(self, path: str, params: dict, *, signature: str | None = "sign") -> httpx.Response:
        url = self.settings.public_base_url + path
        headers = {} if signature is None else {
            "X-Twilio-Signature": self.validator.compute_signature(url, params) if signature == "sign" else signature}
        return self.client.post(path, data=params, headers=headers)

    def text(self, body: str, *, sid: str | None = None, phone: str = PHONE, signature: str | None = "sign") -> httpx.Response:
        if sid is None:
            self.sids += 1
            sid = f"SM{self.sids:032d}"
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.settings.twilio_account_sid, "From": phone,
                  "To": self.settings.twilio_from_number, "Body": body, "NumMedia": "0"}
        return self.post("/webhooks/twilio/sms", params, signature=signature)

    def work(self) -> None:
        """One round of the SMS worker: answer stored texts, queue the replies, send them."""
        sessions = self.app.state.sessions
        answer_received(sessions, self.app.state.rasa, per_minute=self.settings.sms_messages_per_minute)
        queue_pending(sessions)
        deliver_due(sessions, self.sender, backoff=self.backoff, max_attempts=3)

    def sent(self, phone: str = PHONE) -> list[str]:
        """What the fake Twilio API was asked to send to this phone."""
        path = f"/2010-04-01/Accounts/{self.settings.twilio_account_sid}/Messages.json"
        return [m["body"] for m in self.fake.get(path, params={"To": phone}).json()["messages"]]

    def say(self, body: str) -> list[str]:
        """Text, let the worker answer, and return the texts that came back."""
        before = len(self.sent())
        assert self.text(body).status_code == 200
        self.work()
        return self.sent()[before:]


@pytest.fixture
def sms(client, app, settings, twilio_fake) -> Sms:
    return Sms(client, app, settings, twilio_fake)
