"""What a practitioner does with a conversation: take it, reply, write a note, hand back to the bot, close."""
from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from integrations.conversations.models import Conversation
from integrations.conversations.service import lock_conversation
from integrations.core.db import SessionDep
from integrations.handoff import service
from integrations.staff.audit import record
from integrations.staff.auth import ConversationReader
from integrations.staff.models import StaffUser
from integrations.staff.views import conversation_detail

router = APIRouter()


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=service.MAX_NOTE_CHARS)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str


def _act(session: Session, conversation_id: str, user: StaffUser, action: str,
         change: Callable[[Conversation], dict | None]) -> dict:
    """Run one change under the conversation's row lock, audit it, commit, and return the new view."""
    conversation = lock_conversation(session, conversation_id)
    if conversation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such conversation.")
    try:
        detail = change(conversation)
    except service.HandoffConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    record(session, actor=user.username, actor_id=user.id, action=action, conversation_id=conversation.id, detail=detail)
    session.commit()
    return conversation_detail(session, conversation)


@router.post("/api/conversations/{conversation_id}/take")
def take(conversation_id: str, user: ConversationReader, session: SessionDep):
    return _act(session, conversation_id, user, "take",
                lambda c: {"newly_taken": service.take(session, conversation=c, user=user)})


@router.post("/api/conversations/{conversation_id}/messages")
def reply(conversation_id: str, body: TextIn, user: ConversationReader, session: SessionDep):
    # The audit says a reply was sent and which message it is, never what it said.
    return _act(session, conversation_id, user, "reply",
                lambda c: {"seq": service.reply(session, conversation=c, user=user, text=body.text).seq})


@router.post("/api/conversations/{conversation_id}/notes")
def add_note(conversation_id: str, body: TextIn, user: ConversationReader, session: SessionDep):
    return _act(session, conversation_id, user, "note",
                lambda c: {"note_id": service.add_note(session, conversation=c, user=user, text=body.text).id})


@router.post("/api/conversations/{conversation_id}/hand-back")
def hand_back(conversation_id: str, user: ConversationReader, session: SessionDep):
    return _act(session, conversation_id, user, "hand_back",
                lambda c: service.hand_back(session, conversation=c, user=user))


@router.post("/api/conversations/{conversation_id}/close")
def close(conversation_id: str, body: CloseIn, user: ConversationReader, session: SessionDep):
    def change(c: Conversation) -> dict:
        service.close(session, conversation=c, user=user, outcome=body.outcome)
        return {"outcome": body.outcome}

    return _act(session, conversation_id, user, "close", change)


@router.get("/api/outcomes")
def outcomes(user: ConversationReader):
    return {"outcomes": [{"id": key, "title": title} for key, title in service.OUTCOMES.items()]}
