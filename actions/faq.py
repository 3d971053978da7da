"""Answering common questions from the FAQ the comms team keeps in the service."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.faq_text import faq_reply
from actions.frontdoor_client import FrontDoorUnavailable


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
        else:
            dispatcher.utter_message(**faq_reply(faq, channel_of(tracker)))
        return []
