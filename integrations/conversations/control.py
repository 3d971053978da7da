"""Control payloads that actions send alongside their replies (handoff, triage results)."""
from __future__ import annotations

import logging

from integrations.conversations.models import Conversation
from integrations.handoff.service import queue_handoff

logger = logging.getLogger(__name__)


def apply_control(conversation: Conversation, control: dict) -> None:
    event = control.get("frontdoor_event")
    if event == "handoff":
        queue_handoff(conversation, urgent=bool(control.get("urgent")), reason=str(control.get("reason") or "parent asked"))
    else:
        logger.warning("unknown control event %r ignored", event)
