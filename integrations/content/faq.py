"""Match a parent's question to an FAQ entry at run time, so new entries need no retraining."""
from __future__ import annotations

from rapidfuzz import fuzz

from integrations.content.text import normalise

MATCH_THRESHOLD = 78
# Words that carry no meaning for matching. "family" and "hub" are kept: they tell
# "what is a family hub" from "what is early help".
_STOPWORDS = frozenset(
    "a an the is are was be do does did can could i im me my we our you your u ur it its of to for in on at "
    "and or what whats there any about please pls hi hello with this that".split()
)


def _content_words(text: str) -> str:
    return " ".join(w for w in normalise(text).split() if w not in _STOPWORDS)


def score(question: str, phrasing: str) -> float:
    q, p = _content_words(question), _content_words(phrasing)
    if not q or not p:
        return 0.0
    # token_set rewards containing the phrasing's words; token_sort penalises extra words, so a
    # one-word question does not match every long phrasing that happens to contain that word.
    return 0.5 * fuzz.token_set_ratio(q, p) + 0.5 * fuzz.token_sort_ratio(q, p)


def best_faq(question: str, faqs: list[dict]) -> tuple[dict, float] | None:
    best: tuple[dict, float] | None = None
    for faq in faqs:
        for phrasing in [faq["question"], *faq.get("phrasings", [])]:
            value = score(question, phrasing)
            if best is None or value > best[1]:
                best = (faq, value)
    if best is None or best[1] < MATCH_THRESHOLD:
        return None
    return best
