"""The statistical safety net under the RHRT rules (bot/triage/classifier.py, bot/triage/assessor.py)."""
from __future__ import annotations

import numpy as np
import pytest

from bot.triage.assessor import MODEL_DANGER, Assessor, combine, default_assessor, gate, is_question
from bot.triage.classifier import (
    ALARM_CASES, BLOCKED, CV_FLOOR_DANGER, CV_FLOOR_LEVEL4, OPEN, SENTENCE_WEIGHT, THRESHOLDS, WEAK, Prediction, Thresholds, TriageClassifier, _cap, cross_validated_scores, load_cases,
)
from bot.triage.recognizer import default_recognizer


@pytest.fixture(scope="module")
def assessor() -> Assessor:
    return default_assessor()


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return load_cases()


# Denials, figures of speech and plain questions: the rules keep them below level 4, and so must the model.
EVERYDAY = [
    "he's not hurting them", "my son is killing it at football", "my kid is being a nightmare", "she'll be the death of me",
    "what time is stay and play at Harmony", "whats the number for the MASH", "my husband never hits the kids",
    "he would never lay a finger on them", "my son is dying to join the lego club", "is there a baby massage class on friday",
    "this heat is killing me lol", "hi", "ok thank you",
]


# Answers inside a conversation (a place, a name, a form's answers): never a disclosure of their own.
ANSWERS = ["I want a real person", "Radford", "Sam Patel", "07700 900123", "weekday mornings", "Amy 13, Josh 9",
           "text only", "Foleshill", "no", "more", "CV2 1AB", "is pathways open now", "cancel", "leave it",
           "cancel my request"]


@pytest.mark.parametrize("text", ANSWERS)
def test_everyday_answers_stay_level_1(assessor, text):
    result = assessor.assess(text)
    assert (result.level or 1) == 1 and not result.danger, result.as_dict()["concerns"]


@pytest.mark.parametrize("text", EVERYDAY)
def test_denials_figures_of_speech_and_questions_stay_below_level_4(assessor, text):
    result = assessor.assess(text)
    assert (result.level or 1) < 4 and not result.danger


def test_a_denial_is_blocked_even_where_the_model_alone_reads_a_concern(assessor):
    text = "my husband never hits the kids"
    # The model reads negated words marked ("never not_hit not_the not_kids") and no longer takes this for
    # level 4, but it still reads a concern: what the gate is there for.
    assert assessor.classifier.predict(text).decide(OPEN)[0] > 1
    assert gate(assessor.recognizer, text, assessor.recognizer.assess(text)) == BLOCKED
    assert assessor.assess(text).level is None


def test_the_gates():
    recognizer = default_recognizer()

    def gate_of(text: str) -> str:
        return gate(recognizer, text, recognizer.assess(text))

    assert gate_of("he's not hurting them") == BLOCKED  # a denial
    assert gate_of("whats the number for the MASH") == BLOCKED  # a plain question
    assert gate_of("my kid is being a nightmare") == WEAK  # the figure of speech is removed: no concern word left
    assert gate_of("my partner shoved my son into the wall") == OPEN
    assert gate_of("is it normal for my boyfriend to shove my son?") == OPEN  # a question with a concern in it
    assert is_question("hiya, where is the Moat hub") and not is_question("my son is 4")


# Level-4 disclosures written for this test in words no rule has (the rules alone miss every one).
UNSEEN_DISCLOSURES = [
    "my husband holds our sons head under the bath water when he misbehaves, hes 5",
    "my ex used to lock our 4 year old in the coal shed when she cried, and she still does it when she has her at weekends",
    "my partner shut the baby in the car on the hottest day of the year while he went to the bookies for two hours",
    "my nephew told me his mums new man puts his hand over his mouth at night and does things that hurt",
    "my 16 year old has written a note saying she cant go on and shes not in her room",
    "my husbands family are planning to send our 14 year old back home to be wed to a man twice her age this summer",
]


@pytest.mark.parametrize("text", UNSEEN_DISCLOSURES)
def test_disclosures_the_rules_miss_come_out_level_4(assessor, text):
    assert (assessor.recognizer.assess(text).level or 1) < 4
    result = assessor.assess(text)
    assert result.level == 4
    assert any(c.source == "model" for c in result.concerns)


def test_a_raise_is_explained_with_the_keys_every_concern_has(assessor):
    ruled = assessor.assess("my partner hit my son and he has a black eye").as_dict()["concerns"][0]
    raised = assessor.assess(UNSEEN_DISCLOSURES[0]).as_dict()["concerns"]
    assert len(raised) == 1 and set(raised[0]) == set(ruled)
    assert raised[0]["source"] == "model" and ruled["source"] == "rules"
    assert raised[0]["id"].startswith("model-") and raised[0]["level"] == 4
    assert raised[0]["descriptor"].startswith("Reads like a level-4 disclosure (statistical model")
    assert raised[0]["descriptor"].endswith("please read the message")
    assert raised[0]["domain"] in {"child", "parent", "family", "unknown"}


def test_the_model_only_raises():
    rules = default_recognizer().assess("my partner hit my son and he has a black eye")
    assert rules.level == 4
    calm = Prediction(scores=(0.0, 0.0, 0.0, 0.0), thresholds=THRESHOLDS, domain="unknown")
    assert combine(rules, calm, OPEN) is rules


class _Unread:
    def predict(self, text):
        raise AssertionError(f"the model was run on {text!r}")


@pytest.mark.parametrize("text", ["Radford", "whats the number for the MASH", "he's not hurting them",
                                  "hes outside the door shouting hes going to kill me the kids are upstairs"])
def test_the_model_is_not_run_where_it_could_raise_nothing(text):
    """Blocked by the gate, or level 4 with danger by the rules already: the sentence reader's forward pass is spared."""
    recognizer = default_recognizer()
    assert Assessor(recognizer, _Unread()).assess(text) == recognizer.assess(text)


def test_model_danger_is_added_to_the_rules_and_says_so():
    rules = default_recognizer().assess("my partner hit my son and he has a black eye")
    assert rules.level == 4 and not rules.danger
    alarmed = Prediction(scores=(1.0, 1.0, 1.0, 1.0), thresholds=THRESHOLDS, domain="family")
    result = combine(rules, alarmed, OPEN)
    assert result.danger == [MODEL_DANGER] and result.level == 4
    assert [c.id for c in result.concerns if c.source == "model"] == [MODEL_DANGER]
    assert rules.danger == []  # the rules' assessment is not changed in place
    assert combine(rules, alarmed, BLOCKED) is rules


def test_a_weak_gate_allows_only_a_sure_level_4():
    unsure = Prediction(scores=(0.9, 0.9, THRESHOLDS.unevidenced - 0.01, 0.0), thresholds=THRESHOLDS, domain="unknown")
    assert unsure.decide(OPEN)[0] == 4 and unsure.decide(WEAK)[0] == 1  # no concern word: never a level 2 or 3
    sure = Prediction(scores=(0.9, 0.9, THRESHOLDS.unevidenced, 0.0), thresholds=THRESHOLDS, domain="unknown")
    assert sure.decide(WEAK)[0] == 4
    assert unsure.decide(BLOCKED) == (1, False)


def test_fitting_is_deterministic(cases):
    texts = UNSEEN_DISCLOSURES + EVERYDAY
    reading = default_recognizer().reading
    first = TriageClassifier.fit(cases, read=reading).scores(texts)
    second = TriageClassifier.fit(cases, read=reading).scores(texts)
    assert np.array_equal(first, second)


def test_the_second_reader_only_ever_raises_level_4_and_danger(assessor, cases):
    """Fitted on data/triage/*.yml without levels/, its P(level >= 4) and P(danger) count where higher; the levels
    below and the domain stay the full model's. The bot's own assessor is built this way."""
    texts = UNSEEN_DISCLOSURES + EVERYDAY + ["my 14 year old is being groomed by a man online", "my 3 year old has a tantrum every bedtime"]
    reading = default_recognizer().reading
    alarm_cases = load_cases(pattern=ALARM_CASES)
    assert 0 < len(alarm_cases) < len(cases)
    alone = TriageClassifier.fit(cases, read=reading).scores(texts, ordinal=False)
    second = TriageClassifier.fit(alarm_cases, read=reading).scores(texts, ordinal=False)
    model = TriageClassifier.fit(cases, read=reading, alarm_cases=alarm_cases)
    raw = model.scores(texts, ordinal=False)
    assert np.array_equal(raw[:, :2], alone[:, :2])
    assert np.array_equal(raw[:, 2:], np.maximum(alone[:, 2:], second[:, 2:]))
    assert (raw[:, 2:] > alone[:, 2:]).any()
    both = model.scores(texts)
    assert np.array_equal(both, np.column_stack([raw[:, :2], np.minimum(raw[:, 2:], raw[:, :1])]))
    # The bot's assessor also weighs in the fine-tuned sentence reader (tests/bot/test_sentence_reader.py).
    averaged = (1 - SENTENCE_WEIGHT) * both + SENTENCE_WEIGHT * assessor.classifier._sentence.scores(texts)
    averaged[:, 2:] = np.maximum(averaged[:, 2:], both[:, 2:])
    _cap(averaged)
    assert np.allclose(assessor.classifier.scores(texts), averaged)


OUT_OF_SCOPE = ["what's the weather like tomorrow", "is it going to rain tomorrow", "whats on tv tonight", "tell me a joke"]


@pytest.mark.parametrize("text", OUT_OF_SCOPE)
def test_out_of_scope_questions_stay_level_1(assessor, text):
    # "tomorrow" is a word the rules use ("he said he'll kill me tomorrow"), so the gate is open here: what keeps
    # these at level 1 is that P(level >= 4) is never above P(level >= 2).
    result = assessor.assess(text)
    assert (result.level or 1) == 1 and not result.danger, result.as_dict()["concerns"]


def test_level_4_and_danger_are_never_likelier_than_a_need(assessor):
    scores = assessor.classifier.scores(UNSEEN_DISCLOSURES + EVERYDAY + ANSWERS + OUT_OF_SCOPE)
    assert (scores[:, 2] <= scores[:, 0]).all() and (scores[:, 3] <= scores[:, 0]).all()
    raw = assessor.classifier.scores(OUT_OF_SCOPE[:1], ordinal=False)
    assert raw[0, 2] > raw[0, 0]  # what the cap is for


def test_cross_validated_recall_stays_at_what_was_measured_for_the_cuts(cases):
    """5-fold CV over data/triage/, the model alone under its gates: if this fails after the data or the
    model changed, re-measure (tools/triage_thresholds.py, tests/eval/triage_dev3.yml) before moving a floor."""
    recognizer = default_recognizer()
    scores = cross_validated_scores(cases, read=recognizer.reading)
    level4 = np.array([case["level"] == 4 for case in cases])
    danger = np.array([bool(case["danger"]) for case in cases])
    gates = [gate(recognizer, case["text"], recognizer.assess(case["text"])) if case["level"] == 4 else OPEN for case in cases]
    levels, raised_danger = THRESHOLDS.decide(scores, gates)  # gates only take away: only the positives need theirs
    assert np.mean(levels[level4] == 4) >= CV_FLOOR_LEVEL4
    assert np.mean(raised_danger[danger]) >= CV_FLOOR_DANGER


def test_the_lower_danger_cut_applies_only_where_the_message_is_level_4_anyway():
    cuts = Thresholds(level2=0.5, level3=0.5, level4=0.5, danger=0.4, unevidenced=0.65, danger_at_level4=0.2)
    worrying = Prediction(scores=(0.9, 0.9, 0.3, 0.25), thresholds=cuts, domain="unknown")
    assert worrying.decide(OPEN) == (3, False)  # the model alone reads level 3: the usual danger cut
    assert worrying.decide(OPEN, rules_level=3) == (3, False)
    assert worrying.decide(OPEN, rules_level=4) == (4, True)  # the rules found level 4: the lower cut
    assert worrying.decide(BLOCKED, rules_level=4) == (1, False)
    assert Prediction(scores=(0.9, 0.9, 0.6, 0.25), thresholds=cuts, domain="unknown").decide(OPEN) == (4, True)
    assert Prediction(scores=(0.9, 0.9, 0.6, 0.1), thresholds=cuts, domain="unknown").decide(OPEN) == (4, False)


def test_over_a_level_3_descriptor_the_model_must_be_surer_to_raise_to_level_4():
    cuts = Thresholds(level2=0.5, level3=0.5, level4=0.35, danger=0.4, unevidenced=0.65, level4_over_rules_level3=0.5)
    between = Prediction(scores=(0.9, 0.9, 0.45, 0.1), thresholds=cuts, domain="unknown")
    assert between.decide(OPEN, rules_level=3) == (3, False)
    assert between.decide(OPEN, rules_level=2) == (4, False)
    assert between.decide(OPEN) == (4, False)
    assert Prediction(scores=(0.9, 0.9, 0.55, 0.1), thresholds=cuts, domain="unknown").decide(OPEN, rules_level=3) == (4, False)
