"""Text normalisation shared by the content matchers (hub finder, FAQ)."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("St. Michael's" -> "st michael s")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub(" ", folded.replace("'", "")).strip()


def ngrams(words: list[str], max_n: int) -> list[str]:
    return [" ".join(words[i : i + n]) for n in range(1, max_n + 1) for i in range(len(words) - n + 1)]
