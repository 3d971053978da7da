"""The early-help outbox: stored with the turn, delivered exactly once, retried with backoff, never lost."""
from __future__ import annotations

import copy
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from integrations.case_api.client import CaseApiClient, CaseApiRejected, CaseApiUnavailable
from integrations.case_api.models import EarlyHelpRequestRow
from integrations.case_api.schemas import EXAMPLE
from integrations.conversations.control import apply_control
from integrations.conversations.models import Conversation, Message
from integrations.core.db import utcnow
from integrations.early_help.models import EarlyHelpRequest
from integrations.core.worker import Backoff
from integrations.early_help.outbox import deliver_due
from tests.integrations.conftest import through

NO_WAIT = Backoff(base_seconds=0, max_seconds=0)  # due again at once (1 ms could still be ahead of the next round)
REQUEST = {k: v for k, v in copy.deepcopy(EXAMPLE).items() if k != "source"}


def sessions_for(session) -> sessionmaker:
    """Sessions on the test's connection, so the outbox's commits roll back with the test."""
    return sessionmaker(bind=session.get_bind(), join_transaction_mode="create_savepoint", expire_on_commit=False)


def stored(session, *, triage: bool = False) -> tuple[Conversation, EarlyHelpRequest]:
    conversation = Conversation(id="c-eh", channel="webchat")
    session.add(conversation)
    session.flush()
    if triage:
        apply_control(session, conversation, {"frontdoor_event": "triage", "level": 3, "danger": False, "concerns": [
            {"id": "l3-child-self-harm", "domain": "child", "descriptor": "Self-harm.", "level": 3}]})
    apply_control(session, conversation, {"frontdoor_event": "early_help_request", "request": REQUEST})
    session.commit()
    return conversation, session.scalars(select(EarlyHelpRequest)).one()


def bot_texts(session, conversation) -> list[str]:
    return [m.text for m in session.scalars(select(Message).where(Message.conversation_id == conversation.id, Message.sender == "bot"))]


def test_the_request_is_stored_with_the_turn_with_triage_and_where_it_came_from(session):
    conversation, request = stored(session, triage=True)
    assert request.status == "pending" and request.attempts == 0 and len(request.idempotency_key) == 36
    assert request.payload["source"] == {"channel": "webchat", "conversation_id": "c-eh"}
    assert request.payload["concerns"]["rhrt_level"] == 3
    assert request.payload["concerns"]["descriptors"][0]["id"] == "l3-child-self-harm"


def test_delivered_once_and_the_parent_gets_the_reference(session, case_api):
    conversation, request = stored(session)
    client = CaseApiClient("http://case-api.test", case_api.app.state.settings.case_api_token, 5, transport=through(case_api))
    assert deliver_due(sessions_for(session), client.submit, backoff=NO_WAIT) == 1
    session.refresh(request)
    assert request.status == "sent" and request.reference.startswith("EH-")
    assert any(request.reference in text for text in bot_texts(session, conversation))
    assert deliver_due(sessions_for(session), client.submit, backoff=NO_WAIT) == 0  # nothing left to send
    with case_api.app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(EarlyHelpRequestRow)) == 1


def test_a_timeout_after_the_server_stored_it_is_retried_with_the_same_key_and_created_once(session, case_api):
    conversation, request = stored(session)
    client = CaseApiClient("http://case-api.test", case_api.app.state.settings.case_api_token, 5, transport=through(case_api))
    keys = []

    def stores_then_times_out(payload: dict, key: str) -> str:
        keys.append(key)
        reference = client.submit(payload, key)
        if len(keys) == 1:
            raise CaseApiUnavailable("ReadTimeout")  # the server has it; we never heard back
        return reference

    assert deliver_due(sessions_for(session), stores_then_times_out, backoff=NO_WAIT) == 0
    session.refresh(request)
    assert (request.status, request.attempts) == ("pending", 1) and "ReadTimeout" in request.reason
    assert deliver_due(sessions_for(session), stores_then_times_out, backoff=NO_WAIT) == 1
    session.refresh(request)
    assert keys[0] == keys[1] == request.idempotency_key
    with case_api.app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(EarlyHelpRequestRow)) == 1
    assert sum(request.reference in text for text in bot_texts(session, conversation)) == 1


def test_an_unreachable_case_api_backs_off_exponentially(session):
    _, request = stored(session)

    def down(payload, key):
        raise CaseApiUnavailable("ConnectError")

    backoff = Backoff(base_seconds=10, max_seconds=100)
    delays = []
    for _ in range(5):
        request.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.commit()
        before = utcnow()
        deliver_due(sessions_for(session), down, backoff=backoff)
        session.refresh(request)
        delays.append((request.next_attempt_at - before).total_seconds())
    assert request.status == "pending" and request.attempts == 5
    assert 8 <= delays[0] <= 12.5 and 16 <= delays[1] <= 24.5 and 80 <= delays[4] <= 120.5


def refused(reason: str, status_code: int):
    def submit(payload, key):
        raise CaseApiRejected(reason, status_code=status_code)
    return submit


def test_a_refused_request_fails_permanently_tells_the_parent_and_asks_a_person(session):
    conversation, request = stored(session)
    deliver_due(sessions_for(session), refused("explicit consent is required", 422), backoff=NO_WAIT)
    session.refresh(request)
    session.refresh(conversation)
    assert (request.status, request.reason) == ("failed-permanently", "explicit consent is required")
    assert "could not send your request" in bot_texts(session, conversation)[-1]
    assert conversation.handoff_status == "queued"


def test_refused_credentials_keep_the_request_for_later(session):
    _, request = stored(session)
    deliver_due(sessions_for(session), refused("wrong bearer token", 401), backoff=NO_WAIT)
    session.refresh(request)
    assert request.status == "pending" and request.attempts == 1


def test_the_staff_api_shows_the_request(client, session, staff_headers, case_api):
    conversation, request = stored(session)
    body = client.get(f"/api/conversations/{conversation.id}", headers=staff_headers()).json()
    assert body["early_help_request"]["status"] == "pending" and body["early_help_request"]["reference"] is None
    submit = CaseApiClient("http://case-api.test", case_api.app.state.settings.case_api_token, 5, transport=through(case_api)).submit
    deliver_due(sessions_for(session), submit, backoff=NO_WAIT)
    session.expire_all()  # the app shares this test's session; in service each request has a fresh one
    body = client.get(f"/api/conversations/{conversation.id}", headers=staff_headers()).json()
    assert body["early_help_request"]["status"] == "sent" and body["early_help_request"]["reference"].startswith("EH-")
