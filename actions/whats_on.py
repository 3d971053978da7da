"""What's on: sessions by hub, day and age, paged ("reply MORE" by SMS, a button on the web)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.places import place_reply_events, without_a_place
from actions.sms import fit_lines

PAGE_SIZE = {"sms": 3, "webchat": 5}  # an SMS page may show fewer: it must fit 2 segments
MORE_BUTTON = {"title": "More", "payload": "/more"}
HOURS_BUTTON = {"title": "Opening hours", "payload": "/ask_opening_hours"}
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


def render(result: dict, channel: str) -> tuple[dict, int]:
    """The reply for a what's-on result (text, and buttons on the web), and how many sessions it shows."""
    sms = channel == "sms"
    where = _hub_names(result)
    age = f" for {result['age_words']}" if result.get("age_words") else ""
    if result["status"] == "found":
        first = result["offset"] == 0
        head = f"On at {where} {result['when']}{age}:" if first else f"More at {where} {result['when']}:"
        lines = [head, *(_line(o, show_hub=len(result["place"]["hubs"]) != 1) for o in result["occurrences"])]
    else:
        lines = [f"Sorry, {_nothing(result)} at {where} {result['when']}{age}."]
        alternatives = result.get("alternatives") or []
        if alternatives:
            lines.append("Other days:" if result["alternatives_kind"] == "other-days" else "Nearby hubs:")
            lines += [_line(o, show_hub=result["alternatives_kind"] != "other-days") for o in alternatives]
        else:
            lines.append("Ask me about another day or hub.")
        return ({"text": fit_lines(lines)} if sms else {"text": "\n".join(lines), "buttons": [HOURS_BUTTON]}), 0
    if sms:
        text = fit_lines(lines, tail="Reply MORE for more.")
        shown = text.count("\n- ")
        if shown == len(result["occurrences"]) and not result["has_more"]:
            text = fit_lines(lines)
        return {"text": text}, shown
    message = {"text": "\n".join(lines + ["Sessions can change, so check with the hub before you go."])}
    message["buttons"] = [MORE_BUTTON, HOURS_BUTTON] if result["has_more"] else [HOURS_BUTTON]
    return message, len(result["occurrences"])


def _hub_names(result: dict) -> str:
    names = [h["short_name"] for h in result["place"]["hubs"]]
    if not names:
        return "the hubs"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _nothing(result: dict) -> str:
    titles = result.get("titles") or []
    return f"there's no {titles[0].lower()}" if len(titles) == 1 else "nothing is on"


def _line(o: dict, *, show_hub: bool) -> str:
    booking = "book first" if o["booking"] == "booking-needed" else "drop in"
    hub = f" at {o['hub_name']}" if show_hub else ""
    return f"- {o['day_words']} {o['time_words']}: {o['title']}{hub} ({o['ages_words']}, {booking})"
