"""The staff API over conversations (CONTRACT.md): the queue, urgent first, and one conversation."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from sqlalchemy import case, func, nulls_last, select
from sqlalchemy.orm import Session

from integrations.conversations.models import Conversation
from integrations.core.db import SessionDep, utcnow
from integrations.core.security import keyed_hash
from integrations.early_help.models import EarlyHelpRequest
from integrations.early_help.outbox import latest_request
from integrations.staff.audit import record
from integrations.staff.auth import ConversationReader

router = APIRouter()
Status = Literal["none", "queued", "taken", "closed", "open"]  # open: queued or taken (the console's default)


def _handoff(c: Conversation) -> dict:
    return {"status": c.handoff_status, "urgent": c.handoff_urgent}


def _waiting_seconds(c: Conversation) -> int | None:
    """How long the parent has waited for a person: from the handoff until someone took it."""
    if c.handoff_requested_at is None or c.handoff_status not in ("queued", "taken"):
        return None
    until = c.taken_at if c.handoff_status == "taken" and c.taken_at else utcnow()
    return max(0, int((until - c.handoff_requested_at).total_seconds()))


def _summary(c: Conversation) -> dict:
    return {
        "conversation_id": c.id,
        "channel": c.channel,
        "started_at": c.started_at.isoformat(),
        "last_message_at": c.last_message_at.isoformat(),
        "rhrt_level": c.rhrt_level,
        "danger": c.danger,
        "handoff": _handoff(c),
        "handoff_requested_at": c.handoff_requested_at.isoformat() if c.handoff_requested_at else None,
        "handoff_reason": c.handoff_reason,
        "waiting_seconds": _waiting_seconds(c),
        "assigned_to": c.assigned_to,
        "hub_id": c.hub_id,
        "outcome": c.outcome,
    }


URGENT_FIRST = (
    Conversation.danger.desc(),
    nulls_last(Conversation.rhrt_level.desc()),
    Conversation.handoff_urgent.desc(),
    case((Conversation.handoff_requested_at.is_(None), 1), else_=0),
    Conversation.handoff_requested_at.asc(),
    Conversation.started_at.asc(),
)


def _filtered(query, *, status_: str | None, channel: str | None, hub: str | None, level: int | None):
    if status_ == "open":
        query = query.where(Conversation.handoff_status.in_(("queued", "taken")))
    elif status_ is not None:
        query = query.where(Conversation.handoff_status == status_)
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    if hub is not None:
        query = query.where(Conversation.hub_id == hub)
    if level is not None:
        query = query.where(Conversation.rhrt_level == level) if level > 1 else query.where(
            (Conversation.rhrt_level == 1) | Conversation.rhrt_level.is_(None))
    return query


def _counts(session: Session, **filters) -> dict:
    """The figures at the top of the queue, under the same hub/channel/level filters as the list."""
    rows = session.execute(_filtered(
        select(Conversation.handoff_status, Conversation.danger, Conversation.handoff_urgent, func.count()),
        status_="open", **filters,
    ).group_by(Conversation.handoff_status, Conversation.danger, Conversation.handoff_urgent)).all()
    counts = {"queued": 0, "taken": 0, "urgent_queued": 0, "danger_queued": 0}
    for handoff_status, danger, urgent, n in rows:
        counts[handoff_status] += n
        if handoff_status == "queued":
            counts["urgent_queued"] += n if urgent or danger else 0
            counts["danger_queued"] += n if danger else 0
    return counts


@router.get("/api/conversations")
def list_conversations(
    user: ConversationReader,
    request: Request,
    session: SessionDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    channel: Literal["webchat", "sms"] | None = None,
    phone: str | None = None,
    hub: Annotated[str | None, Query(max_length=64)] = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
):
    filters = {"channel": channel, "hub": hub, "level": level}
    query = _filtered(select(Conversation), status_=status_, **filters)
    if phone is not None:
        query = query.where(Conversation.phone_hash == keyed_hash(request.app.state.settings.secret_key, phone.strip()))
    conversations = session.scalars(query.order_by(*URGENT_FIRST).limit(limit)).all()
    record(session, actor=user.username, actor_id=user.id, action="list_conversations",
           detail={"status": status_, **filters, "phone_filter": phone is not None})
    session.commit()
    return {"conversations": [_summary(c) for c in conversations], "counts": _counts(session, **filters)}


@router.get("/api/conversations/{conversation_id}")
def get_conversation(conversation_id: str, user: ConversationReader, session: SessionDep):
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such conversation.")
    record(session, actor=user.username, actor_id=user.id, action="view_conversation", conversation_id=conversation.id)
    session.commit()
    return conversation_detail(session, conversation)


def conversation_detail(session: Session, conversation: Conversation) -> dict:
    """One conversation as the staff API and the console show it: why it was triaged so, and everything said."""
    return {
        **_summary(conversation),
        "concerns": [
            {"domain": c.domain, "descriptor": c.descriptor, "level": c.level, "descriptor_id": c.descriptor_id}
            for c in conversation.concerns
        ],
        "messages": [
            {"seq": m.seq, "from": m.sender, "text": m.text, "at": m.created_at.isoformat(), "delivery": m.delivery}
            for m in conversation.messages
        ],
        "notes": [{"id": n.id, "author": n.author, "text": n.text, "at": n.created_at.isoformat()} for n in conversation.notes],
        "sms": {"opted_out": conversation.sms_opted_out, "safe_to_text": conversation.sms_safe_to_text}
        if conversation.channel == "sms" else None,
        "closed_by": conversation.closed_by,
        "closed_at": conversation.closed_at.isoformat() if conversation.closed_at else None,
        "early_help_request": _early_help(latest_request(session, conversation.id)),
    }


def _early_help(request: EarlyHelpRequest | None) -> dict | None:
    if request is None:
        return None
    return {"reference": request.reference, "status": request.status, "reason": request.reason,
            "created_at": request.created_at.isoformat(), "sent_at": request.sent_at.isoformat() if request.sent_at else None}
