"""The request-for-early-help form: answers read and validated, read-back, submit, stop and correction."""
from __future__ import annotations

import pytest

from actions.answers import children_in, contact_in, contact_preferences, postcode_in, preferences_words, uk_phone
from actions.early_help import (ActionAskEhConfirmed, ActionChangeAnswer, ActionStartEarlyHelp, ActionStopEarlyHelp,
                                ActionSubmitEarlyHelp, ValidateEarlyHelpForm, request_payload)
from tests.actions.conftest import make_tracker

ANSWERS = {
    "eh_consent": True, "eh_consent_at": "2026-11-23T14:31:00+00:00", "eh_name": "Sam Patel", "eh_contact": "07700 900123",
    "eh_phone": "07700900123", "eh_email": None, "eh_contact_ok": "text OK", "eh_children": [{"first_name": "Amy", "age": 4}],
    "eh_place": "CV2 1AB", "eh_hub": "park-edge", "eh_concerns": "my son wont go to school and im not coping",
    "eh_contact_times": "mornings", "eh_language": "Polish", "eh_confirmed": True, "rhrt_level": 3.0,
}


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize("text, phone", [("07700 900123", "07700900123"), ("+44 7700 900123", "07700900123"),
                                         ("+44 (0)24 7683 2222", "02476832222"), ("12345", None), ("0770090012", None)])
def test_uk_phone_numbers(text, phone):
    assert uk_phone(text) == phone


def test_contact_children_postcode_and_preferences_are_read_from_what_parents_type():
    assert contact_in("me@Example.com or 07700900123") == contact_in("07700900123 me@example.com")
    assert children_in("amy is 4 and josh aged 9") == [{"first_name": "Amy", "age": 4}, {"first_name": "Josh", "age": 9}]
    assert children_in("two kids") == []
    assert postcode_in("we're at cv2 1ab") == "CV2 1AB"
    assert contact_preferences("text only") == {"safe_to_call": False, "safe_to_text": True, "safe_to_voicemail": False}
    assert contact_preferences("call but no voicemail") == {"safe_to_call": True, "safe_to_text": True, "safe_to_voicemail": False}


@pytest.mark.parametrize("call", [True, False])
@pytest.mark.parametrize("text", [True, False])
@pytest.mark.parametrize("voicemail", [True, False])
def test_the_read_back_wording_reads_back_to_the_same_preferences(call, text, voicemail):
    preferences = {"safe_to_call": call, "safe_to_text": text, "safe_to_voicemail": voicemail}
    assert contact_preferences(preferences_words(preferences)) == preferences


async def test_an_invalid_phone_number_is_asked_again_with_an_example(service, dispatcher):
    form = ValidateEarlyHelpForm(service.client())
    assert form.validate_eh_contact("0121", dispatcher, make_tracker("0121"), {}) == {"eh_contact": None}
    assert "07700 900123" in dispatcher.messages[0]["text"]
    assert form.validate_eh_contact("07700 900123", dispatcher, make_tracker("x"), {})["eh_phone"] == "07700900123"


async def test_no_consent_asks_nothing_more(service, dispatcher):
    form = ValidateEarlyHelpForm(service.client())
    assert await form.required_slots(["eh_consent", "eh_name"], dispatcher, make_tracker("no", slots={"eh_consent": False}), {}) == []
    assert "eh_consent_at" in form.validate_eh_consent(True, dispatcher, make_tracker("yes"), {})


async def test_a_place_finds_its_hub_and_a_broken_postcode_is_asked_again(service, dispatcher):
    service.on("/internal/content/hubs/lookup", {"status": "found", "hubs": [{"id": "park-edge"}]})
    form = ValidateEarlyHelpForm(service.client())
    assert await form.validate_eh_place("CV2 1AB", dispatcher, make_tracker("CV2 1AB"), {}) == {"eh_place": "CV2 1AB", "eh_hub": "park-edge"}
    assert await form.validate_eh_place("CV2 1", dispatcher, make_tracker("CV2 1"), {}) == {"eh_place": None}


async def test_the_concerns_offer_what_the_parent_told_triage(service, dispatcher):
    tracker = make_tracker("make a request", intent="request_early_help")
    tracker.events[:0] = [{"event": "user", "text": "my son wont go to school and im not coping",
                           "parse_data": {"intent": {"name": "disclose_concern"}}}]
    assert slots_of(await ActionStartEarlyHelp().run(dispatcher, tracker, {})) == {"eh_concerns_draft": "my son wont go to school and im not coping"}
    form = ValidateEarlyHelpForm(service.client())
    yes = make_tracker("/affirm", intent="affirm", slots={"eh_concerns_draft": "the draft"})
    assert await form.validate_eh_concerns("/affirm", dispatcher, yes, {}) == {"eh_concerns": "the draft"}


async def test_danger_while_describing_concerns_gets_the_safety_reply_first(service, dispatcher):
    service.on("/internal/content/contacts", {"contacts": []})
    service.on("/internal/frontdoor/staffed", {"staffed_now": False, "next_staffed_words": "tomorrow at 9am"})
    rhrt = {"level": 4, "danger": ["attack-now"], "concerns": [{"id": "x", "level": 4, "domain": "parent", "descriptor": "d"}], "flags": []}
    tracker = make_tracker("hes hitting her right now", intent="disclose_concern", rhrt=rhrt)
    result = await ValidateEarlyHelpForm(service.client()).validate_eh_concerns("hes hitting her right now", dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_danger"
    assert result["eh_concerns"] == "hes hitting her right now" and result["danger"] is True


async def test_the_read_back_shows_every_answer_with_change_and_stop_buttons(dispatcher):
    await ActionAskEhConfirmed().run(dispatcher, make_tracker("x", slots=ANSWERS), {})
    text, buttons = dispatcher.messages[0]["text"], dispatcher.messages[0]["buttons"]
    for shown in ("Sam Patel", "07700900123", "Amy (4)", "CV2 1AB", "wont go to school", "mornings", "Polish"):
        assert shown in text
    assert buttons[0]["payload"] == "/affirm" and buttons[-1]["payload"] == "/stop_request"
    assert '/change_answer{"field": "eh_contact"}' in [b["payload"] for b in buttons]


async def test_submit_hands_every_answer_to_the_service_and_forgets_them(dispatcher):
    events = await ActionSubmitEarlyHelp().run(dispatcher, make_tracker("/affirm", slots=ANSWERS), {})
    request = dispatcher.messages[0]["custom"]["request"]
    assert dispatcher.messages[0]["custom"]["frontdoor_event"] == "early_help_request"
    assert request == request_payload(make_tracker("x", slots=ANSWERS))
    assert request["parent"]["language"] == "Polish" and request["parent"]["interpreter_needed"] is True
    assert request["consent"]["given"] is True and request["consent"]["at"] == ANSWERS["eh_consent_at"]
    assert dispatcher.messages[1]["response"] == "utter_early_help_saved"
    assert all(value is None for value in slots_of(events).values())


async def test_no_consent_sends_nothing(dispatcher):
    await ActionSubmitEarlyHelp().run(dispatcher, make_tracker("no", slots={"eh_consent": False}), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_early_help_no_consent"]


async def test_stop_discards_everything(dispatcher):
    events = await ActionStopEarlyHelp().run(dispatcher, make_tracker("stop", slots=ANSWERS), {})
    assert dispatcher.messages[0]["response"] == "utter_early_help_stopped"
    assert set(slots_of(events)) >= set(ANSWERS) - {"rhrt_level"} and all(v is None for v in slots_of(events).values())


async def test_changing_the_contact_clears_it_and_what_came_from_it(dispatcher):
    tracker = make_tracker("change my number", intent="change_answer", entities=[{"entity": "field", "value": "eh_contact"}], slots=ANSWERS)
    assert slots_of(await ActionChangeAnswer().run(dispatcher, tracker, {})) == {
        "eh_confirmed": None, "eh_contact": None, "eh_phone": None, "eh_email": None}
