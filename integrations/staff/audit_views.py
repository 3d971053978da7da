"""The audit log for admins: who did what, when, newest first (read-only; nothing here writes to it but the view)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from integrations.core.db import SessionDep
from integrations.staff.audit import record
from integrations.staff.auth import require_role
from integrations.staff.models import AuditEntry, StaffUser

router = APIRouter()
Admin = Annotated[StaffUser, Depends(require_role("admin"))]


@router.get("/api/audit")
def audit_log(
    user: Admin,
    session: SessionDep,
    conversation_id: Annotated[str | None, Query(max_length=36)] = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    before: Annotated[int | None, Query(ge=1, description="entries with a lower id: the next page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    query = select(AuditEntry)
    if conversation_id is not None:
        query = query.where(AuditEntry.conversation_id == conversation_id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    entries = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)).all()
    # Reading the audit log is itself audited.
    record(session, actor=user.username, actor_id=user.id, action="view_audit_log",
           detail={"conversation_id": conversation_id, "actor": actor})
    session.commit()
    return {"entries": [
        {"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
         "conversation_id": e.conversation_id, "detail": e.detail}
        for e in entries
    ]}
