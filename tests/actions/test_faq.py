"""action_answer_faq: web and SMS answers from the service's FAQ."""
from __future__ import annotations

from actions.faq import ActionAnswerFaq
from tests.actions.conftest import DownService, make_tracker, params

FAQ = {"id": "what-is-a-family-hub", "question": "What is a Family Hub?", "answer": "The web answer.", "sms": "The SMS answer."}


async def test_typed_questions_are_matched_and_answered_for_the_web(service, dispatcher):
    service.on("/internal/content/faq/match", {"match": FAQ})
    await ActionAnswerFaq(service.client()).run(dispatcher, make_tracker("whats a family hub", intent="ask_faq"), {})
    assert params(service.requests[0]) == {"q": "whats a family hub"}
    assert [m["text"] for m in dispatcher.messages] == ["The web answer."]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/find_hub", "/ask_whats_on"]


async def test_sms_gets_the_short_answer(service, dispatcher):
    service.on("/internal/content/faq/match", {"match": FAQ})
    await ActionAnswerFaq(service.client()).run(dispatcher, make_tracker("whats a family hub", intent="ask_faq", channel="sms"), {})
    assert [m["text"] for m in dispatcher.messages] == ["The SMS answer."] and not dispatcher.messages[0]["buttons"]


async def test_a_button_names_the_faq_by_id(service, dispatcher):
    service.on("/internal/content/faq/what-is-a-family-hub", {"faq": FAQ})
    tracker = make_tracker('/ask_faq{"faq_id": "what-is-a-family-hub"}', intent="ask_faq", entities=[{"entity": "faq_id", "value": "what-is-a-family-hub"}])
    await ActionAnswerFaq(service.client()).run(dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == ["The web answer."]


async def test_no_match_offers_a_person(service, dispatcher):
    service.on("/internal/content/faq/match", {"match": None})
    await ActionAnswerFaq(service.client()).run(dispatcher, make_tracker("do you sell bikes", intent="ask_faq"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_unknown"]


async def test_service_down(dispatcher):
    await ActionAnswerFaq(DownService().client()).run(dispatcher, make_tracker("what is a family hub", intent="ask_faq"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_content_unavailable"]
