"""Fine-tuning the sentence reader (bot/triage/finetune.py), in .venv/train with torch."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from bot.triage.finetune import BASE_MODEL, CHECKS, Network, export, fine_tune, scores, targets
from bot.triage.minilm import MiniLM, batches, load_tokenizer, read_safetensors
from bot.triage.sentence_reader import META, SentenceReader

TINY = [{"text": t, "level": level, "danger": danger} for t, level, danger in [
    ("what time is stay and play", 1, False), ("he punched me and the kids saw it, hes coming back tonight", 4, True),
    ("we cant afford the gas bill this month", 2, False), ("my son wont go to school and i cant cope with his anger", 3, False),
]] * 4


@pytest.fixture(scope="module")
def base():
    return read_safetensors(BASE_MODEL / "model.safetensors"), load_tokenizer(BASE_MODEL / "tokenizer.json")


def test_torch_and_numpy_read_the_same_network(base):
    weights, tokenizer = base
    network = Network(weights).eval()
    texts = ["hi", "my 14 year old has been cutting herself and said she wants to die", "stay and play at Harmony?"]
    for _, ids, mask in batches(tokenizer, texts):
        with torch.no_grad():
            theirs = network.pooled(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
        assert np.abs(MiniLM(weights).pooled(ids, mask) - theirs).max() < 1e-4


def test_targets_are_the_ordinal_steps_and_danger():
    assert targets(TINY[:4]).tolist() == [[0, 0, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 0, 0]]


def test_fine_tuning_is_deterministic_and_exports_a_reader_numpy_reads_as_torch_does(base, tmp_path):
    first = fine_tune(TINY, epochs=2, log=lambda _: None)
    second = fine_tune(TINY, epochs=2, log=lambda _: None)
    # Threads may add float sums in another order, so "the same" is to 1e-6, as bot/triage/finetune.py says.
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(first.state_dict().values(), second.state_dict().values()))
    out = export(first, tmp_path / "reader", meta={"cases": len(TINY)})
    assert not (tmp_path / "reader.partial").exists()
    meta = json.loads((out / META).read_text())
    assert [c["text"] for c in meta["checks"]] == CHECKS and meta["cases"] == len(TINY)
    reader = SentenceReader.load(out)
    expected = scores(first, base[1], CHECKS)
    assert np.abs(reader.scores(CHECKS) - expected).max() < 1e-4
    assert np.abs(expected - np.array([c["scores"] for c in meta["checks"]])).max() < 1e-6


def test_training_moves_the_outputs_towards_the_labels(base):
    before = scores(Network(base[0]).eval(), base[1], [c["text"] for c in TINY[:4]])
    after = scores(fine_tune(TINY, epochs=8, log=lambda _: None), base[1], [c["text"] for c in TINY[:4]])
    y = targets(TINY[:4])
    assert np.abs(after - y).mean() < np.abs(before - y).mean()
