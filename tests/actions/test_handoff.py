"""action_handoff: always queues, and is honest about when a person will read it."""
from __future__ import annotations

from actions.handoff import ActionHandoff
from tests.actions.conftest import DownService, make_tracker

QUEUED = {"frontdoor_event": "handoff", "urgent": False, "reason": "parent asked for a person", "hub": None}


async def test_in_hours_says_until_when(service, dispatcher):
    service.on("/internal/frontdoor/staffed", {"staffed_now": True, "staffed_until_words": "5pm", "next_staffed_words": "tomorrow at 9am"})
    await ActionHandoff(service.client()).run(dispatcher, make_tracker("real person please", intent="request_human"), {})
    assert dispatcher.messages[0]["custom"] == QUEUED
    assert (dispatcher.messages[1]["response"], dispatcher.messages[1]["until"]) == ("utter_handoff_staffed", "5pm")


async def test_out_of_hours_says_when_next(service, dispatcher):
    service.on("/internal/frontdoor/staffed", {"staffed_now": False, "staffed_until_words": None, "next_staffed_words": "on Monday at 9am"})
    await ActionHandoff(service.client()).run(dispatcher, make_tracker("real person please", intent="request_human"), {})
    assert (dispatcher.messages[1]["response"], dispatcher.messages[1]["next_staffed"]) == ("utter_handoff_closed", "on Monday at 9am")


async def test_still_queued_when_the_hours_cannot_be_read(dispatcher):
    await ActionHandoff(DownService().client()).run(dispatcher, make_tracker("real person please", intent="request_human"), {})
    assert dispatcher.messages[0]["custom"] == QUEUED
    assert dispatcher.messages[1]["response"] == "utter_handoff_unknown_hours"


async def test_the_hub_the_conversation_found_goes_with_the_handoff(service, dispatcher):
    service.on("/internal/frontdoor/staffed", {"staffed_now": True, "staffed_until_words": "5pm"})
    tracker = make_tracker("real person please", intent="request_human", slots={"hub": "harmony"})
    await ActionHandoff(service.client()).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["hub"] == "harmony"
