"""Triage measured through the running stack over the CONTRACT endpoints.

Issue 3's floors are level-4 recall 100 %, danger recall 100 %, exact level >= 85 % and under-triage
<= 5 %. The shared sample and the held-out set are held to them, the held-out set's under-triage to the 1 % it has
kept since 2026-12-02 (see reports/triage.md). Raise these as triage improves; never lower them to make a change pass."""
from __future__ import annotations

import pytest

from integrations.core.settings import REPO_ROOT
from tests.eval.harness import run_cases
from tests.eval.metrics import load_cases

EVAL_DIR = REPO_ROOT / "tests" / "eval"
ISSUE_FLOORS = {"level4_recall": 1.0, "danger_recall": 1.0, "exact": 0.85, "under_triage": 0.05}
SETS = {
    "triage_sample.yml": ISSUE_FLOORS,
    # Measured 2026-12-04 (evening) with the rules brought to two fresh development sets (FGM by its other names and
    # a girl "getting done", an adult's psychosis keeping a child shut in, veto words inside an enquiry's
    # subject...): 130/130 level 4, 40/40 danger, 85.7 % exact (323/377), 0.3 % under-triage. Before, with the rules
    # brought to the labelled cases (FGM by its signs, an eating disorder on a waiting list, a parent's psychosis, a
    # teenager's daily weed...) and a level-4 cut of 0.5 over a level-3 descriptor: 129/130 level 4, 40/40 danger,
    # 85.1 % exact (321/377), 0.5 % under-triage (those rules at the old cut: 84.4 %). On 2026-12-03, with the
    # narrowed rules (a word in another sense is not the concern): 129/130 level 4, 40/40 danger, 84.1 % exact
    # (317/377), 0.5 % under-triage; before them, with the sentence reader fine-tuned for 4 epochs and weighted 0.6:
    # 129/130, 40/40, 83.8 %, 0.5 % (2026-12-02, 2 epochs, equal weights: 129/130, 40/40, 82.8 %, 0.5 %; before the
    # sentence reader (bot/triage/sentence_reader.py), with 8969 cases: 127/130, 40/40, 82.8 %, 1.6 %; with 3621
    # cases: 127/130, 40/40, 82.2 %, 1.3 %; 2026-12-01: 125/130, 40/40, 79.3 %, 2.4 %; 2026-11-23: 123/130, 37/40,
    # 74.5 %, 3.4 %; rules alone had been 77/130, 15/40, 64.5 %, 28.9 %).
    "triage_eval.yml": {**ISSUE_FLOORS, "under_triage": 0.01},
}


@pytest.mark.parametrize("name", list(SETS))
def test_triage_floors(name, base_url, staff_headers):
    floors = SETS[name]
    report = run_cases(base_url, staff_headers, load_cases(EVAL_DIR / name))
    misses = "\n".join(f"{o.case['id']} L{o.case['level']} -> L{o.level}" for o in report.mistakes() if o.level < o.case["level"])
    assert report.level4_recall >= floors["level4_recall"], misses
    assert report.danger_recall >= floors["danger_recall"], misses
    assert report.exact >= floors["exact"], f"exact {report.exact:.1%}"
    assert report.under_triage <= floors["under_triage"], f"under-triage {report.under_triage:.1%}"
