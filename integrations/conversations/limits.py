"""How fast one conversation (one web chat, one phone number) may write before it is asked to slow down.

Counted from the stored messages, so the limit holds across every worker process of the service."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrations.conversations.models import Message

WINDOW = timedelta(minutes=1)
SLOW_DOWN_TEXT = (
    "You have sent a lot of messages in a short time. Please wait a minute, then send your message again. "
    "If you or a child are in danger now, call 999."
)


def parent_messages_between(session: Session, *, conversation_id: str, start: datetime, end: datetime) -> int:
    return session.scalar(
        select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation_id, Message.sender == "parent",
            Message.created_at >= start, Message.created_at < end,
        )
    )


def too_fast(session: Session, *, conversation_id: str, per_minute: int, at: datetime) -> bool:
    """True if the parent already wrote per_minute messages in the minute before `at`."""
    return parent_messages_between(session, conversation_id=conversation_id, start=at - WINDOW, end=at) >= per_minute


def told_to_slow_down_since(session: Session, *, conversation_id: str, since: datetime) -> bool:
    return session.scalar(
        select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation_id, Message.sender == "bot",
            Message.text == SLOW_DOWN_TEXT, Message.created_at >= since,
        )
    ) > 0
