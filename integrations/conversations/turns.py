"""One parent turn: store the message, ask Rasa, store and return the replies. Nothing is lost."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from integrations.conversations.control import apply_control
from integrations.conversations.models import Conversation, Message
from integrations.conversations.service import append_message, lock_conversation
from integrations.rasa.client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

RASA_DOWN_TEXT = (
    "Sorry, I can't answer right now. Your message is saved. Please try again in a minute. "
    "If you or a child are in danger now, call 999."
)
RASA_DOWN_GREETING = "Sorry, I can't answer right now. Please try again in a minute. If you or a child are in danger now, call 999."
_LEADING_COMMAND = re.compile(r"^[\s/]+")


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict] = field(default_factory=list)


def neutralise(text: str) -> str:
    """Typed text must never reach Rasa as "/intent" syntax, so leading slashes are dropped."""
    return _LEADING_COMMAND.sub("", text) or "?"


def take_turn(
    session: Session,
    rasa: RasaClient,
    *,
    conversation_id: str,
    text: str,
    payload: str | None = None,
    external_id: str | None = None,
) -> list[Reply]:
    message = store_parent_message(session, conversation_id=conversation_id, text=text, payload=payload, external_id=external_id)
    return answer(session, rasa, message=message)


def store_parent_message(
    session: Session, *, conversation_id: str, text: str, payload: str | None = None, external_id: str | None = None
) -> Message:
    """The parent's message, committed before anything else can fail (status "received")."""
    conversation = lock_conversation(session, conversation_id)
    message = append_message(
        session, conversation=conversation, sender="parent", text=text, payload=payload,
        status="received", external_id=external_id,
    )
    session.commit()
    return message


def answer(session: Session, rasa: RasaClient, *, message: Message) -> list[Reply]:
    """Rasa's replies to a stored parent message (its payload if it has one), stored as answers to it."""
    conversation = session.get(Conversation, message.conversation_id)
    if conversation.handoff_status == "taken":
        # A practitioner has this conversation: the bot stays silent.
        message.status = "answered"
        session.commit()
        return []

    rasa_message = message.payload if message.payload is not None else neutralise(message.text)
    return _ask_rasa(session, rasa, conversation.id, conversation.channel, rasa_message, parent_message_id=message.id)


def greet(session: Session, rasa: RasaClient, *, conversation_id: str, channel: str) -> list[Reply]:
    """The bot's opening words for a new conversation (no parent message to store)."""
    return _ask_rasa(session, rasa, conversation_id, channel, "/greet", parent_message_id=None)


def _ask_rasa(
    session: Session, rasa: RasaClient, conversation_id: str, channel: str, rasa_message: str, *, parent_message_id: int | None
) -> list[Reply]:
    # No transaction may stay open while Rasa works: its actions read content from this service, and on
    # SQLite an open transaction holds the write lock (BEGIN IMMEDIATE), so they would wait until they time out.
    session.commit()
    try:
        outputs = rasa.send(sender=conversation_id, message=rasa_message, metadata={"channel": channel})
    except RasaUnavailable as exc:
        logger.warning("rasa unavailable for a turn: %s", exc)
        down_text = RASA_DOWN_TEXT if parent_message_id is not None else RASA_DOWN_GREETING
        replies, controls, status = [Reply(down_text)], [], "failed"
    else:
        replies = [Reply(o.text or "", o.buttons) for o in outputs if o.control is None]
        controls = [o.control for o in outputs if o.control is not None]
        status = "answered"
        if not replies:
            # Every turn of this assistant says something; silence means a custom action failed (the action
            # server is down or timed out). The parent is told to try again rather than left waiting.
            logger.warning("rasa gave no reply to a turn (is the action server up?)")
            down_text = RASA_DOWN_TEXT if parent_message_id is not None else RASA_DOWN_GREETING
            replies, status = [Reply(down_text)], "failed"

    conversation = lock_conversation(session, conversation_id)
    for control in controls:
        apply_control(session, conversation, control)
    for reply in replies:
        append_message(session, conversation=conversation, sender="bot", text=reply.text, buttons=reply.buttons,
                       reply_to=parent_message_id)
    if parent_message_id is not None:
        session.get(Message, parent_message_id).status = status
    session.commit()
    return replies
