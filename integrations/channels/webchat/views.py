"""The web chat API (CONTRACT.md) and the page that uses it."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict

from integrations.conversations.models import Conversation
from integrations.conversations.service import (
    button_title,
    create_webchat_conversation,
    messages_after,
)
from integrations.conversations.limits import SLOW_DOWN_TEXT, too_fast
from integrations.conversations.turns import Reply, greet, take_turn
from integrations.core.db import SessionDep, end_transaction, utcnow
from integrations.core.security import token_matches

STATIC_DIR = Path(__file__).parent / "static"
router = APIRouter()


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str
    buttons: list[ButtonOut]


class ConversationCreated(BaseModel):
    conversation_id: str
    token: str
    replies: list[ReplyOut]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    payload: str | None = None


class RepliesOut(BaseModel):
    replies: list[ReplyOut]


def _reply_out(replies: list[Reply]) -> list[dict]:
    return [{"text": r.text, "buttons": r.buttons} for r in replies]


def authorised_conversation(
    conversation_id: str, session: SessionDep, authorization: Annotated[str | None, Header()] = None
) -> Conversation:
    scheme, _, token = (authorization or "").partition(" ")
    conversation = session.get(Conversation, conversation_id)
    # One answer for "no such conversation" and "wrong token", so ids cannot be probed.
    if scheme.lower() != "bearer" or conversation is None or not token_matches(token, conversation.token_hash):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Your chat session has ended. Please start a new chat.")
    end_transaction(session)
    return conversation


ConversationDep = Annotated[Conversation, Depends(authorised_conversation)]


@router.post("/api/chat/conversations", status_code=status.HTTP_201_CREATED, response_model=ConversationCreated)
def start_conversation(request: Request, session: SessionDep):
    conversation, token = create_webchat_conversation(session)
    session.commit()
    replies = greet(session, request.app.state.rasa, conversation_id=conversation.id, channel="webchat")
    return {"conversation_id": conversation.id, "token": token, "replies": _reply_out(replies)}


@router.post("/api/chat/conversations/{conversation_id}/messages", response_model=RepliesOut)
def post_message(body: MessageIn, conversation: ConversationDep, request: Request, session: SessionDep):
    settings = request.app.state.settings
    if (body.text is None) == (body.payload is None):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, 'Send either "text" or "payload".')
    if too_fast(session, conversation_id=conversation.id, per_minute=settings.chat_messages_per_minute, at=utcnow()):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, SLOW_DOWN_TEXT, headers={"Retry-After": "60"})
    if body.payload is not None:
        title = button_title(session, conversation_id=conversation.id, payload=body.payload)
        if title is None:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "That option is not available any more. Please type your message instead.")
        replies = take_turn(session, request.app.state.rasa, conversation_id=conversation.id, text=title, payload=body.payload)
        return {"replies": _reply_out(replies)}
    if not body.text.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Please type a message before sending.")
    if len(body.text) > settings.max_message_chars:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"That message is too long. Please keep it under {settings.max_message_chars:,} characters.",
        )
    replies = take_turn(session, request.app.state.rasa, conversation_id=conversation.id, text=body.text)
    return {"replies": _reply_out(replies)}


@router.get("/api/chat/conversations/{conversation_id}/messages")
def get_messages(conversation: ConversationDep, session: SessionDep, after: Annotated[int, Query(ge=0)] = 0):
    messages = messages_after(session, conversation_id=conversation.id, after=after)
    return {
        "messages": [
            {"seq": m.seq, "from": m.sender, "text": m.text, "buttons": m.buttons or []} for m in messages
        ],
        # While a practitioner has the conversation the bot is silent; the page says a person is replying.
        "person_replying": conversation.handoff_status == "taken",
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request):
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    exit_url = request.app.state.settings.quick_exit_url
    return HTMLResponse(page.replace("__QUICK_EXIT_URL__", _attribute_safe(exit_url)))


def _attribute_safe(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
