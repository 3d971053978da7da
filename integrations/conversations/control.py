"""Control payloads that actions send alongside their replies (handoff, triage results)."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from integrations.conversations.models import Concern, Conversation
from integrations.early_help.outbox import enqueue
from integrations.handoff.service import queue_handoff

logger = logging.getLogger(__name__)


def apply_control(session: Session, conversation: Conversation, control: dict) -> None:
    event = control.get("frontdoor_event")
    if event == "handoff":
        queue_handoff(conversation, urgent=bool(control.get("urgent")), reason=str(control.get("reason") or "parent asked"))
        _note_hub(conversation, control.get("hub"))
    elif event == "triage":
        record_triage(conversation, level=control.get("level"), danger=bool(control.get("danger")), concerns=control.get("concerns") or [])
    elif event == "early_help_request" and isinstance(control.get("request"), dict):
        enqueue(session, conversation, _with_triage(conversation, control["request"]))
        _note_hub(conversation, (control["request"].get("area") or {}).get("hub"))
    else:
        logger.warning("unknown control event %r ignored", event)


def _note_hub(conversation: Conversation, hub: object) -> None:
    """The hub whose team should see the conversation: the latest one the parent's words pointed to."""
    if isinstance(hub, str) and hub.strip():
        conversation.hub_id = hub.strip()[:64]


def _with_triage(conversation: Conversation, request: dict) -> dict:
    """The practitioner reading the request sees what triage found, not only the parent's words."""
    concerns = dict(request.get("concerns") or {})
    concerns["rhrt_level"] = conversation.rhrt_level
    concerns["descriptors"] = [{"id": c.descriptor_id, "domain": c.domain, "descriptor": c.descriptor, "level": c.level}
                               for c in conversation.concerns]
    return {**request, "concerns": concerns}


def record_triage(conversation: Conversation, *, level: object, danger: bool, concerns: list[dict]) -> None:
    """The conversation keeps its highest level, stays in danger once in danger, and gains new concerns."""
    if isinstance(level, int) and 1 <= level <= 4:
        conversation.rhrt_level = max(level, conversation.rhrt_level or 0)
    conversation.danger = conversation.danger or danger
    known = {c.descriptor_id for c in conversation.concerns}
    for concern in concerns:
        try:
            descriptor_id, level_ = str(concern["id"]), int(concern["level"])
        except (KeyError, TypeError, ValueError):
            logger.warning("malformed concern ignored")
            continue
        if descriptor_id not in known and 1 <= level_ <= 4:
            known.add(descriptor_id)
            conversation.concerns.append(
                Concern(descriptor_id=descriptor_id, domain=str(concern.get("domain", "")), descriptor=str(concern.get("descriptor", "")), level=level_)
            )
