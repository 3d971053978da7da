"""Drafts comms are working on, and the history of every published change (for diffs and rollback)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrations.core.db import Base, UTCDateTime, utcnow


class ContentDraft(Base):
    """An unpublished edit of one item (data None: the item is to be deleted). One shared draft per item."""

    __tablename__ = "content_drafts"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict | None] = mapped_column(JSON)
    # The published data the draft was made from (None: a new item), so a publish that would overwrite a
    # change made since (a rollback, an import) is refused instead of silently undoing it.
    base: Mapped[dict | None] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ContentVersion(Base):
    """One publish, import or rollback: who, when, and the items it changed (before and after)."""

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(16))  # publish | import | rollback
    author: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    rollback_of: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[list["ContentChange"]] = relationship(
        back_populates="version", order_by="ContentChange.id", cascade="all, delete-orphan", lazy="selectin")


class ContentChange(Base):
    """One item in a version: its data before (None: it was new) and after (None: it was deleted)."""

    __tablename__ = "content_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[ContentVersion] = relationship(back_populates="changes")
