"""The early-help outbox: a request is stored before it is sent, then delivered with exponential backoff
until the case API accepts it. Every attempt carries the request's one idempotency key, so the case API
creates it exactly once however often we retry (a timeout after the server stored it included)."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from integrations.case_api.client import CaseApiRejected, CaseApiUnavailable
from integrations.conversations.models import Conversation
from integrations.conversations.service import append_message, lock_conversation
from integrations.core.db import utcnow
from integrations.core.worker import Backoff
from integrations.early_help.models import EarlyHelpRequest
from integrations.handoff.service import queue_handoff

logger = logging.getLogger(__name__)

SENT_TEXT = (
    "Your request for early help has been sent to the Family Hub team. Your reference is {reference}. "
    "The team looks at requests at its weekly Family Matters meeting and will contact you the way you asked."
)
FAILED_TEXT = (
    "Sorry, we could not send your request for early help. A hub worker has been asked to contact you about it. "
    "If you or a child are in danger now, call 999."
)
Submit = Callable[[dict, str], str]  # (payload, idempotency key) -> reference


def enqueue(session: Session, conversation: Conversation, payload: dict) -> EarlyHelpRequest:
    """Store a request in the caller's transaction (with the parent's turn), ready for the worker."""
    request = EarlyHelpRequest(
        conversation_id=conversation.id,
        idempotency_key=str(uuid.uuid4()),
        payload={**payload, "source": {"channel": conversation.channel, "conversation_id": conversation.id}},
    )
    session.add(request)
    session.flush()
    return request


def latest_request(session: Session, conversation_id: str) -> EarlyHelpRequest | None:
    return session.scalars(
        select(EarlyHelpRequest).where(EarlyHelpRequest.conversation_id == conversation_id).order_by(EarlyHelpRequest.id.desc())
    ).first()


def deliver_due(sessions: sessionmaker, submit: Submit, *, backoff: Backoff = Backoff(), now: Callable[[], datetime] = utcnow) -> int:
    """Try every request that is due once; returns how many were sent."""
    with sessions() as session:
        due = session.scalars(
            select(EarlyHelpRequest.id).where(EarlyHelpRequest.status == "pending", EarlyHelpRequest.next_attempt_at <= now())
            .order_by(EarlyHelpRequest.next_attempt_at)
        ).all()
    return sum(_deliver_one(sessions, submit, request_id, backoff, now) for request_id in due)


def _deliver_one(sessions: sessionmaker, submit: Submit, request_id: int, backoff: Backoff, now) -> bool:
    with sessions() as session:
        claimed = _claim(session, request_id, backoff, now())
        if claimed is None:
            return False
        payload, key = claimed
    try:
        reference = submit(payload, key)  # no transaction is open while we wait for the case API
    except CaseApiUnavailable as exc:
        _record(sessions, request_id, retry_in=backoff, reason=str(exc), now=now)
        return False
    except CaseApiRejected as exc:
        if exc.status_code in (401, 403):  # our credentials, not the request: keep it and retry once they are fixed
            logger.error("the case API refused our credentials (HTTP %s): check CASE_API_TOKEN", exc.status_code)
            _record(sessions, request_id, retry_in=backoff, reason=exc.reason, now=now)
        else:
            _record(sessions, request_id, failed=str(exc.reason), now=now)
        return False
    _record(sessions, request_id, reference=reference, now=now)
    return True


def _claim(session: Session, request_id: int, backoff: Backoff, at: datetime) -> tuple[dict, str] | None:
    request = session.scalars(select(EarlyHelpRequest).where(EarlyHelpRequest.id == request_id).with_for_update()).one_or_none()
    if request is None or request.status != "pending" or request.next_attempt_at > at:
        return None  # sent, or claimed by another worker, since we looked
    request.attempts += 1
    request.next_attempt_at = at + timedelta(seconds=backoff.lease_seconds)
    session.commit()
    return request.payload, request.idempotency_key


def _record(sessions: sessionmaker, request_id: int, *, now, reference: str | None = None, failed: str | None = None,
            retry_in: Backoff | None = None, reason: str | None = None) -> None:
    with sessions() as session:
        request = session.get(EarlyHelpRequest, request_id)
        conversation = lock_conversation(session, request.conversation_id)
        if request.status != "pending":
            return
        if reference is not None:
            request.status, request.reference, request.sent_at, request.reason = "sent", reference, now(), None
            append_message(session, conversation=conversation, sender="bot", text=SENT_TEXT.format(reference=reference))
        elif failed is not None:
            request.status, request.reason = "failed-permanently", failed[:500]
            append_message(session, conversation=conversation, sender="bot", text=FAILED_TEXT)
            queue_handoff(conversation, urgent=False, reason="early help request could not be sent")
            logger.error("early help request %s refused by the case API: %s", request_id, failed)
        else:
            request.reason = f"attempt {request.attempts}: {reason}"[:500]
            request.next_attempt_at = now() + retry_in.after(request.attempts)
            logger.warning("early help request %s not delivered (attempt %s): %s", request_id, request.attempts, reason)
        session.commit()
