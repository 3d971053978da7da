"""The sentence reader: all-MiniLM-L6-v2 fine-tuned on data/triage/, read as P(level >= 2), P(level >= 3),
P(level >= 4) and P(danger) of a message as the parent wrote it.

The TF-IDF model (bot/triage/classifier.py) reads words and pairs of words; this reads the message whole, as a
pretrained encoder of English sentences taught the RHRT levels, so it generalises to wording no case used. The
classifier combines the two. `make train` fine-tunes it (bot/triage/finetune.py says how long) into
models/triage-reader-<fingerprint>/ whenever its inputs change; the Rasa servers load it (0.5 s) at start-up.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import expit

from bot.triage.minilm import MiniLM, batches, load_tokenizer
from bot.triage.reader_files import META, TOKENIZER, WEIGHTS, reader_directory

HEAD = "head"  # the 4 outputs' linear layer over the pooled encoder, stored beside the encoder's weights


class ReaderMissing(RuntimeError):
    """No fine-tuned reader for the current training inputs: `make train` builds it."""


@dataclass(frozen=True)
class SentenceReader:
    encoder: MiniLM
    tokenizer: object
    head_weight: np.ndarray  # (4, 384)
    head_bias: np.ndarray  # (4,)
    meta: dict

    @classmethod
    def load(cls, directory: Path | None = None) -> "SentenceReader":
        directory = directory or reader_directory()
        if not (directory / WEIGHTS).is_file():
            raise ReaderMissing(f"The triage sentence reader is not at {directory}: run `make train` to build it.")
        with np.load(directory / WEIGHTS) as stored:
            weights = {name: stored[name] for name in stored.files}
        head_weight, head_bias = weights.pop(f"{HEAD}.weight"), weights.pop(f"{HEAD}.bias")
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
        return cls(MiniLM(weights), load_tokenizer(directory / TOKENIZER), head_weight, head_bias, meta)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of (P(level >= 2), P(level >= 3), P(level >= 4), P(danger)), one per text."""
        out = np.zeros((len(texts), len(self.head_bias)))
        for rows, ids, mask in batches(self.tokenizer, texts):
            logits = self.encoder.pooled(ids, mask) @ self.head_weight.T + self.head_bias
            out[rows] = expit(logits)  # no overflow warning where a logit is far below zero
        return out
