"""Asking for, remembering and explaining the place a question is about (shared by hub, what's on, hours)."""
from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher


def ask_for_place(dispatcher: CollectingDispatcher, purpose: str, query: str) -> list[dict]:
    """Ask for an area or postcode; the next place the parent gives answers `query` (see action_find_hub)."""
    dispatcher.utter_message(response="utter_ask_place_for_question")
    return [SlotSet("awaiting_place", purpose), SlotSet("pending_query", query)]


def place_reply_events(place: dict) -> list[dict]:
    """Remember the hub when the place named exactly one, so "what's on tomorrow?" next needs no place."""
    events: list[dict] = [SlotSet("awaiting_place", None), SlotSet("pending_query", None)]
    if place.get("status") == "found" and len(place.get("hubs") or []) == 1:
        events.append(SlotSet("hub", place["hubs"][0]["id"]))
    return events


def say_outside(dispatcher: CollectingDispatcher, place: dict) -> None:
    shown = place.get("note") or place.get("matched") or "That place"
    if place.get("council"):
        dispatcher.utter_message(response="utter_hub_outside", place=shown, council=place["council"])
    else:
        dispatcher.utter_message(response="utter_hub_outside_unknown_council", place=shown)


def without_a_place(dispatcher: CollectingDispatcher, result: dict, purpose: str, query: str) -> list[dict] | None:
    """The reply and events when the service could not place the question (ask where, or say it is outside
    Coventry); None when it could, and the caller answers."""
    if result["status"] == "need_place":
        return ask_for_place(dispatcher, purpose, query)
    if result["status"] == "outside":
        say_outside(dispatcher, result["place"])
        return place_reply_events(result["place"])
    return None
