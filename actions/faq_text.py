"""The words of an FAQ answer on each channel. No Rasa imports: the service's content editor previews
exactly this before comms publish an answer."""
from __future__ import annotations

# On the web every answer leads somewhere: the places and people behind it.
NEXT_STEPS = [{"title": "Find my nearest hub", "payload": "/find_hub"}, {"title": "What's on", "payload": "/ask_whats_on"}]


def faq_reply(faq: dict, channel: str) -> dict:
    """The message for one FAQ entry: the SMS wording by text, the web answer with its next steps otherwise."""
    if channel == "sms":
        return {"text": faq["sms"]}
    return {"text": faq["answer"], "buttons": NEXT_STEPS}
