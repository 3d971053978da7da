"""Is a hub open now (or on a day), and when it next opens, with the safety line when it is closed."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.places import place_reply_events, without_a_place
from actions.opening_text import opening_reply, out_of_hours_line



class ActionOpeningHours(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_opening_hours"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return await opening_hours(self, dispatcher, tracker, latest_text(tracker))


async def opening_hours(action: UsesFrontDoor, dispatcher: CollectingDispatcher, tracker: Tracker, query: str) -> list[dict]:
    if not query or is_payload(query):
        query = "now"
    try:
        result = await action.client.opening(query, hub=tracker.get_slot("hub"))
        safety = await _out_of_hours_line(action) if result["status"] == "found" else ""
    except FrontDoorUnavailable:
        dispatcher.utter_message(response="utter_content_unavailable")
        return []
    if (unplaced := without_a_place(dispatcher, result, "opening", query)) is not None:
        return unplaced
    dispatcher.utter_message(**opening_reply(result, safety, channel_of(tracker)))
    return place_reply_events(result["place"])


async def _out_of_hours_line(action: UsesFrontDoor) -> str:
    """The out-of-hours line from the contacts comms keep, so a changed number shows at once."""
    return out_of_hours_line(await action.client.contacts())
