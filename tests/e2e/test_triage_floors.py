"""The triage floors of issue 3, measured through the running stack over the CONTRACT endpoints:
level-4 recall 100 %, danger recall 100 %, exact level >= 85 %, under-triage <= 5 %."""
from __future__ import annotations

from pathlib import Path

import pytest

from integrations.core.settings import REPO_ROOT
from tests.eval.harness import run_cases
from tests.eval.metrics import load_cases

SETS = {
    "held-out evaluation set": REPO_ROOT / "tests" / "eval" / "triage_eval.yml",
    "shared sample": REPO_ROOT / "tests" / "eval" / "triage_sample.yml",
}


@pytest.mark.parametrize("name", list(SETS))
def test_triage_meets_the_floors(name, base_url, staff_headers):
    path: Path = SETS[name]
    report = run_cases(base_url, staff_headers, load_cases(path))
    misses = "\n".join(f"{o.case['id']} L{o.case['level']} -> L{o.level} {o.case['text']}" for o in report.mistakes()
                       if o.level < o.case["level"] or (o.case["danger"] and not o.danger))
    assert report.level4_recall == 1.0, misses
    assert report.danger_recall == 1.0, misses
    assert report.exact >= 0.85, f"exact {report.exact:.1%}"
    assert report.under_triage <= 0.05, f"under-triage {report.under_triage:.1%}\n{misses}"
