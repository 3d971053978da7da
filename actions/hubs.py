"""Finding the parent's nearest Family Hub from a place name or postcode."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable


class ActionFindHub(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_find_hub"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        place = _place_in(tracker)
        if not place:
            dispatcher.utter_message(response="utter_ask_location")
            return []
        try:
            result = await self.client.lookup_hub(place)
        except FrontDoorUnavailable:
            dispatcher.utter_message(response="utter_content_unavailable")
            return []
        _reply(dispatcher, result, place)
        return []


def _place_in(tracker: Tracker) -> str:
    """The location entity if NLU found one, else the whole message (the lookup finds places in text)."""
    entities = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "location"]
    if entities and entities[0]:
        return str(entities[0])
    text = latest_text(tracker)
    return "" if is_payload(text) else text


def _reply(dispatcher: CollectingDispatcher, result: dict, place: str) -> None:
    status, hubs, shown = result["status"], result["hubs"], result.get("matched") or place
    if status == "found":
        hub = hubs[0]
        dispatcher.utter_message(
            response="utter_hub_found", hub_name=hub["name"], hub_area=hub["area"], hub_details=_details(hub)
        )
    elif status == "ambiguous":
        buttons = [
            {"title": f"{h['short_name']} ({h['area']})", "payload": f'/inform_location{{"location": "{h["short_name"]}"}}'}
            for h in hubs
        ]
        dispatcher.utter_message(response="utter_hub_ambiguous", place=shown, buttons=buttons)
    elif status == "outside" and result.get("council"):
        dispatcher.utter_message(response="utter_hub_outside", place=result.get("note") or shown, council=result["council"])
    elif status == "outside":
        dispatcher.utter_message(response="utter_hub_outside_unknown_council", place=shown)
    else:
        dispatcher.utter_message(response="utter_location_unknown", place=place[:60])


def _details(hub: dict) -> str:
    lines = []
    if hub.get("address"):
        lines.append(f"Address: {hub['address']}.")
    if hub.get("opening_hours_words"):
        lines.append(f"Open: {hub['opening_hours_words']}.")
    if hub.get("phone"):
        lines.append(f"Phone: {hub['phone']}.")
    if hub.get("here_to_help"):
        lines.append(hub["here_to_help"])
    return "".join(f"\n{line}" for line in lines)
