"""What's on: sessions by hub, day and age, paged ("reply MORE" by SMS, a button on the web)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.places import place_reply_events, without_a_place
from actions.whats_on_text import PAGE_SIZE, render

ANY_DAY = "whats on"  # a button press: the coming week at the hub already named


class ActionWhatsOn(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_whats_on"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_intent_of_latest_message() == "more":
            query, offset = tracker.get_slot("whats_on_query"), int(tracker.get_slot("whats_on_offset") or 0)
            if not query or not offset:
                dispatcher.utter_message(response="utter_nothing_more")
                return []
        else:
            query, offset = latest_text(tracker), 0
        return await whats_on(self, dispatcher, tracker, query, offset)


async def whats_on(action: UsesFrontDoor, dispatcher: CollectingDispatcher, tracker: Tracker, query: str, offset: int = 0) -> list[dict]:
    """Answer `query` (the parent's words, plus a place given later) from list item `offset`; the events to remember it."""
    if not query or (is_payload(query) and not tracker.get_slot("hub")):
        dispatcher.utter_message(response="utter_ask_whats_on")
        return []
    query = ANY_DAY if is_payload(query) else query
    channel = channel_of(tracker)
    try:
        result = await action.client.whats_on(query, hub=tracker.get_slot("hub"), offset=offset, limit=PAGE_SIZE[channel])
    except FrontDoorUnavailable:
        dispatcher.utter_message(response="utter_content_unavailable")
        return []
    if (unplaced := without_a_place(dispatcher, result, "whats_on", query)) is not None:
        return unplaced
    message, shown = render(result, channel)
    dispatcher.utter_message(**message)
    more_from = offset + shown if shown < len(result["occurrences"]) or result["has_more"] else 0
    return [SlotSet("whats_on_query", query), SlotSet("whats_on_offset", float(more_from)), *place_reply_events(result["place"])]
