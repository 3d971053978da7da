"""Services by need: what a service is, who it is for, how to get it and where."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, is_payload, latest_text
from actions.faq_text import faq_reply
from actions.frontdoor_client import FrontDoorUnavailable
from actions.sms import fit_lines

HOW = {
    "drop-in": "Just drop in.",
    "booking": "You need to book.",
    "referral": "A worker needs to refer you.",
    "self-referral": "You can ask for it yourself.",
    "ask-at-hub": "Ask at your Family Hub.",
}


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


def render(services: list[dict], channel: str) -> dict:
    best, others = services[0], services[1:]
    if channel == "sms":
        lines = [f"{best['name']}: {best['what']}", f"{best['access_note']}"]
        lines += [f"Also: {s['name']}." for s in others[:1]]
        return {"text": fit_lines(lines, tail="Ask me what's on at your hub.")}
    lines = [
        f"{best['name']}: {best['what']}",
        f"Who it's for: {best['who_for']}",
        f"How to get it: {HOW.get(best['how_to_access'], '')} {best['access_note']}".replace("  ", " "),
    ]
    if best.get("contact"):
        lines.append(f"Contact: {best['contact']}")
    lines += [f"Also: {s['name']}: {s['what']}" for s in others]
    buttons = [{"title": "What's on near me", "payload": "/ask_whats_on"}, {"title": "Talk to a person", "payload": "/request_human"}]
    return {"text": "\n".join(lines), "buttons": buttons}


def service_lines(services: list[dict]) -> str:
    """Short lines for other actions' replies (triage's level-2 answer)."""
    return "".join(f"\n{s['name']}: {s['access_note']}" for s in services)
