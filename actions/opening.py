"""Is a hub open now (or on a day), and when it next opens, with the safety line when it is closed."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.places import place_reply_events, without_a_place
from actions.sms import fit_lines



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
    lines = [_hub_line(hub, result) for hub in result["hubs"]]
    if any(not _open_when_asked(hub, result) for hub in result["hubs"]):
        lines.append(safety)
    if channel_of(tracker) == "sms":
        dispatcher.utter_message(text=fit_lines(lines))
    else:
        dispatcher.utter_message(text="\n".join(lines), buttons=[{"title": "What's on", "payload": "/ask_whats_on"}])
    return place_reply_events(result["place"])


def _open_when_asked(hub: dict, result: dict) -> bool:
    if result.get("day") and not result.get("day_is_today"):
        return bool(hub["on_day"] and hub["on_day"]["open"])
    return hub["open_now"]


def _hub_line(hub: dict, result: dict) -> str:
    name = hub["short_name"]
    if result.get("day") and not result.get("day_is_today"):
        on_day = hub["on_day"]
        if on_day["open"]:
            return f"{name} is open {result['day']}, {on_day['hours_words']}."
        why = " (a bank holiday)" if on_day["bank_holiday"] else ""
        return f"{name} is closed {result['day']}{why}. It is open {hub['week_words']}."
    if hub["open_now"]:
        return f"{name} is open now until {hub['closes_words']}."
    nxt = f" It opens {hub['next_opening_words']}." if hub.get("next_opening_words") else ""
    return f"{name} is closed now.{nxt}"


async def _out_of_hours_line(action: UsesFrontDoor) -> str:
    """The out-of-hours line from the contacts comms keep, so a changed number shows at once."""
    contacts = await action.client.contacts()
    edt = contacts.get("emergency-duty-team") or {}
    if edt.get("phone"):
        return f"If a child is in danger now, call 999. Out of hours, children's social care: {edt['phone']}."
    return "If a child is in danger now, call 999."
