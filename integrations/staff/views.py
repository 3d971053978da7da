"""The staff API over conversations (CONTRACT.md): the queue, urgent first, and one conversation."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from sqlalchemy import case, nulls_last, select

from integrations.conversations.models import Conversation
from integrations.core.db import SessionDep
from integrations.core.security import keyed_hash
from integrations.early_help.models import EarlyHelpRequest
from integrations.early_help.outbox import latest_request
from integrations.staff.audit import record
from integrations.staff.auth import ConversationReader

router = APIRouter()


def _handoff(c: Conversation) -> dict:
    return {"status": c.handoff_status, "urgent": c.handoff_urgent}


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
    }


URGENT_FIRST = (
    Conversation.danger.desc(),
    nulls_last(Conversation.rhrt_level.desc()),
    Conversation.handoff_urgent.desc(),
    case((Conversation.handoff_requested_at.is_(None), 1), else_=0),
    Conversation.handoff_requested_at.asc(),
    Conversation.started_at.asc(),
)


@router.get("/api/conversations")
def list_conversations(
    user: ConversationReader,
    request: Request,
    session: SessionDep,
    status_: Annotated[Literal["none", "queued", "taken", "closed"] | None, Query(alias="status")] = None,
    channel: Literal["webchat", "sms"] | None = None,
    phone: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
):
    query = select(Conversation)
    if status_ is not None:
        query = query.where(Conversation.handoff_status == status_)
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    if phone is not None:
        query = query.where(Conversation.phone_hash == keyed_hash(request.app.state.settings.secret_key, phone.strip()))
    conversations = session.scalars(query.order_by(*URGENT_FIRST).limit(limit)).all()
    record(session, actor=user.username, actor_id=user.id, action="list_conversations",
           detail={"status": status_, "channel": channel, "phone_filter": phone is not None})
    session.commit()
    return {"conversations": [_summary(c) for c in conversations]}


@router.get("/api/conversations/{conversation_id}")
def get_conversation(conversation_id: str, user: ConversationReader, session: SessionDep):
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such conversation.")
    record(session, actor=user.username, actor_id=user.id, action="view_conversation", conversation_id=conversation.id)
    session.commit()
    return {
        **_summary(conversation),
        "concerns": [
            {"domain": c.domain, "descriptor": c.descriptor, "level": c.level, "descriptor_id": c.descriptor_id}
            for c in conversation.concerns
        ],
        "messages": [
            {"seq": m.seq, "from": m.sender, "text": m.text, "at": m.created_at.isoformat()}
            for m in conversation.messages
        ],
        "early_help_request": _early_help(latest_request(session, conversation.id)),
    }


def _early_help(request: EarlyHelpRequest | None) -> dict | None:
    if request is None:
        return None
    return {"reference": request.reference, "status": request.status, "reason": request.reason,
            "created_at": request.created_at.isoformat(), "sent_at": request.sent_at.isoformat() if request.sent_at else None}
