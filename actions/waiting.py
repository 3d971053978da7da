"""Honest words about when a person will read a handed-over conversation, from the staffed hours."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.frontdoor_client import FrontDoorClient, FrontDoorUnavailable


async def tell_when_read(dispatcher: CollectingDispatcher, client: FrontDoorClient, *, prefix: str) -> None:
    """Utter `<prefix>_staffed`, `<prefix>_closed` or `<prefix>_unknown_hours` (the last if the hours can't be read)."""
    try:
        staffed = await client.staffed()
    except FrontDoorUnavailable:
        staffed = {}
    if staffed.get("staffed_now") and staffed.get("staffed_until_words"):
        dispatcher.utter_message(response=f"{prefix}_staffed", until=staffed["staffed_until_words"])
    elif staffed.get("next_staffed_words"):
        dispatcher.utter_message(response=f"{prefix}_closed", next_staffed=staffed["next_staffed_words"])
    else:
        dispatcher.utter_message(response=f"{prefix}_unknown_hours")
