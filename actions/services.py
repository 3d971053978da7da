"""Services by need: what a service is, who it is for, how to get it and where."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.faq_text import faq_reply
from actions.frontdoor_client import FrontDoorUnavailable
from actions.services_text import render

class ActionFindService(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_find_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = latest_text(tracker)
        if not text or is_payload(text):
            dispatcher.utter_message(response="utter_service_unknown")
            return []
        try:
            services = await self.client.services_for(text)
            # No service fits: the FAQ may answer it ("is there a clothes bank?"). Comms add FAQ entries at
            # run time, so a question the model files under services still finds a new entry, with no retrain.
            faq = None if services else await self.client.match_faq(text)
        except FrontDoorUnavailable:
            dispatcher.utter_message(response="utter_content_unavailable")
            return []
        if faq is not None:
            dispatcher.utter_message(**faq_reply(faq, channel_of(tracker)))
        elif not services:
            dispatcher.utter_message(response="utter_service_unknown")
        else:
            dispatcher.utter_message(**render(services, channel_of(tracker)))
        return []
