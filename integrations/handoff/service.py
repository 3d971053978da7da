"""The handoff's life: queued for a practitioner, taken (the bot stays silent), handed back or closed.

Keyword-only functions; callers own the transaction, hold the conversation's row lock and write the audit.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from integrations.conversations.models import Conversation, Message, Note
from integrations.conversations.service import append_message
from integrations.core.db import utcnow
from integrations.staff.models import StaffUser

# What the parent is told. Sent by SMS too, so each fits one segment and keeps the safety line.
PERSON_JOINED = "A person from the Family Hubs team is reading your messages now and will reply here. In an emergency call 999."
PERSON_LEFT = (
    "The Family Hubs team member has left this chat. You are talking to the automated assistant again, not a person. "
    "In an emergency call 999."
)
OUTCOMES = {
    "advice-given": "Advice or information given",
    "signposted": "Signposted to a service",
    "early-help-request": "Request for early help made",
    "referred-to-social-care": "Referred to children's social care (MASH)",
    "emergency-services": "Emergency services involved",
    "no-contact": "Could not make contact",
    "no-further-action": "No further action needed",
}
MAX_REPLY_CHARS = 1600  # about 10 SMS segments: longer belongs in a call
MAX_NOTE_CHARS = 5000


class HandoffConflict(Exception):
    """The action does not fit the conversation's state (e.g. another practitioner has it)."""


def queue_handoff(conversation: Conversation, *, urgent: bool, reason: str) -> None:
    """Queue for a person; a later, more urgent request only ever raises the urgency."""
    if conversation.handoff_status in ("queued", "taken"):
        conversation.handoff_urgent = conversation.handoff_urgent or urgent
        return
    conversation.handoff_status = "queued"
    conversation.handoff_urgent = urgent
    conversation.handoff_reason = reason[:200]
    conversation.handoff_requested_at = utcnow()


def take(session: Session, *, conversation: Conversation, user: StaffUser) -> bool:
    """Assign to the user and silence the bot; tells the parent a person is reading. False if they had it."""
    if conversation.handoff_status == "taken":
        if conversation.assigned_to_id == user.id:
            return False
        raise HandoffConflict(f"{conversation.assigned_to} has this conversation. Ask them before you reply.")
    if conversation.handoff_requested_at is None:
        conversation.handoff_requested_at = utcnow()
        conversation.handoff_reason = "taken from the list by a practitioner"
    conversation.handoff_status = "taken"
    conversation.assigned_to_id, conversation.assigned_to = user.id, user.username
    conversation.taken_at = utcnow()
    conversation.closed_at = conversation.closed_by = conversation.outcome = None
    append_message(session, conversation=conversation, sender="bot", text=PERSON_JOINED)
    return True


def reply(session: Session, *, conversation: Conversation, user: StaffUser, text: str) -> Message:
    """The practitioner's message to the parent in their channel (SMS rules apply in the SMS worker)."""
    text = _required(text, "Type a reply before sending.", MAX_REPLY_CHARS)
    take(session, conversation=conversation, user=user)
    return append_message(session, conversation=conversation, sender="practitioner", text=text, author_id=user.id)


def hand_back(session: Session, *, conversation: Conversation, user: StaffUser) -> None:
    """The bot answers again; the conversation leaves the queue until the parent asks for a person again."""
    _require_holder(conversation, user)
    conversation.handoff_status = "none"
    conversation.assigned_to_id = conversation.assigned_to = None
    append_message(session, conversation=conversation, sender="bot", text=PERSON_LEFT)


def close(session: Session, *, conversation: Conversation, user: StaffUser, outcome: str) -> None:
    if outcome not in OUTCOMES:
        raise ValueError("Choose an outcome from the list.")
    if conversation.handoff_status == "closed":
        raise HandoffConflict(f"This conversation was already closed by {conversation.closed_by}.")
    if conversation.handoff_status == "taken":
        _require_holder(conversation, user)
        append_message(session, conversation=conversation, sender="bot", text=PERSON_LEFT)
    conversation.handoff_status = "closed"
    conversation.closed_at, conversation.closed_by, conversation.outcome = utcnow(), user.username, outcome
    conversation.assigned_to_id = conversation.assigned_to = None


def add_note(session: Session, *, conversation: Conversation, user: StaffUser, text: str) -> Note:
    note = Note(author_id=user.id, author=user.username, text=_required(text, "Type a note before saving.", MAX_NOTE_CHARS))
    conversation.notes.append(note)
    session.flush()
    return note


def _require_holder(conversation: Conversation, user: StaffUser) -> None:
    if conversation.handoff_status != "taken":
        raise HandoffConflict("Nobody has taken this conversation.")
    if conversation.assigned_to_id != user.id and user.role != "admin":
        raise HandoffConflict(f"{conversation.assigned_to} has this conversation.")


def _required(text: str, empty_message: str, max_chars: int) -> str:
    text = (text or "").strip()
    if not text:
        raise ValueError(empty_message)
    if len(text) > max_chars:
        raise ValueError(f"Please keep it under {max_chars:,} characters.")
    return text
