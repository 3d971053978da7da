"""Conversations, their messages and the concerns triage found in them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrations.core.db import Base, UTCDateTime, utcnow

CHANNELS = ("webchat", "sms")
SENDERS = ("parent", "bot", "practitioner")
DELIVERIES = ("pending", "queued", "held", "withheld", "suppressed")
HANDOFF_STATUSES = ("none", "queued", "taken", "closed")


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Incremented under a row lock so every message gets the next seq with no gaps or duplicates.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)

    rhrt_level: Mapped[int | None] = mapped_column(Integer)
    danger: Mapped[bool] = mapped_column(Boolean, default=False)
    hub_id: Mapped[str | None] = mapped_column(String(64))

    handoff_status: Mapped[str] = mapped_column(String(16), default="none", index=True)
    handoff_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    handoff_reason: Mapped[str | None] = mapped_column(String(200))
    handoff_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The practitioner who took it (while taken the bot stays silent), and how it was closed.
    assigned_to_id: Mapped[int | None] = mapped_column(Integer)
    assigned_to: Mapped[str | None] = mapped_column(String(80))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(32))

    # SMS only: STOP until START; whether texts the parent did not ask for are safe (None: not asked yet).
    sms_opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_safe_to_text: Mapped[bool | None] = mapped_column(Boolean)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.seq", cascade="all, delete-orphan"
    )
    concerns: Mapped[list[Concern]] = relationship(
        back_populates="conversation", order_by="Concern.id", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(
        back_populates="conversation", order_by="Note.id", cascade="all, delete-orphan"
    )


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list] = mapped_column(JSON, default=list)
    payload: Mapped[str | None] = mapped_column(Text)
    # Parent messages only: received -> answered | failed (Rasa could not be reached).
    status: Mapped[str | None] = mapped_column(String(16), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    author_id: Mapped[int | None] = mapped_column(Integer)
    # The parent message this one answers (None: sent unprompted, e.g. a practitioner or an outbox notice).
    reply_to: Mapped[int | None] = mapped_column(Integer)
    # SMS conversations, bot and practitioner messages: pending -> queued | held (safe to text?) | withheld | suppressed (STOP).
    delivery: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Concern(Base):
    __tablename__ = "concerns"
    __table_args__ = (UniqueConstraint("conversation_id", "descriptor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    descriptor_id: Mapped[str] = mapped_column(String(80))
    domain: Mapped[str] = mapped_column(String(80))
    descriptor: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="concerns")


class Note(Base):
    """A note between practitioners about a conversation; the parent never sees it."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="notes")
