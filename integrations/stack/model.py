"""Build what the Rasa servers load only when its inputs changed: the triage sentence reader (fine-tuned, or copied
from this machine's cache) and the Rasa model (a fingerprint of config, domain and data)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.fingerprint import files_fingerprint
from bot.triage.reader_files import META, WEIGHTS, reader_cache_directory, reader_directory, reader_fingerprint
from integrations.core.settings import REPO_ROOT

RASA_BIN = REPO_ROOT / ".venv" / "rasa" / "bin"
TRAIN_PYTHON = REPO_ROOT / ".venv" / "train" / "bin" / "python"
MODELS_DIR = REPO_ROOT / "models"
TRAINING_DATA = ["data/nlu", "data/rules", "data/stories"]
# bot/ holds the domain and the NLU component; rhrt.yml holds the rules that component applies and
# data/triage/ the labelled cases its statistical safety net is fitted on (bot/triage/classifier.py).
TRAINING_INPUTS = ["config.yml", "bot", "data/content/rhrt.yml", "data/triage", *TRAINING_DATA]


def rasa_env() -> dict[str, str]:
    """Environment for every Rasa process: no telemetry (no internet here), quiet TensorFlow."""
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(REPO_ROOT),
    }


def fingerprint(root: Path = REPO_ROOT) -> str:
    return files_fingerprint(root, TRAINING_INPUTS)


def model_path(fp: str) -> Path:
    return MODELS_DIR / f"frontdoor-{fp}.tar.gz"


def ensure_reader(*, log=print) -> Path:
    """The fine-tuned triage sentence reader for the current inputs (bot/triage/finetune.py): the one in models/, else
    this machine's cached copy of the same inputs, else fine-tuned now; a copy is cached for the next clone."""
    directory, cached, fp = reader_directory(), reader_cache_directory(), reader_fingerprint()
    if (directory / WEIGHTS).is_file():
        log(f"Triage sentence reader {directory.name} is up to date; not fine-tuning.")
    elif cached and _is_reader_for(cached, fp):
        _copy_whole(cached, directory)
        log(f"Triage sentence reader {directory.name} copied from this machine's cache ({cached}); not fine-tuning.")
        return directory
    else:
        log(f"Fine-tuning the triage sentence reader ({directory.name}); only when its inputs change...")  # finetune says how long
        result = subprocess.run([str(TRAIN_PYTHON), "-m", "bot.triage.finetune", "--out", str(directory)], cwd=REPO_ROOT,
                                env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
        if result.returncode != 0 or not (directory / WEIGHTS).is_file():
            sys.exit(f"fine-tuning the triage sentence reader failed (exit {result.returncode}); see the output above.")
    if cached and not _is_reader_for(cached, fp) and _is_reader_for(directory, fp):
        try:
            _copy_whole(directory, cached)
        except OSError as error:  # the reader in models/ is what counts; a cache that cannot be written only costs time later
            log(f"Could not keep a copy of the reader in {cached} ({error}); the next clone will fine-tune again.")
    return directory


def _is_reader_for(directory: Path, fp: str) -> bool:
    """Whether the directory holds a reader built from the inputs with this fingerprint."""
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (directory / WEIGHTS).is_file() and meta.get("fingerprint") == fp


def _copy_whole(source: Path, target: Path) -> None:
    """Copy a reader's directory whole or not at all (a half-copied reader must never look ready)."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def ensure_model(*, log=print) -> Path:
    """The model for the current inputs, training it first if there is none (the Rasa servers load the triage
    sentence reader at start-up, so it is made first)."""
    ensure_reader(log=log)
    fp = fingerprint()
    path = model_path(fp)
    if path.exists():
        log(f"Model {path.name} is up to date; not retraining.")
        return path
    log(f"Training the Rasa model ({path.name}); this takes a few minutes the first time...")
    command = [
        str(RASA_BIN / "rasa"), "train", "--config", "config.yml", "--domain", "bot/domain",
        "--data", *TRAINING_DATA, "--out", str(MODELS_DIR), "--fixed-model-name", path.name.removesuffix(".tar.gz"),
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, env={**os.environ, **rasa_env()})
    if result.returncode != 0 or not path.exists():
        sys.exit(f"rasa train failed (exit {result.returncode}); see the output above.")
    return path


if __name__ == "__main__":
    print(ensure_model())
