"""RHRT triage, safety first: the rules, then the statistical safety net under them.

The rules (bot/triage/recognizer.py) say which descriptors a message matches; the model
(bot/triage/classifier.py) says how it reads overall. The final level is the higher of the two and danger is
either's danger: the model can raise what the rules found, never lower it. When it raises, the assessment
gains a concern with the same keys as the rules' ones ("source": "model") so that a practitioner sees why.

The model is gated so that what the rules already settle stays settled:
- a concern the parent denies ("he's not hurting them": the rules matched nothing and negated something,
  and no concern word is left outside the negation) and a plain question with no concern word ("whats the number for the MASH") are never raised (BLOCKED);
- a message with no word the rules treat as a concern (figures of speech are removed first, so "my son is
  killing it at football" has none) is raised only where the model is sure (WEAK: Thresholds.unevidenced).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from bot.triage.classifier import ALARM_CASES, BLOCKED, OPEN, WEAK, Prediction, TriageClassifier, load_cases
from bot.triage.recognizer import Assessment, Descriptor, Recognizer, default_recognizer
from bot.triage.sentence_reader import SentenceReader
from bot.triage.text import fold

MODEL_DANGER = "model-danger"
MIN_WORDS = 5
_QUESTION = re.compile(
    r"^\W*(?:(?:hi|hiya|hello|hey)\W+)?(?:what|whats|when|whens|where|wheres|which|who|whos|how|hows|is|are|can|could|do|does|"
    r"any|anyone|have|has|will|would|should|may)\b"
)


class Assessor:
    def __init__(self, recognizer: Recognizer, classifier: TriageClassifier):
        self.recognizer = recognizer
        self.classifier = classifier

    @classmethod
    def fit(cls, recognizer: Recognizer | None = None, cases: list[dict] | None = None) -> "Assessor":
        """Fit the model on the labelled cases: given ones alone, or data/triage/ with the second reader of level 4
        and danger and the fine-tuned sentence reader that `make train` built (bot/triage/classifier.py; raises
        ReaderMissing without it). About 15 s for 8969 cases on this machine."""
        recognizer = recognizer or default_recognizer()
        if cases is not None:
            return cls(recognizer, TriageClassifier.fit(cases, read=recognizer.reading))
        return cls(recognizer, TriageClassifier.fit(load_cases(), read=recognizer.reading, alarm_cases=load_cases(pattern=ALARM_CASES),
                                                    sentence=SentenceReader.load()))

    def assess(self, text: str) -> Assessment:
        assessment = self.recognizer.assess(text)
        if assessment.level == 4 and assessment.danger:
            return assessment  # nothing left for the model to raise
        allowed = gate(self.recognizer, text, assessment)
        if allowed == BLOCKED:
            # The model could raise nothing: spare the sentence reader's forward pass (11-22 ms) on the form answers,
            # names and plain questions that make up much of a conversation.
            return assessment
        return combine(assessment, self.classifier.predict(text), allowed)


def gate(recognizer: Recognizer, text: str, assessment: Assessment) -> str:
    """How far the model may raise this message, given the rules' assessment (see the module docstring)."""
    words = recognizer.concern_words(text)  # not negated
    if assessment.negated and not assessment.concerns and not words:
        return BLOCKED
    if len(fold(text).split()) < MIN_WORDS and not assessment.concerns:
        # The model was fitted on disclosures: on "no", "Radford" or "leave it" (a concern word, but no
        # descriptor the rules could match) its guess means nothing.
        return BLOCKED
    if words:
        # A negation elsewhere does not cancel what is not negated: "some older boys drove him there and
        # wont bring him back" denies nothing.
        return OPEN
    return BLOCKED if is_question(text) else WEAK


def is_question(text: str) -> bool:
    folded = fold(text).strip()
    return folded.endswith("?") or bool(_QUESTION.match(folded))


def combine(assessment: Assessment, prediction: Prediction, gate: str) -> Assessment:
    """The rules' assessment raised to the model's level and danger under the gate, with a concern saying so."""
    level, danger = prediction.decide(gate, assessment.level)
    if not _raises(assessment, level, danger):
        return assessment
    if danger and not assessment.danger:
        concern = _model_concern(MODEL_DANGER, 4, prediction.domain, "Reads like someone may be in danger now (statistical model; no danger signal matched)")
    else:
        concern = _model_concern(f"model-l{level}", level, prediction.domain, f"Reads like a level-{level} disclosure (statistical model; no level-{level} descriptor matched)")
    return replace(
        assessment,
        concerns=sorted([*assessment.concerns, concern], key=lambda d: (-d.level, d.id)),
        danger=[*assessment.danger, MODEL_DANGER] if danger and not assessment.danger else list(assessment.danger),
        negated=list(assessment.negated), flags=set(assessment.flags),
    )


def _raises(assessment: Assessment, level: int, danger: bool) -> bool:
    return level > (assessment.level or 1) or (danger and not assessment.danger)


def _model_concern(id_: str, level: int, domain: str, reading: str) -> Descriptor:
    return Descriptor(id=id_, level=level, domain=domain, descriptor=f"{reading} — please read the message", category=None, rules=(), source="model")


@lru_cache(maxsize=1)
def default_assessor() -> Assessor:
    """The rules in data/content/rhrt.yml with the model fitted on data/triage/, once per process."""
    return Assessor.fit()
