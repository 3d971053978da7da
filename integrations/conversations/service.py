"""Storing conversations and messages. Keyword-only functions; callers own the transaction."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.conversations.models import Conversation, Message
from integrations.core.db import utcnow
from integrations.core.security import new_token, token_digest


def create_webchat_conversation(session: Session) -> tuple[Conversation, str]:
    token = new_token()
    conversation = Conversation(id=str(uuid.uuid4()), channel="webchat", token_hash=token_digest(token))
    session.add(conversation)
    session.flush()
    return conversation, token


def sms_conversation(session: Session, *, phone: str, phone_hash: str) -> Conversation:
    """The one conversation for this phone number, created on its first text."""
    conversation = session.scalars(
        select(Conversation).where(Conversation.channel == "sms", Conversation.phone_hash == phone_hash)
        .order_by(Conversation.started_at)
    ).first()
    if conversation is None:
        conversation = Conversation(id=str(uuid.uuid4()), channel="sms", phone=phone, phone_hash=phone_hash)
        session.add(conversation)
        session.flush()
    return conversation


def lock_conversation(session: Session, conversation_id: str) -> Conversation | None:
    """Load a conversation with a row lock (PostgreSQL) so concurrent writers take turns on its seq."""
    return session.scalars(
        select(Conversation).where(Conversation.id == conversation_id).with_for_update()
    ).one_or_none()


def append_message(
    session: Session,
    *,
    conversation: Conversation,
    sender: str,
    text: str,
    buttons: list[dict] | None = None,
    payload: str | None = None,
    status: str | None = None,
    external_id: str | None = None,
    author_id: int | None = None,
    reply_to: int | None = None,
) -> Message:
    conversation.last_seq += 1
    conversation.last_message_at = utcnow()
    message = Message(
        conversation_id=conversation.id,
        seq=conversation.last_seq,
        sender=sender,
        text=text,
        buttons=buttons or [],
        payload=payload,
        status=status,
        external_id=external_id,
        author_id=author_id,
        reply_to=reply_to,
        # Whoever adds a bot or practitioner message to an SMS conversation, the SMS worker texts it (or not).
        delivery="pending" if conversation.channel == "sms" and sender != "parent" else None,
    )
    session.add(message)
    session.flush()
    return message


def button_title(session: Session, *, conversation_id: str, payload: str) -> str | None:
    """The title of the most recently offered button with this payload; None if it was never offered."""
    rows = session.scalars(
        select(Message.buttons)
        .where(Message.conversation_id == conversation_id, Message.sender == "bot")
        .order_by(Message.seq.desc())
    )
    for buttons in rows:
        for button in buttons or []:
            if button["payload"] == payload:
                return button["title"]
    return None


def messages_after(session: Session, *, conversation_id: str, after: int) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.seq > after)
            .order_by(Message.seq)
        )
    )
