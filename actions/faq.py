"""Answering common questions from the FAQ the comms team keeps in the service."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable


# On the web every answer leads somewhere: the places and people behind it.
NEXT_STEPS = [{"title": "Find my nearest hub", "payload": "/find_hub"}, {"title": "What's on", "payload": "/ask_whats_on"}]


class ActionAnswerFaq(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        faq_id = next(tracker.get_latest_entity_values("faq_id"), None)
        text = latest_text(tracker)
        try:
            if faq_id:
                faq = await self.client.faq_by_id(str(faq_id))
            elif text and not is_payload(text):
                faq = await self.client.match_faq(text)
            else:
                faq = None
        except FrontDoorUnavailable:
            dispatcher.utter_message(response="utter_content_unavailable")
            return []
        if faq is None:
            dispatcher.utter_message(response="utter_faq_unknown")
        elif channel_of(tracker) == "sms":
            dispatcher.utter_message(text=faq["sms"])
        else:
            dispatcher.utter_message(text=faq["answer"], buttons=NEXT_STEPS)
        return []
