"""Rasa NLU component: assess every message against the RHRT descriptors, safety first.

The assessment is the rules' with the statistical safety net under them (bot/triage/assessor.py): the words'
model is fitted and the fine-tuned sentence reader that `make train` built is loaded once per process, in
create() (about 15 s for 8969 cases; never at import). Rasa calls create() when it trains a model as well as
when it serves one, so training needs the sentence reader too (ReaderMissing without it).

It runs after the intent classifier and the FallbackClassifier. The assessment is added to the parse
data under "rhrt" (read by action_triage). When a message shows a need at level 2 or above, or danger,
the intent becomes `disclose_concern` whatever the classifier said: out-of-scope and fallback
replies must never swallow a disclosure. The classifier's own guess stays in the intent ranking.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.triage.assessor import Assessor, default_assessor

DISCLOSE_INTENT = "disclose_concern"
RHRT_KEY = "rhrt"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RhrtRecognizer(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> "RhrtRecognizer":
        return cls(default_assessor())

    def __init__(self, assessor: Assessor) -> None:
        self._assessor = assessor

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):
                continue  # button payloads are not what the parent wrote
            assessment = self._assessor.assess(text)
            message.set(RHRT_KEY, assessment.as_dict(), add_to_output=True)
            if assessment.danger or (assessment.level or 0) >= 2:
                _make_disclosure(message)
        return messages


def _make_disclosure(message: Message) -> None:
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != DISCLOSE_INTENT]
    message.set(INTENT, {"name": DISCLOSE_INTENT, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": DISCLOSE_INTENT, "confidence": 1.0}, *ranking], add_to_output=True)
