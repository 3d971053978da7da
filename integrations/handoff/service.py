"""Queueing a conversation for a practitioner."""
from __future__ import annotations

from integrations.conversations.models import Conversation
from integrations.core.db import utcnow


def queue_handoff(conversation: Conversation, *, urgent: bool, reason: str) -> None:
    """Queue for a person; a later, more urgent request only ever raises the urgency."""
    if conversation.handoff_status in ("queued", "taken"):
        conversation.handoff_urgent = conversation.handoff_urgent or urgent
        return
    conversation.handoff_status = "queued"
    conversation.handoff_urgent = urgent
    conversation.handoff_reason = reason[:200]
    conversation.handoff_requested_at = utcnow()
