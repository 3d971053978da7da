"""Content the comms team owns (hubs, services, timetable, FAQ, contacts), one row per item."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from integrations.core.db import Base, UTCDateTime, utcnow


class ContentItem(Base):
    # Items are validated documents (see content/schemas.py) rather than one table per kind:
    # the volume is small, and publish, history and import/export then work the same for all kinds.
    __tablename__ = "content_items"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    key: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="seed")
