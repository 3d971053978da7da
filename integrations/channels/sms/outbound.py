"""Texts out: every bot or practitioner message added to an SMS conversation is rendered and queued here (or
held, withheld or suppressed by the rules below), then a worker sends the queue through Twilio with retries;
Twilio's status callbacks record what became of each text.

Rules: after STOP nothing is sent but the STOP confirmation. A message that answers the parent's own text is
always sent. A message nobody asked for (a practitioner, the early-help outbox) in a conversation with danger or
domestic abuse waits until the parent says it is safe to text this number; if it is not, it is never sent."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from integrations.channels.sms.models import SmsOutbound
from integrations.channels.sms.text import render
from integrations.channels.sms.twilio_api import SmsNotSent
from integrations.conversations.models import Conversation, Message
from integrations.conversations.service import append_message, lock_conversation
from integrations.core.db import utcnow
from integrations.core.worker import Backoff

logger = logging.getLogger(__name__)

Send = Callable[[str, str], tuple[str, str]]  # (to, body) -> (twilio sid, status)
SAFE_PAYLOAD, NOT_SAFE_PAYLOAD = "/sms_safe_to_text", "/sms_not_safe_to_text"
SAFETY_QUESTION = (
    "We have a message for you. Before we send it: is it safe for us to text this phone? "
    "Someone else may see texts. If you are in danger now, call 999."
)
SAFETY_BUTTONS = [{"title": "it is safe", "payload": SAFE_PAYLOAD}, {"title": "it is not safe", "payload": NOT_SAFE_PAYLOAD}]
DOMESTIC_ABUSE = "domestic-abuse"  # in the ids of the RHRT descriptors for domestic abuse (data/content/rhrt.yml)
_STATUS_RANK = {"pending": 0, "queued": 1, "accepted": 1, "sending": 1, "sent": 2, "delivered": 3, "undelivered": 3,
                "failed": 3, "read": 3, "cancelled": 3}


def needs_safe_to_text(conversation: Conversation) -> bool:
    return conversation.danger or any(DOMESTIC_ABUSE in c.descriptor_id for c in conversation.concerns)


def queue_message(session: Session, conversation: Conversation, message: Message) -> None:
    """Render one message as texts and put them in the queue (the caller's transaction)."""
    for part, body in enumerate(render(message.text, message.buttons), start=1):
        session.add(SmsOutbound(conversation_id=conversation.id, message_id=message.id, part=part, body=body))
    message.delivery = "queued"


def queue_pending(sessions: sessionmaker) -> int:
    """Decide every pending message's fate (see the module's rules); returns how many were queued."""
    with sessions() as session:
        conversation_ids = session.scalars(
            select(Message.conversation_id).where(Message.delivery == "pending").distinct()).all()
    return sum(_queue_conversation(sessions, conversation_id) for conversation_id in conversation_ids)


def _queue_conversation(sessions: sessionmaker, conversation_id: str) -> int:
    queued = 0
    with sessions() as session:
        conversation = lock_conversation(session, conversation_id)
        pending = session.scalars(select(Message).where(
            Message.conversation_id == conversation_id, Message.delivery == "pending").order_by(Message.seq)).all()
        for message in pending:
            if conversation.sms_opted_out:
                message.delivery = "suppressed"
            elif message.reply_to is not None or not needs_safe_to_text(conversation) or conversation.sms_safe_to_text:
                queue_message(session, conversation, message)
                queued += 1
            elif conversation.sms_safe_to_text is False:
                message.delivery = "withheld"
            else:
                message.delivery = "held"
                _ask_safe_to_text(session, conversation)
        session.commit()
    return queued


def _ask_safe_to_text(session: Session, conversation: Conversation) -> None:
    asked = session.scalar(select(Message.id).where(
        Message.conversation_id == conversation.id, Message.sender == "bot", Message.text == SAFETY_QUESTION))
    if asked is None:
        question = append_message(session, conversation=conversation, sender="bot", text=SAFETY_QUESTION, buttons=SAFETY_BUTTONS)
        queue_message(session, conversation, question)


def record_safe_to_text(session: Session, conversation: Conversation, *, safe: bool) -> None:
    """The parent's answer: held messages go out (safe) or never (not safe)."""
    conversation.sms_safe_to_text = safe
    session.execute(update(Message).where(Message.conversation_id == conversation.id, Message.delivery == "held")
                    .values(delivery="pending" if safe else "withheld"))


def cancel_unsent(session: Session, conversation: Conversation) -> None:
    """STOP: texts not yet handed to Twilio are not sent."""
    session.execute(update(SmsOutbound).where(SmsOutbound.conversation_id == conversation.id, SmsOutbound.status == "pending")
                    .values(status="cancelled", status_at=utcnow()))


def deliver_due(sessions: sessionmaker, send: Send, *, backoff: Backoff, max_attempts: int,
                now: Callable[[], datetime] = utcnow) -> int:
    """Send every text that is due, oldest first; returns how many Twilio took."""
    with sessions() as session:
        due = session.scalars(select(SmsOutbound.id).where(SmsOutbound.status == "pending", SmsOutbound.next_attempt_at <= now())
                              .order_by(SmsOutbound.id)).all()
    return sum(_deliver_one(sessions, send, outbound_id, backoff, max_attempts, now) for outbound_id in due)


def _deliver_one(sessions: sessionmaker, send: Send, outbound_id: int, backoff: Backoff, max_attempts: int, now) -> bool:
    with sessions() as session:
        outbound = session.scalars(select(SmsOutbound).where(SmsOutbound.id == outbound_id).with_for_update()).one_or_none()
        if outbound is None or outbound.status != "pending" or outbound.next_attempt_at > now():
            return False  # sent, cancelled or claimed by another worker since we looked
        outbound.attempts += 1
        outbound.next_attempt_at = now() + timedelta(seconds=backoff.lease_seconds)  # a crash mid-send retries after this
        phone, body, attempts = session.get(Conversation, outbound.conversation_id).phone, outbound.body, outbound.attempts
        session.commit()
    try:
        sid, status = send(phone, body)  # no transaction is open while we wait for Twilio
    except SmsNotSent as exc:
        with sessions() as session:
            outbound = session.get(SmsOutbound, outbound_id)
            outbound.error = str(exc)[:200]
            if exc.retry and attempts < max_attempts:
                outbound.next_attempt_at = now() + backoff.after(attempts)
                logger.warning("sms %s not sent (attempt %s): %s", outbound_id, attempts, exc)
            else:
                outbound.status, outbound.status_at = "failed", now()
                logger.error("sms %s not sent, giving up after %s attempt(s): %s", outbound_id, attempts, exc)
            session.commit()
        return False
    with sessions() as session:
        outbound = session.get(SmsOutbound, outbound_id)
        outbound.twilio_sid, outbound.sent_at, outbound.error = sid, now(), None
        _set_status(outbound, status, now())
        session.commit()
    return True


def record_status(session: Session, *, sid: str, status: str, error_code: str | None) -> bool:
    """Twilio's status callback; statuses only move forward (callbacks may arrive out of order)."""
    outbound = session.scalars(select(SmsOutbound).where(SmsOutbound.twilio_sid == sid)).one_or_none()
    if outbound is None:
        return False
    _set_status(outbound, status, utcnow())
    if error_code:
        outbound.error = f"Twilio error {error_code}"[:200]
    session.commit()
    return True


def _set_status(outbound: SmsOutbound, status: str, at: datetime) -> None:
    status = status.lower()
    if status in _STATUS_RANK and _STATUS_RANK[status] >= _STATUS_RANK.get(outbound.status, 0):
        outbound.status, outbound.status_at = status, at
