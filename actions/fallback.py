"""The first stage of the two-stage fallback: check what the parent meant, in plain words."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

# What each intent means to a parent; intents not listed are not worth confirming.
MEANINGS = {
    "find_hub": "find your nearest Family Hub",
    "inform_location": "find the Family Hub for where you live",
    "ask_faq": "ask a question about Family Hubs",
    "request_human": "talk to a person from the hub team",
    "ask_capabilities": "know what I can help with",
    "bot_challenge": "know if you are talking to a person",
    "goodbye": "end the chat",
}


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        guess = next((r["name"] for r in ranking if r.get("name") in MEANINGS), None)
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=f"Sorry, I'm not sure I understood. Do you want to {MEANINGS[guess]}?",
            buttons=[{"title": "Yes", "payload": f"/{guess}"}, {"title": "No", "payload": "/out_of_scope"}],
        )
        return []
