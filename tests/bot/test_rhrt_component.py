"""The Rasa NLU component runs the rules with the statistical safety net, fitted once per process."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rhrt_recognizer import DISCLOSE_INTENT, RHRT_KEY, RhrtRecognizer


def test_create_fits_once_and_a_disclosure_no_rule_knows_becomes_disclose_concern():
    component = RhrtRecognizer.create({}, None, None, None)
    assert RhrtRecognizer.create({}, None, None, None)._assessor is component._assessor
    message = Message(data={"text": "my partner shut the baby in the car on the hottest day of the year while he went to the bookies",
                            "intent": {"name": "nlu_fallback", "confidence": 0.3}})
    component.process([message])
    assert message.get("intent")["name"] == DISCLOSE_INTENT
    rhrt = message.get(RHRT_KEY)
    assert rhrt["level"] == 4 and [c["source"] for c in rhrt["concerns"]] == ["model"]
