"""A request for early help: the form's validation, read-back, submit, stop and correction.

Consent comes first and "no" ends it with nothing kept. The request is handed to the front-door service
as a control payload; the service stores it in its outbox before anything is sent, so it is never lost.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (children_in, contact_in, contact_preferences, looks_like_a_postcode, no_language_needs,
                             postcode_in, preferences_words)
from actions.common import UsesFrontDoor, is_payload
from actions.frontdoor_client import FrontDoorUnavailable
from actions.triage import ActionTriage

FORM = "early_help_form"
# The wording the parent agrees to (utter_ask_eh_consent), recorded with the time they said yes.
CONSENT_WORDING = (
    "A request for early help goes to the Family Hub early help team. They look at requests every week at a meeting "
    "called Family Matters, and find the right help for your family. They will see your answers and what you told me. "
    "Do you agree to share them?"
)
SLOTS = ("eh_consent", "eh_consent_at", "eh_name", "eh_contact", "eh_phone", "eh_email", "eh_contact_ok", "eh_children",
         "eh_place", "eh_hub", "eh_concerns", "eh_concerns_draft", "eh_contact_times", "eh_language", "eh_confirmed")
# What each "Change ..." button clears: the answer and what was worked out from it.
CHANGEABLE = {
    "eh_name": ("your name", ()),
    "eh_contact": ("how to contact you", ("eh_phone", "eh_email")),
    "eh_contact_ok": ("calls, texts, voicemail", ()),
    "eh_children": ("your children", ()),
    "eh_place": ("where you live", ("eh_hub",)),
    "eh_concerns": ("what is going on", ()),
    "eh_contact_times": ("when to contact you", ()),
    "eh_language": ("language", ()),
}


def _forget_all() -> list[dict]:
    return [SlotSet(name, None) for name in SLOTS] + [SlotSet("requested_slot", None)]


def _disclosures(tracker: Tracker) -> str:
    """What the parent told triage in this conversation, in their own words."""
    said = [e.get("text") or "" for e in tracker.events
            if e.get("event") == "user" and (e.get("parse_data") or {}).get("intent", {}).get("name") == "disclose_concern"]
    return " ".join(t.strip() for t in said if t.strip() and not t.startswith("/"))[:2000]


class ActionStartEarlyHelp(Action):
    def name(self) -> str:
        return "action_start_early_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot("eh_concerns") or tracker.get_slot("eh_concerns_draft"):
            return []  # carrying on with a paused request: keep what was said
        return [SlotSet("eh_concerns_draft", _disclosures(tracker) or None)]


class ValidateEarlyHelpForm(UsesFrontDoor, FormValidationAction):
    def name(self) -> str:
        return "validate_early_help_form"

    async def required_slots(self, domain_slots: list[str], dispatcher, tracker, domain) -> list[str]:
        # "No" to consent: nothing more is asked, and action_submit_early_help keeps nothing.
        return [] if tracker.get_slot("eh_consent") is False else domain_slots

    def validate_eh_consent(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        if value is True:
            return {"eh_consent": True, "eh_consent_at": datetime.now(timezone.utc).isoformat()}
        return {"eh_consent": value}

    def validate_eh_name(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        name = " ".join(str(value or "").split())
        if not name or is_payload(name) or len(name) > 80:
            dispatcher.utter_message(text="Please tell me your name, as you'd like the team to use it.")
            return {"eh_name": None}
        for prefix in ("my name is ", "im ", "i'm ", "i am ", "it's ", "its "):
            if name.lower().startswith(prefix):
                name = name[len(prefix):]
        return {"eh_name": name[:80]}

    def validate_eh_contact(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        found = contact_in(str(value or ""))
        if not found.phone and not found.email:
            dispatcher.utter_message(text="Sorry, that doesn't look like a UK phone number or an email address. "
                                          "Please try again, for example 07700 900123 or name@example.com.")
            return {"eh_contact": None}
        return {"eh_contact": str(value), "eh_phone": found.phone, "eh_email": found.email}

    def validate_eh_contact_ok(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        return {"eh_contact_ok": preferences_words(contact_preferences(str(value or "")))}

    def validate_eh_children(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        children = children_in(str(value or ""))
        if not children:
            dispatcher.utter_message(text="Sorry, I didn't catch that. Please send each child's first name and age, like: Amy 4, Josh 9.")
            return {"eh_children": None}
        return {"eh_children": children}

    async def validate_eh_place(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        text = str(value or "")
        postcode = postcode_in(text)
        if not postcode and looks_like_a_postcode(text) and len(text) <= 8:
            dispatcher.utter_message(text="Sorry, that doesn't look like a full UK postcode. Please try again, like CV2 1AB, or tell me your area.")
            return {"eh_place": None}
        try:
            found = await self.client.lookup_hub(text)
        except FrontDoorUnavailable:
            found = {"status": "unknown", "hubs": []}  # the team can still work out the hub from the answer
        if found["status"] == "outside":
            dispatcher.utter_message(text=f"That looks like it's outside Coventry. Coventry's Family Hubs are for families in Coventry. "
                                          f"{found.get('council') or 'Your local council'} can help where you live. "
                                          f"If you do live in Coventry, please send your postcode.")
            return {"eh_place": None}
        hub = found["hubs"][0]["id"] if found["status"] == "found" else None
        return {"eh_place": postcode or text[:120], "eh_hub": hub}

    async def validate_eh_concerns(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        text, draft = str(value or ""), tracker.get_slot("eh_concerns_draft")
        assessment = tracker.latest_message.get("rhrt") or {}
        events: dict = {}
        if assessment.get("danger") or (assessment.get("level") or 0) >= 4:
            # Safety first, even inside the form: the danger and level-4 replies come before the next question.
            triage = await ActionTriage(self.client).run(dispatcher, tracker, domain)
            events = {e["name"]: e["value"] for e in triage if e.get("event") == "slot"}
        if tracker.get_intent_of_latest_message() == "affirm" and draft:
            return {**events, "eh_concerns": draft}
        if is_payload(text) or len(text.strip()) < 3:
            dispatcher.utter_message(text="Please tell me, in your own words, what's going on and what help you'd like.")
            return {"eh_concerns": None}
        return {**events, "eh_concerns": text[:2000]}

    def validate_eh_contact_times(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        return {"eh_contact_times": str(value or "")[:200] or "any time"}

    def validate_eh_language(self, value: Any, dispatcher, tracker, domain: DomainDict) -> dict:
        text = str(value or "")
        return {"eh_language": "none" if no_language_needs(text) else text[:120]}


class ActionAskEhConcerns(Action):
    def name(self) -> str:
        return "action_ask_eh_concerns"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        draft = tracker.get_slot("eh_concerns_draft")
        if draft:
            dispatcher.utter_message(
                text=f"You told me: \"{draft[:300]}\"\nShall I send that to the team as it is? Or write it the way you want it.",
                buttons=[{"title": "Yes, send that", "payload": "/affirm"}],
            )
        else:
            dispatcher.utter_message(text="In your own words, what's going on, and what help would you like?")
        return []


def read_back(tracker: Tracker) -> str:
    children = ", ".join(f"{c['first_name']} ({c['age']})" for c in tracker.get_slot("eh_children") or [])
    contact = " and ".join(v for v in (tracker.get_slot("eh_phone"), tracker.get_slot("eh_email")) if v)
    language = tracker.get_slot("eh_language")
    return "\n".join([
        "Please check your request:",
        f"Name: {tracker.get_slot('eh_name')}",
        f"Contact: {contact} ({tracker.get_slot('eh_contact_ok')})",
        f"Children: {children}",
        f"Where: {tracker.get_slot('eh_place')}",
        f"What's going on: {tracker.get_slot('eh_concerns')}",
        f"Best time: {tracker.get_slot('eh_contact_times')}",
        f"Interpreter or language: {'not needed' if language == 'none' else language}",
        "Shall I send it?",
    ])


class ActionAskEhConfirmed(Action):
    def name(self) -> str:
        return "action_ask_eh_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        buttons = [{"title": "Send it", "payload": "/affirm"}]
        buttons += [{"title": f"Change {words}", "payload": f'/change_answer{{"field": "{slot}"}}'} for slot, (words, _) in CHANGEABLE.items()]
        buttons.append({"title": "Stop, don't send", "payload": "/stop_request"})
        dispatcher.utter_message(text=read_back(tracker), buttons=buttons)
        return []


def request_payload(tracker: Tracker) -> dict:
    """The request for the case API (the service adds where it came from)."""
    preferences = contact_preferences(tracker.get_slot("eh_contact_ok") or "")
    language = tracker.get_slot("eh_language")
    rhrt_level = tracker.get_slot("rhrt_level")
    return {
        "consent": {"given": True, "wording": CONSENT_WORDING, "at": tracker.get_slot("eh_consent_at")},
        "parent": {
            "name": tracker.get_slot("eh_name"), "phone": tracker.get_slot("eh_phone"), "email": tracker.get_slot("eh_email"),
            **preferences, "contact_times": tracker.get_slot("eh_contact_times"),
            "language": None if language == "none" else language, "interpreter_needed": bool(language and language != "none"),
        },
        "children": tracker.get_slot("eh_children") or [],
        "area": {"postcode": postcode_in(tracker.get_slot("eh_place") or ""), "area": tracker.get_slot("eh_place"), "hub": tracker.get_slot("eh_hub")},
        "concerns": {"in_parents_words": tracker.get_slot("eh_concerns"), "rhrt_level": int(rhrt_level) if rhrt_level else None,
                     "descriptors": []},
    }


class ActionSubmitEarlyHelp(Action):
    def name(self) -> str:
        return "action_submit_early_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot("eh_consent") is not True:
            dispatcher.utter_message(response="utter_early_help_no_consent")
        elif tracker.get_slot("eh_confirmed") is True:
            dispatcher.utter_message(json_message={"frontdoor_event": "early_help_request", "request": request_payload(tracker)})
            dispatcher.utter_message(response="utter_early_help_saved")
        return _forget_all()


class ActionStopEarlyHelp(Action):
    def name(self) -> str:
        return "action_stop_early_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        dispatcher.utter_message(response="utter_early_help_stopped")
        return _forget_all()


class ActionChangeAnswer(Action):
    def name(self) -> str:
        return "action_change_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        field = next(tracker.get_latest_entity_values("field"), None)
        events = [SlotSet("eh_confirmed", None)]  # the read-back is shown again after the change
        if field in CHANGEABLE:
            events += [SlotSet(field, None)] + [SlotSet(dependent, None) for dependent in CHANGEABLE[field][1]]
        return events
