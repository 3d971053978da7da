"""The labelled triage cases in data/triage/ (format: tests/eval/triage_sample.yml); needs only PyYAML."""
from __future__ import annotations

from pathlib import Path

import yaml

TRAINING_DIR = Path(__file__).resolve().parents[2] / "data" / "triage"
ALL_CASES = "**/*.yml"  # every file in data/triage/ and its subfolders: what the models are fitted on
# The second reader of level 4 and danger (bot/triage/classifier.py, "Two readers") is fitted on the files directly in
# data/triage/, without data/triage/levels/ (cases written to teach where levels 1-3 end, which make a model more
# sparing of level 4).
ALARM_CASES = "*.yml"

# libyaml where PyYAML has it: it parses data/triage/ in about 0.5 s, the pure-Python loader in about 4 s.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_cases(directory: Path = TRAINING_DIR, pattern: str = ALL_CASES) -> list[dict]:
    """Every labelled case in the directory's matching YAML files."""
    return [case for path in sorted(directory.glob(pattern))
            for case in yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)["cases"]]
