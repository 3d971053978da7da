"""Service test fixtures: one migrated, seeded SQLite database; a rolled-back session per test;
a scripted Rasa behind httpx.MockTransport (the real RasaClient runs against it); the reference case API."""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from integrations.app import create_app
from integrations.case_api.server import create_case_api
from integrations.case_api.settings import CaseApiSettings
from integrations.content.store import seed_content
from integrations.core.db import get_session, make_engine
from integrations.core.migrate import upgrade
from integrations.core.settings import REPO_ROOT, Settings
from integrations.rasa.client import RasaClient
from integrations.staff.users import upsert_user

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
    client = RasaClient(base_url="http://rasa.test", token=settings.rasa_token, timeout_seconds=2, transport=httpx.MockTransport(rasa.handler))
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
