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


def reader_cache_directory(root: Path = REPO_ROOT) -> Path | None:
    """This machine's copy of the reader for the current inputs, kept outside the checkout so that another clone of
    the same inputs (CI's) need not fine-tune again: TRIAGE_READER_CACHE, else $XDG_CACHE_HOME/family-hubs (or
    ~/.cache/family-hubs); TRIAGE_READER_CACHE set empty keeps no copy, and neither does a reader placed by hand
    (TRIAGE_READER_DIR)."""
    configured = os.environ.get("TRIAGE_READER_CACHE")
    if configured == "" or os.environ.get("TRIAGE_READER_DIR"):
        return None
    base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "family-hubs"
    return base / f"triage-reader-{reader_fingerprint(root)}"


def reader_directory(root: Path = REPO_ROOT) -> Path:
    """Where the reader for the current inputs is (TRIAGE_READER_DIR overrides it)."""
    configured = os.environ.get("TRIAGE_READER_DIR")
    return Path(configured) if configured else root / "models" / f"triage-reader-{reader_fingerprint(root)}"
