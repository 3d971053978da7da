"""The child's age a parent mentions ("my 3 year old", "toddlers", "under 5s", "teens"), as a range of years."""
from __future__ import annotations

import re
from dataclasses import dataclass

from integrations.content.text import normalise

_YEARS_OLD = re.compile(r"\b(\d{1,2}) ?(?:year|years|yr|yrs|yo|y o)\b")
_MONTHS_OLD = re.compile(r"\b(\d{1,2}) ?(?:month|months|mth|mths|mnth|mnths|week|weeks|wk|wks) ?old\b|\b(\d{1,2}) ?(?:months|mths|mnths)\b")
_UNDER = re.compile(r"\bunder ?(\d{1,2}) ?s?\b")
_SCHOOL_YEAR = re.compile(r"\b(?:year|yr|y) ?(\d{1,2})\b")
_WORDS = [  # (words, youngest, oldest): first match wins, most specific first
    (("newborn", "newborns", "baby", "babies", "babys", "infant", "infants"), 0, 1),
    (("toddler", "toddlers", "tots", "tot"), 1, 3),
    (("preschool", "pre school", "preschooler", "preschoolers", "nursery age"), 2, 4),
    (("teen", "teens", "teenager", "teenagers", "teenage", "young people", "youth"), 11, 19),
]


@dataclass(frozen=True)
class AgeRange:
    youngest: int
    oldest: int

    def words(self) -> str:
        if self.oldest < 1:
            return "babies"
        return f"age {self.youngest}" if self.youngest == self.oldest else f"ages {self.youngest} to {self.oldest}"


def age_in(text: str) -> AgeRange | None:
    words = normalise(text)
    if _MONTHS_OLD.search(words):
        return AgeRange(0, 0)
    if found := _YEARS_OLD.search(words):
        years = int(found.group(1))
        return AgeRange(years, years) if years <= 25 else None
    if found := _UNDER.search(words):
        return AgeRange(0, max(int(found.group(1)) - 1, 0))
    if found := _SCHOOL_YEAR.search(words):
        school_year = int(found.group(1))
        if 1 <= school_year <= 13:  # a child in year N is N+4 or N+5
            return AgeRange(school_year + 4, school_year + 5)
    padded = f" {words} "
    for names, youngest, oldest in _WORDS:
        if any(f" {name} " in padded for name in names):
            return AgeRange(youngest, oldest)
    return None


def session_fits(session: dict, age: AgeRange | None) -> bool:
    """A session is for the child's age when its age range overlaps; adult-only sessions never are."""
    if age is None:
        return True
    if session.get("audience") in ("adults", "parents") and session.get("age_min") is None:
        return False
    low = session.get("age_min") if session.get("age_min") is not None else 0
    high = session.get("age_max") if session.get("age_max") is not None else 25
    return low <= age.oldest and age.youngest <= high
