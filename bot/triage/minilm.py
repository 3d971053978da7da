"""all-MiniLM-L6-v2 (a 6-layer BERT) read with numpy: its weights, its tokenizer and its forward pass.

The sentence reader (bot/triage/sentence_reader.py) is this encoder fine-tuned on data/triage/ by
bot/triage/finetune.py, which trains the same network in torch. Rasa's Python has no torch, and one message
needs only this forward pass (11-22 ms on this machine), so inference is numpy; tests/train/ checks that
the two agree on the same weights.
"""
from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.special import erf

MAX_TOKENS = 128  # longer messages are cut here, in training and in reading alike
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a .safetensors file (8-byte header length, a JSON header, then raw data)."""
    with path.open("rb") as file:
        size = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(size))
        data = file.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue  # embeddings.position_ids is an int64 buffer, not a weight
        start, end = meta["data_offsets"]
        tensors[name.removeprefix("bert.")] = np.frombuffer(data[start:end], dtype=np.float32).reshape(meta["shape"]).copy()
    return tensors


def load_tokenizer(path: Path):
    """The model's WordPiece tokenizer (tokenizer.json), cutting at MAX_TOKENS and padding nothing."""
    from tokenizers import Tokenizer  # a compiled extension: loaded when a reader is, not at import

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def batches(tokenizer, texts: Sequence[str], size: int = 32):
    """(rows, token ids, attention mask) per batch, texts of like length together so that little is padding."""
    encodings = tokenizer.encode_batch(list(texts))
    order = np.argsort([len(e.ids) for e in encodings], kind="stable")
    for start in range(0, len(order), size):
        rows = order[start:start + size]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(rows):
            ids[r, :len(encodings[i].ids)] = encodings[i].ids
            mask[r, :len(encodings[i].ids)] = 1
        yield rows, ids, mask


class MiniLM:
    """The encoder's forward pass: mean of the last layer over the message's tokens (not normalised)."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.w = weights

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, (rows, width), size = self.w, ids.shape, HIDDEN // HEADS
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        padding = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)

        def heads(t: np.ndarray) -> np.ndarray:
            return t.reshape(rows, width, HEADS, size).transpose(0, 2, 1, 3)

        for i in range(LAYERS):
            layer = f"encoder.layer.{i}"
            q, k, v = (heads(self._linear(x, f"{layer}.attention.self.{n}")) for n in ("query", "key", "value"))
            attention = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + padding
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(rows, width, HIDDEN)
            x = self._norm(self._linear(context, f"{layer}.attention.output.dense") + x, f"{layer}.attention.output.LayerNorm")
            h = self._linear(x, f"{layer}.intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.float32(np.sqrt(2.0))))  # exact GELU, as BERT and torch's default
            x = self._norm(self._linear(h, f"{layer}.output.dense") + x, f"{layer}.output.LayerNorm")
        m = mask[..., None].astype(np.float32)
        return ((x * m).sum(1) / np.maximum(m.sum(1), 1.0)).astype(np.float32)
