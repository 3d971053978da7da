"""The RHRT decision and the reply by level, safety first.

Recognition happens in the NLU pipeline (bot.nlu.rhrt_recognizer), which puts its assessment of the
message in the parse data under "rhrt". This action decides: the conversation's level is the highest
descriptor matched so far (so ambiguity between two levels always rounds up), danger is sticky, and
the reply follows the level. The 999 line needs nothing from the service, so it is never lost to an
outage; numbers that comms may change (MASH) come from the content, with a safe wording if it is down.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import UsesFrontDoor, channel_of, latest_text
from actions.frontdoor_client import FrontDoorUnavailable
from actions.handoff import handoff_control
from actions.services_text import service_lines
from actions.waiting import tell_when_read

HERE_TO_HELP = "here-to-help"  # always offered after the level-2 services (utter_level2_here_to_help)
SOCIAL_CARE_FALLBACK = "Coventry children's social care (the MASH) through Coventry City Council"


def triage_control(*, level: int, danger: bool, concerns: list[dict]) -> dict:
    """What the service records on the conversation (CONTRACT: rhrt_level, danger, concerns)."""
    return {
        "frontdoor_event": "triage",
        "level": level,
        "danger": danger,
        "concerns": [{k: c[k] for k in ("id", "domain", "descriptor", "level")} for c in concerns],
    }


class ActionTriage(UsesFrontDoor, Action):
    def name(self) -> str:
        return "action_triage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        assessment = tracker.latest_message.get("rhrt") or {}
        concerns = assessment.get("concerns") or []
        danger_now = bool(assessment.get("danger"))
        if not concerns and not danger_now:
            # The classifier heard a disclosure but no descriptor matched: ask, rather than guess a level.
            dispatcher.utter_message(response="utter_concern_unclear")
            return []
        level_now = max(c["level"] for c in concerns)
        level = max(level_now, int(tracker.get_slot("rhrt_level") or 0))
        danger = danger_now or bool(tracker.get_slot("danger"))
        flags = set(assessment.get("flags") or [])

        # By text the first message may be the only one read (or seen over a shoulder): at level 4 it carries 999.
        if danger_now or (level_now >= 4 and channel_of(tracker) == "sms"):
            dispatcher.utter_message(response="utter_danger")
        dispatcher.utter_message(json_message=triage_control(level=level_now, danger=danger_now, concerns=concerns))

        if level_now >= 4 or danger_now:
            social_care = await self._social_care_words()
            third_party = assessment.get("third_party")
            dispatcher.utter_message(response="utter_level4_third_party" if third_party else "utter_level4", social_care=social_care)
        elif level_now == 3:
            dispatcher.utter_message(response="utter_level3")
        else:
            dispatcher.utter_message(response="utter_level2", services=await self._services_words(
                latest_text(tracker), concerns, limit=1 if channel_of(tracker) == "sms" else 2))

        if "suicide" in flags:
            dispatcher.utter_message(response="utter_suicide_support")
        if "domestic-abuse" in flags:
            dispatcher.utter_message(response="utter_domestic_abuse_support")

        if level_now >= 3 or danger_now:
            urgent = level >= 4 or danger
            dispatcher.utter_message(json_message=handoff_control(urgent=urgent, reason=f"triage: level {level}{', danger' if danger else ''}", tracker=tracker))
            await tell_when_read(dispatcher, self.client, prefix="utter_urgent_handoff" if urgent else "utter_handoff")
            if not urgent and tracker.active_loop_name != "early_help_form":
                dispatcher.utter_message(response="utter_offer_early_help")  # never instead of the safety route
        else:
            dispatcher.utter_message(response="utter_level2_here_to_help")

        seen = list(tracker.get_slot("concerns") or [])
        return [
            SlotSet("rhrt_level", float(level)),
            SlotSet("danger", danger),
            SlotSet("concerns", seen + [c["id"] for c in concerns if c["id"] not in seen]),
        ]

    async def _social_care_words(self) -> str:
        try:
            contacts = await self.client.contacts()
        except FrontDoorUnavailable:
            return SOCIAL_CARE_FALLBACK
        mash, out_of_hours = contacts.get("mash") or {}, contacts.get("emergency-duty-team") or {}
        if not mash.get("phone"):
            return SOCIAL_CARE_FALLBACK
        words = f"Coventry children's social care (the MASH) on {mash['phone']}"
        if out_of_hours.get("phone"):
            words += f", or {out_of_hours['phone']} at night and weekends"
        return words

    async def _services_words(self, text: str, concerns: list[dict], *, limit: int) -> str:
        """The services that fit the parent's words (the signposting matcher), else the descriptors' own."""
        try:
            services = [s for s in await self.client.services_for(text) if s["id"] != HERE_TO_HELP]
            if not services:
                ids = list(dict.fromkeys(s for c in concerns for s in c.get("services") or []))
                services = await self.client.services(ids) if ids else []
        except FrontDoorUnavailable:
            return ""
        return service_lines(services[:limit])
