"""The first fallback stage asks about the likeliest meaningful intent, in plain words."""
from __future__ import annotations

from actions.fallback import ActionAskAffirmation
from tests.actions.conftest import make_tracker


async def test_asks_about_the_likeliest_meaningful_intent(dispatcher):
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "affirm", "confidence": 0.3}, {"name": "find_hub", "confidence": 0.2}]
    await ActionAskAffirmation().run(dispatcher, make_tracker("hub?? near", intent_ranking=ranking), {})
    assert dispatcher.messages[0]["text"] == "Sorry, I'm not sure I understood. Do you want to find your nearest Family Hub?"
    assert dispatcher.messages[0]["buttons"] == [{"title": "Yes", "payload": "/find_hub"}, {"title": "No", "payload": "/out_of_scope"}]


async def test_nothing_worth_confirming_asks_to_rephrase(dispatcher):
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "affirm", "confidence": 0.3}]
    await ActionAskAffirmation().run(dispatcher, make_tracker("mmm", intent_ranking=ranking), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
