"""Recompute the statistical safety net's cuts (bot/triage/classifier.py THRESHOLDS) and print the figures
behind them: `python tools/triage_thresholds.py [--recall 0.98]`. Takes about a minute.

Everything here is over data/triage/ only. "CV" is 5-fold cross-validation of the model; the rules are the
same in every fold and were tuned on these very cases, so their figures (and so "rules + model") are
in-sample: only the model's own figures say how it does on wording it has not seen. The model here is the one
fitted on everything, without the second reader of level 4 and danger (bot/triage/classifier.py, "Two readers")
and without the fine-tuned sentence reader (one fine-tuning takes about half an hour, so it is not cross-validated here), so
its level-4 and danger figures are a lower bound for what the bot does. The cuts in THRESHOLDS were chosen with the
sentence reader, on the development sets (bot/triage/classifier.py gives those figures).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.triage.assessor import combine, gate  # noqa: E402
from bot.triage.classifier import (  # noqa: E402
    RECALL_TARGET, THRESHOLDS, TRAINING_DIR, Prediction, Thresholds, TriageClassifier, choose_thresholds,
    cross_validated_scores, load_cases,
)
from bot.triage.recognizer import Assessment, Recognizer, default_recognizer  # noqa: E402
from tests.eval.metrics import Outcome, Report  # noqa: E402


def outcomes(cases: list[dict], levels: np.ndarray, danger: np.ndarray) -> list[Outcome]:
    return [Outcome(case, int(level), bool(d)) for case, level, d in zip(cases, levels, danger)]


def combined(cases: list[dict], scores: np.ndarray, cuts: Thresholds, assessments: list[Assessment], gates: list[str]) -> list[Outcome]:
    result = []
    for case, row, assessment, gate_ in zip(cases, scores, assessments, gates):
        final = combine(assessment, Prediction(scores=tuple(row), thresholds=cuts, domain="unknown"), gate_)
        result.append(Outcome(case, final.level or 1, bool(final.danger), final.as_dict()["concerns"]))
    return result


def line(name: str, report: Report) -> str:
    return (f"| {name} | {report.exact:.1%} | {report.level4_recall:.1%} | {report.danger_recall:.1%} | "
            f"{report.under_triage:.1%} | {report.over_triage:.1%} | {report.danger_false_alarms} |")


HEADER = "| | exact | L4 recall | danger recall | under-triage | over-triage | danger false alarms |\n|---|---|---|---|---|---|---|"


def rules_view(recognizer: Recognizer, cases: list[dict]) -> tuple[list[Assessment], list[str]]:
    """The rules' assessment of each case and how far the model may raise it."""
    assessments = [recognizer.assess(case["text"]) for case in cases]
    return assessments, [gate(recognizer, case["text"], a) for case, a in zip(cases, assessments)]


def evaluate(recognizer: Recognizer, cases: list[dict], recall: float, assessments: list[Assessment], gates: list[str],
             scores: np.ndarray) -> tuple[Thresholds, list[str]]:
    cuts = choose_thresholds(scores, cases, gates, recall=recall)
    rules = [Outcome(case, a.level or 1, bool(a.danger)) for case, a in zip(cases, assessments)]
    rows = [line("rules only (in-sample)", Report(rules)), line("model only (CV)", Report(outcomes(cases, *cuts.decide(scores, gates)))),
            line("rules + model (model CV)", Report(combined(cases, scores, cuts, assessments, gates)))]
    return cuts, [HEADER, *rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recall", type=float, default=RECALL_TARGET, help="level-4 and danger recall to keep in CV")
    parser.add_argument("--points", type=float, nargs="*", default=[0.90, 0.95], help="other recall targets to show")
    args = parser.parse_args()
    recognizer = default_recognizer()
    cases = load_cases()
    print(f"{len(cases)} cases in {TRAINING_DIR}\n")

    assessments, gates = rules_view(recognizer, cases)
    scores = cross_validated_scores(cases, read=recognizer.reading)
    cuts, table = evaluate(recognizer, cases, args.recall, assessments, gates, scores)
    print(f"## Cuts for {args.recall:.0%} recall (5-fold CV over all of data/triage/)\n\n{cuts}\n")
    print("\n".join(table))
    if cuts != THRESHOLDS:
        print(f"\nNOTE: bot/triage/classifier.py has {THRESHOLDS}")
    for target in args.points:
        other, table = evaluate(recognizer, cases, target, assessments, gates, scores)
        print(f"\n## For comparison: cuts for {target:.0%} recall\n\n{other}\n")
        print("\n".join(table))

    train, test = load_cases(TRAINING_DIR, "dev.yml"), load_cases(TRAINING_DIR, "dev2.yml")
    dev_cuts, _ = evaluate(recognizer, train, args.recall, *rules_view(recognizer, train), cross_validated_scores(train, read=recognizer.reading))
    model = TriageClassifier.fit(train, read=recognizer.reading, thresholds=dev_cuts)
    scores = model.scores([case["text"] for case in test])
    assessments, gates = rules_view(recognizer, test)
    print(f"\n## Fitted on dev.yml ({len(train)}), cuts from CV on dev.yml alone ({dev_cuts}); measured on dev2.yml ({len(test)})\n")
    print("The rules were tuned on dev2.yml too: their row (and so the combined one) is in-sample.\n")
    print(HEADER)
    print(line("rules only (in-sample)", Report([Outcome(c, a.level or 1, bool(a.danger)) for c, a in zip(test, assessments)])))
    print(line("model only", Report(outcomes(test, *dev_cuts.decide(scores, gates)))))
    print(line("rules + model", Report(combined(test, scores, dev_cuts, assessments, gates))))

    started = time.perf_counter()
    model = TriageClassifier.fit(cases, read=recognizer.reading)
    fitted = time.perf_counter() - started
    texts = [case["text"] for case in cases]
    started = time.perf_counter()
    for text in texts:
        model.predict(text)
    per_message = (time.perf_counter() - started) / len(texts)
    print(f"\nFit on all {len(cases)} cases: {fitted:.2f} s. Model per message: {per_message * 1000:.1f} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
