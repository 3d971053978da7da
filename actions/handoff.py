"""Handing the conversation to a practitioner, honest about when a person will read it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor
from actions.frontdoor_client import FrontDoorUnavailable


def handoff_control(*, urgent: bool, reason: str) -> dict:
    """The control payload the service turns into a queued handoff (never shown to the parent)."""
    return {"frontdoor_event": "handoff", "urgent": urgent, "reason": reason}


class ActionHandoff(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        # Queue first: even if the hours cannot be looked up, the parent must not be lost.
        dispatcher.utter_message(json_message=handoff_control(urgent=False, reason="parent asked for a person"))
        try:
            staffed = await self.client.staffed()
        except FrontDoorUnavailable:
            staffed = {}
        if staffed.get("staffed_now") and staffed.get("staffed_until_words"):
            dispatcher.utter_message(response="utter_handoff_staffed", until=staffed["staffed_until_words"])
        elif staffed.get("next_staffed_words"):
            dispatcher.utter_message(response="utter_handoff_closed", next_staffed=staffed["next_staffed_words"])
        else:
            dispatcher.utter_message(response="utter_handoff_unknown_hours")
        return []
