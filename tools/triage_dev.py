"""Run the RHRT assessment offline over labelled cases (a development aid, no stack needed):
`python tools/triage_dev.py data/triage/dev.yml [--mistakes] [--rules-only]`. By default it is what the bot
runs, the rules with the statistical safety net fitted on data/triage/ (bot/triage/assessor.py), so on
those files the model has seen every case; --rules-only runs the rules alone. Never point it at the
held-out set while changing rules."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.triage.assessor import default_assessor  # noqa: E402
from bot.triage.recognizer import default_recognizer  # noqa: E402
from tests.eval.metrics import Outcome, Report, load_cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", type=Path, nargs="+")
    parser.add_argument("--mistakes", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="the rules without the statistical safety net")
    args = parser.parse_args()
    assessor = default_recognizer() if args.rules_only else default_assessor()
    for path in args.cases:
        outcomes = []
        for case in load_cases(path):
            a = assessor.assess(case["text"])
            outcomes.append(Outcome(case, a.level or 1, bool(a.danger), a.as_dict()["concerns"]))
        report = Report(outcomes)
        print(report.markdown(str(path)))
        if args.mistakes:
            print("\nMistakes:")
            for o in report.mistakes():
                print(f"- {o.case['id']} true L{o.case['level']}{'!' if o.case['danger'] else ''} -> L{o.level}{'!' if o.danger else ''} "
                      f"{[c['id'] for c in o.concerns]} | {o.case['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
