"""Triage metrics over labelled cases: confusion matrix, recalls, under- and over-triage."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LEVELS = (1, 2, 3, 4)


def load_cases(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


@dataclass
class Outcome:
    case: dict
    level: int  # predicted; "no concern" counts as 1
    danger: bool
    concerns: list[dict] = field(default_factory=list)


@dataclass
class Report:
    outcomes: list[Outcome]

    def _share(self, items: list[Outcome], good) -> float:
        return sum(1 for o in items if good(o)) / len(items) if items else float("nan")

    @property
    def confusion(self) -> dict[int, Counter]:
        table: dict[int, Counter] = defaultdict(Counter)
        for o in self.outcomes:
            table[o.case["level"]][o.level] += 1
        return table

    @property
    def exact(self) -> float:
        return self._share(self.outcomes, lambda o: o.level == o.case["level"])

    @property
    def under_triage(self) -> float:
        return self._share(self.outcomes, lambda o: o.level < o.case["level"])

    @property
    def over_triage(self) -> float:
        return self._share(self.outcomes, lambda o: o.level > o.case["level"])

    @property
    def level4_recall(self) -> float:
        return self._share([o for o in self.outcomes if o.case["level"] == 4], lambda o: o.level == 4)

    @property
    def danger_recall(self) -> float:
        return self._share([o for o in self.outcomes if o.case["danger"]], lambda o: o.danger)

    @property
    def danger_false_alarms(self) -> int:
        return sum(1 for o in self.outcomes if o.danger and not o.case["danger"])

    def recall_by(self, key: str) -> dict[str, tuple[int, int]]:
        """(correct level, cases) per domain or per level-4 category."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            value = o.case.get(key)
            if value:
                counts[value][1] += 1
                counts[value][0] += o.level >= o.case["level"] if key == "category" else o.level == o.case["level"]
        return {k: (v[0], v[1]) for k, v in sorted(counts.items())}

    def mistakes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.level != o.case["level"] or o.danger != o.case["danger"]]

    def markdown(self, title: str) -> str:
        lines = [f"### {title}", "", f"{len(self.outcomes)} cases.", "",
                 "| true \\ predicted | " + " | ".join(f"L{p}" for p in LEVELS) + " |", "|---" * 5 + "|"]
        for true in LEVELS:
            lines.append(f"| L{true} | " + " | ".join(str(self.confusion[true][p]) for p in LEVELS) + " |")
        lines += [
            "",
            f"- Level-4 recall: {self.level4_recall:.1%}",
            f"- Danger recall: {self.danger_recall:.1%} (false alarms: {self.danger_false_alarms})",
            f"- Exact level: {self.exact:.1%}",
            f"- Under-triage (predicted below true): {self.under_triage:.1%}",
            f"- Over-triage (predicted above true): {self.over_triage:.1%}",
            "",
            "| domain | exact / cases |", "|---|---|",
            *(f"| {k} | {c}/{n} ({c / n:.0%}) |" for k, (c, n) in self.recall_by("domain").items()),
            "",
            "| level-4 category | recalled at level 4 / cases |", "|---|---|",
            *(f"| {k} | {c}/{n} ({c / n:.0%}) |" for k, (c, n) in self.recall_by("category").items()),
        ]
        return "\n".join(lines)
