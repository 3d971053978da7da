"""Finding the parent's nearest Family Hub from a place name or postcode."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.opening import opening_hours
from actions.places import place_reply_events, say_outside
from actions.whats_on import whats_on


class ActionFindHub(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_find_hub"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        place = _place_in(tracker)
        if not place:
            dispatcher.utter_message(response="utter_ask_location")
            return []
        pending, purpose = tracker.get_slot("pending_query"), tracker.get_slot("awaiting_place")
        if _last_action(tracker) not in ("action_whats_on", "action_opening_hours"):
            pending = None  # the question we asked about was not answered straight away: start afresh
        if pending and purpose == "whats_on":  # the place we asked for, to answer an earlier question
            return await whats_on(self, dispatcher, tracker, f"{pending} in {place}")
        if pending and purpose == "opening":
            return await opening_hours(self, dispatcher, tracker, f"{pending} {place}")
        try:
            result = await self.client.lookup_hub(place)
            text = latest_text(tracker)
            if result["status"] == "unknown" and place != text and not is_payload(text):
                # NLU may cut a name short ("the mote" -> "mote"); the whole message gives the finder more to go on.
                result = await self.client.lookup_hub(text)
        except FrontDoorUnavailable:
            dispatcher.utter_message(response="utter_content_unavailable")
            return []
        _reply(dispatcher, result, place, sms=channel_of(tracker) == "sms")
        return place_reply_events(result)


def _last_action(tracker: Tracker) -> str | None:
    """The assistant's last action before the parent's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def _place_in(tracker: Tracker) -> str:
    """The location entity if NLU found one, else the whole message (the lookup finds places in text)."""
    entities = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "location"]
    if entities and entities[0]:
        return str(entities[0])
    text = latest_text(tracker)
    return "" if is_payload(text) else text


def _reply(dispatcher: CollectingDispatcher, result: dict, place: str, *, sms: bool) -> None:
    status, hubs, shown = result["status"], result["hubs"], result.get("matched") or place
    if status == "found":
        hub = hubs[0]
        dispatcher.utter_message(
            response="utter_hub_found", hub_name=hub["name"], hub_area=hub["area"], hub_details=_details(hub, sms=sms)
        )
    elif status == "ambiguous":
        buttons = [
            {"title": f"{h['short_name']} ({h['area']})", "payload": f'/inform_location{{"location": "{h["short_name"]}"}}'}
            for h in hubs
        ]
        dispatcher.utter_message(response="utter_hub_ambiguous", place=shown, buttons=buttons)
    elif status == "outside":
        say_outside(dispatcher, result)
    else:
        dispatcher.utter_message(response="utter_location_unknown", place=place[:60])


def _details(hub: dict, *, sms: bool = False) -> str:
    """Address, hours, phone and Here to Help (by SMS not Here to Help, to stay within 2 segments)."""
    lines = []
    if hub.get("address"):
        lines.append(f"Address: {hub['address']}.")
    if hub.get("opening_hours_words"):
        lines.append(f"Open: {hub['opening_hours_words']}.")
    if hub.get("phone"):
        lines.append(f"Phone: {hub['phone']}.")
    if hub.get("here_to_help") and not sms:
        lines.append(hub["here_to_help"])
    return "".join(f"\n{line}" for line in lines)
