"""Where the fine-tuned sentence reader lives and what it is built from (stdlib only: the service imports it)."""
from __future__ import annotations

import os
from pathlib import Path

from bot.fingerprint import files_fingerprint

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the fine-tuned weights depend on: a change to any of these makes `make train` fine-tune again.
READER_INPUTS = ["data/triage", "bot/triage/cases.py", "bot/triage/finetune.py", "bot/triage/minilm.py",
                 "requirements/minilm.lock", "requirements/train.lock"]
WEIGHTS = "weights.npz"
TOKENIZER = "tokenizer.json"
META = "meta.json"


def reader_fingerprint(root: Path = REPO_ROOT) -> str:
    return files_fingerprint(root, READER_INPUTS)


def reader_directory(root: Path = REPO_ROOT) -> Path:
    """Where the reader for the current inputs is (TRIAGE_READER_DIR overrides it)."""
    configured = os.environ.get("TRIAGE_READER_DIR")
    return Path(configured) if configured else root / "models" / f"triage-reader-{reader_fingerprint(root)}"
