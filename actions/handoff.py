"""Handing the conversation to a practitioner, honest about when a person will read it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor
from actions.waiting import tell_when_read


def handoff_control(*, urgent: bool, reason: str, tracker: Tracker) -> dict:
    """The control payload the service turns into a queued handoff (never shown to the parent), with the
    parent's hub if the conversation found one, so the right hub team sees it in their queue."""
    hub = tracker.get_slot("hub") or tracker.get_slot("eh_hub")
    return {"frontdoor_event": "handoff", "urgent": urgent, "reason": reason, "hub": hub}


class ActionHandoff(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        # Queue first: even if the hours cannot be looked up, the parent must not be lost.
        urgent = bool(tracker.get_slot("danger")) or (tracker.get_slot("rhrt_level") or 0) >= 4
        dispatcher.utter_message(json_message=handoff_control(urgent=urgent, reason="parent asked for a person", tracker=tracker))
        await tell_when_read(dispatcher, self.client, prefix="utter_handoff")
        return []
