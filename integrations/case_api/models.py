"""The reference case API's tables: its own database and metadata, never the service's (no Alembic)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from integrations.core.db import NAMING, UTCDateTime, utcnow


class CaseApiBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EarlyHelpRequestRow(CaseApiBase):
    __tablename__ = "early_help_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    # Unique: two concurrent posts with one key cannot both insert (the loser reads the winner's row).
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    # SHA-256 of the validated body in a canonical form: a replay with another body is a 409, not a 200.
    body_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="received")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    answers: Mapped[dict] = mapped_column(JSON)


class ReferenceCounter(CaseApiBase):
    """The last reference number given in a year; only ever goes up, so no reference is reused."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)
