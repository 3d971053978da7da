"""The fine-tuned sentence reader as the bot reads it (bot/triage/sentence_reader.py), built by `make train`."""
from __future__ import annotations

import numpy as np
import pytest

from bot.triage.classifier import SENTENCE_WEIGHT, TriageClassifier, _cap, load_cases
from bot.triage.reader_files import reader_directory
from bot.triage.recognizer import default_recognizer
from bot.triage.sentence_reader import ReaderMissing, SentenceReader

TEXTS = ["hes outside the door shouting hes going to kill me the kids are upstairs", "what time is stay and play at Harmony",
         "we cant afford the gas this month", "my 14 year old has been cutting herself and said she wants to die"]


@pytest.fixture(scope="module")
def reader() -> SentenceReader:
    return SentenceReader.load()


def test_numpy_reads_the_fine_tuned_weights_as_torch_did(reader):
    """The export recorded torch's scores for a few messages (bot/triage/finetune.py, CHECKS)."""
    checks = reader.meta["checks"]
    assert len(checks) >= 4
    ours = reader.scores([c["text"] for c in checks])
    assert np.abs(ours - np.array([c["scores"] for c in checks])).max() < 1e-4


def test_scores_keep_the_order_of_the_messages(reader):
    forward, backward = reader.scores(TEXTS), reader.scores(TEXTS[::-1])
    assert forward.shape == (len(TEXTS), 4) and ((forward > 0) & (forward < 1)).all()
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert np.allclose(reader.scores(TEXTS[:1]), forward[:1], atol=1e-5)  # padded in a batch or alone: the same


def test_it_reads_danger_and_a_timetable_question_apart(reader):
    danger, timetable = reader.scores(TEXTS[:2])
    assert danger[2] > 0.9 and danger[3] > 0.9
    assert timetable[0] < 0.1 and timetable[2] < 0.1


def test_a_missing_reader_says_how_to_build_it(tmp_path):
    with pytest.raises(ReaderMissing, match="make train"):
        SentenceReader.load(tmp_path / "nothing-here")


def test_the_reader_directory_can_be_pointed_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIAGE_READER_DIR", str(tmp_path))
    assert reader_directory() == tmp_path
    monkeypatch.delenv("TRIAGE_READER_DIR")
    assert reader_directory().name.startswith("triage-reader-")


def test_the_classifier_weighs_the_two_readers_the_words_keeping_level_4_and_danger(reader):
    cases = load_cases()
    reading = default_recognizer().reading
    words = TriageClassifier.fit(cases, read=reading).scores(TEXTS)
    both = TriageClassifier.fit(cases, read=reading, sentence=reader).scores(TEXTS)
    expected = (1 - SENTENCE_WEIGHT) * words + SENTENCE_WEIGHT * reader.scores(TEXTS)
    expected[:, 2:] = np.maximum(expected[:, 2:], words[:, 2:])
    _cap(expected)
    assert np.allclose(both, expected)
