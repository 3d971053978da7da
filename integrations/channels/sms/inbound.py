"""Texts in, answered in the background: the webhook only stores them. STOP / START / HELP and the answer to
"is it safe to text you?" are handled here; a numbered reply becomes the payload of the choice it names (only
choices the last bot message offered); everything else goes to Rasa like a web chat turn."""
from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from integrations.channels.sms.outbound import (
    NOT_SAFE_PAYLOAD,
    SAFE_PAYLOAD,
    SAFETY_QUESTION,
    cancel_unsent,
    queue_message,
    record_safe_to_text,
)
from integrations.channels.sms.text import chosen_payload
from integrations.conversations.limits import SLOW_DOWN_TEXT, WINDOW, told_to_slow_down_since, too_fast
from integrations.conversations.models import Conversation, Message
from integrations.conversations.service import append_message, lock_conversation
from integrations.conversations.turns import answer
from integrations.handoff.service import queue_handoff
from integrations.rasa.client import RasaClient

logger = logging.getLogger(__name__)

STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
START_WORDS = frozenset({"start", "unstop", "yes"})
HELP_WORDS = frozenset({"help", "info"})
STOP_TEXT = ("You will get no more texts from Coventry Family Hubs on this number. Reply START to start again. "
             "If you or a child are in danger now, call 999.")
START_TEXT = ("You will get texts from Coventry Family Hubs on this number again. How can we help? "
              "Reply HELP for help or STOP to stop.")
HELP_TEXT = ("Coventry Family Hubs: this number is an automatic chat (a computer, with hub staff in office hours) "
             "about support for families, hubs and what's on. Reply STOP to stop texts, START to restart. "
             "If you or a child are in danger now, call 999.")
SAFE_TEXT = "Thank you. Here is the message we had for you."
NOT_SAFE_TEXT = ("OK. We will not text you unless you text us first. You can still text us at any time. "
                 "If you or a child are in danger now, call 999.")


def recover(sessions: sessionmaker) -> None:
    """At start: texts a stopped service was answering are answered again (none is lost)."""
    with sessions() as session:
        session.execute(update(Message).where(Message.status == "processing").values(status="received"))
        session.commit()


def answer_received(sessions: sessionmaker, rasa: RasaClient, *, per_minute: int) -> int:
    """Answer every stored text that is not answered yet, oldest first; returns how many. A phone that sent
    more than per_minute texts in the minute before one is asked once to slow down; that text stays stored."""
    with sessions() as session:
        waiting = session.scalars(
            select(Message.id).join(Conversation, Message.conversation_id == Conversation.id)
            .where(Conversation.channel == "sms", Message.sender == "parent", Message.status == "received")
            .order_by(Message.id)
        ).all()
    return sum(_answer_one(sessions, rasa, message_id, per_minute) for message_id in waiting)


def _answer_one(sessions: sessionmaker, rasa: RasaClient, message_id: int, per_minute: int) -> bool:
    with sessions() as session:
        message = session.scalars(select(Message).where(Message.id == message_id).with_for_update()).one_or_none()
        if message is None or message.status != "received":
            return False  # another worker has it
        message.status = "processing"
        session.commit()
        conversation = session.get(Conversation, message.conversation_id)
        word = message.text.strip().strip(".!").lower()
        last = _last_bot_message(session, conversation.id)
        offered = last.buttons if last is not None else []
        payload = chosen_payload(message.text, offered)
        if payload is None and last is not None and last.text == SAFETY_QUESTION and word in ("yes", "safe", "no", "not safe"):
            payload = SAFE_PAYLOAD if word in ("yes", "safe") else NOT_SAFE_PAYLOAD
        if word in STOP_WORDS:
            conversation = lock_conversation(session, conversation.id)
            conversation.sms_opted_out = True
            cancel_unsent(session, conversation)
            _reply(session, conversation, message, STOP_TEXT, send_now=True)
        elif word in START_WORDS and conversation.sms_opted_out:
            conversation = lock_conversation(session, conversation.id)
            conversation.sms_opted_out = False
            _reply(session, conversation, message, START_TEXT)
        elif word in HELP_WORDS:
            _reply(session, lock_conversation(session, conversation.id), message, HELP_TEXT)
        elif payload in (SAFE_PAYLOAD, NOT_SAFE_PAYLOAD):
            conversation = lock_conversation(session, conversation.id)
            message.payload = payload
            record_safe_to_text(session, conversation, safe=payload == SAFE_PAYLOAD)
            # Queued now, so that "thank you" goes before the messages that were waiting.
            _reply(session, conversation, message, SAFE_TEXT if payload == SAFE_PAYLOAD else NOT_SAFE_TEXT, send_now=True)
        elif too_fast(session, conversation_id=conversation.id, per_minute=per_minute, at=message.created_at):
            conversation = lock_conversation(session, conversation.id)
            # The assistant does not read these, so a person must: what they say may be a disclosure.
            queue_handoff(conversation, urgent=False, reason="many texts in a minute: not read by the assistant")
            if told_to_slow_down_since(session, conversation_id=conversation.id, since=message.created_at - WINDOW):
                message.status = "limited"  # kept for the practitioner, not answered: one "slow down" is enough
            else:
                _reply(session, conversation, message, SLOW_DOWN_TEXT)
        else:
            if payload is not None:
                message.payload = payload
            answer(session, rasa, message=message)  # it ends this transaction before Rasa answers
            logger.info("sms turn answered in conversation %s", conversation.id)
            return True
        session.commit()
    return True


def _last_bot_message(session: Session, conversation_id: str) -> Message | None:
    return session.scalars(select(Message).where(Message.conversation_id == conversation_id, Message.sender == "bot")
                           .order_by(Message.seq.desc())).first()


def _reply(session: Session, conversation: Conversation, message: Message, text: str, *, send_now: bool = False) -> None:
    """The service's own answer to the parent's text (no Rasa turn)."""
    reply = append_message(session, conversation=conversation, sender="bot", text=text, reply_to=message.id)
    if send_now:  # ahead of anything pending (and the STOP confirmation: the one text to a number that opted out)
        queue_message(session, conversation, reply)
    message.status = "answered"
