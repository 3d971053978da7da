"""Writing to the append-only audit log."""
from __future__ import annotations

from sqlalchemy.orm import Session

from integrations.staff.models import AuditEntry


def record(
    session: Session, *, actor: str, action: str, actor_id: int | None = None,
    conversation_id: str | None = None, detail: dict | None = None,
) -> None:
    session.add(AuditEntry(actor=actor, actor_id=actor_id, action=action, conversation_id=conversation_id, detail=detail or {}))
