"""Which services fit what a parent needs ("help with money" -> CIAS), from each service's `needs` phrasings.

A phrasing fits when most of its weight is in the message. Words that many phrasings share ("baby",
"child", "help") weigh less than words that pick one service out ("debt", "latch"), so "my baby won't
latch" goes to infant feeding and not to every service that mentions babies. New phrasings need no
retraining: the comms team adds them to a service.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from integrations.content.text import normalise

MATCH_THRESHOLD = 0.75
NEAR_BEST = 0.1
MAX_SERVICES = 3
_STOPWORDS = frozenset(
    "a an the is are was be do does did can could would i im ive me my we our us you your u ur it its of to for in "
    "on at and or what whats where wheres who how there any anything about please pls plz hi hello with this that "
    "get got some someone somewhere need needs want wants looking find go have has just really so help support "
    "advice".split()
)


@dataclass(frozen=True)
class ServiceMatch:
    service: dict
    score: float
    phrasing: str
    weight: float  # how much of the message's meaning the phrasing accounts for


def _rank(match: ServiceMatch | None) -> tuple[float, float]:
    return (match.score, match.weight) if match else (0.0, 0.0)


_NOT = {"not", "isnt", "wont", "cant", "doesnt", "dont", "aint", "no"}


def _words(text: str) -> list[str]:
    return ["not" if w in _NOT else _singular(w) for w in normalise(text).split() if w not in _STOPWORDS]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 85)


def match_services(text: str, services: list[dict]) -> list[ServiceMatch]:
    """The services whose needs best fit `text`, best first (empty when nothing fits well)."""
    phrasings = [(service, phrasing, _words(phrasing)) for service in services
                 for phrasing in [service["name"], *service.get("needs", [])]]
    weight = _weights([words for _, _, words in phrasings])
    message = _words(text)
    best: dict[str, ServiceMatch] = {}
    for service, phrasing, words in phrasings:
        if not words:
            continue
        total = sum(weight[w] for w in words)
        found = sum(weight[w] for w in words if any(_same(w, m) for m in message))
        score = found / total
        if score >= MATCH_THRESHOLD and (score, found) > _rank(best.get(service["id"])):
            best[service["id"]] = ServiceMatch(service, score, phrasing, found)
    # Ties go to the phrasing that carries more weight: "struggling with bills" is about money first.
    ranked = sorted(best.values(), key=lambda m: (-m.score, -m.weight))
    return [m for m in ranked if m.score >= ranked[0].score - NEAR_BEST][:MAX_SERVICES] if ranked else []


def _weights(phrasings: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency over all phrasings (a word in every phrasing weighs little)."""
    counts = Counter(w for words in phrasings for w in set(words))
    n = len(phrasings) or 1
    return {w: math.log(1 + n / c) for w, c in counts.items()}
