"""Find Right Help Right Time descriptors and danger signals in a message, with negation handled.

The rules live in data/content/rhrt.yml (see its header). A rule matches when every one of its
term groups occurs somewhere in the message, none of its `none` terms occurs, and at least one
occurrence of each non-subject group is not negated ("he's not hurting them" does not match).
Figures of speech ("killing it at football") are removed before matching, and so are the subjects of an
enquiry ("is there a course on how to spot abuse", "a school project on county lines": `topics`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.triage.text import clause_tokens, fold, tokens

RHRT_FILE = Path(__file__).resolve().parents[2] / "data" / "content" / "rhrt.yml"
_AGE = re.compile(r"\b(\d{1,2})\s*(?:yr|yrs|year|years|yo|y/o|y\.o)[\s-]*(?:old)?\b|\baged?\s+(\d{1,2})\b|\b(\d{1,2})\s*(?:month|months|mnths|weeks?)\s*old\b")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # each word may end in "*" (prefix match)

    @classmethod
    def parse(cls, text: str) -> "Term":
        if not isinstance(text, str):  # YAML reads a bare no/yes/on/off as a boolean: quote it
            raise ValueError(f"term {text!r} is not a string")
        # Folded as a message's words are (text-speak, word families: "gonna" -> "going to", "sons" -> "son"),
        # or a term written the everyday way would never match; a prefix ("punch*") is kept as written.
        return cls(tuple(part for word in fold(text).split() for part in ([word] if word.endswith("*") else tokens(word))))

    def occurrences(self, words: "Words") -> list[int]:
        first = sorted(words.positions(self.words[0]))
        if len(self.words) == 1:
            return first
        rest = [words.positions(p) for p in self.words[1:]]
        return [i for i in first if all(i + 1 + k in positions for k, positions in enumerate(rest))]


class Words(list):
    """A message's words, with the positions each pattern matches worked out once per message."""

    def __init__(self, words: list[str]):
        super().__init__(words)
        self._at: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            self._at.setdefault(word, []).append(position)
        self._by_first: dict[str, list[str]] = {}
        for word in self._at:
            self._by_first.setdefault(word[0], []).append(word)
        self._cache: dict[str, set[int]] = {}

    def positions(self, pattern: str) -> set[int]:
        found = self._cache.get(pattern)
        if found is None:
            if not pattern.endswith("*") and len(pattern) < 6:  # exact words only: a dictionary look-up
                found = set(self._at.get(pattern, ()))
            else:  # prefixes and typo-tolerant words always share the first letter
                found = {p for word in self._by_first.get(pattern[0], ()) if _word_matches(pattern, word) for p in self._at[word]}
            self._cache[pattern] = found
        return found


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        if word.startswith(stem):
            return True
        # A typo in the stem ("brusies" for bruise*): compare the stem with the word's start.
        return len(stem) >= 5 and any(_one_edit_apart(stem, word[:n]) for n in (len(stem) - 1, len(stem), len(stem) + 1) if n <= len(word))
    return word == pattern or (len(pattern) >= 6 and _one_edit_apart(pattern, word))


def _one_edit_apart(a: str, b: str) -> bool:
    """True for one substitution, insertion, deletion or swap of neighbours (SMS typos)."""
    if abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True)
class Group:
    name: str
    terms: tuple[Term, ...]
    subject: bool = False  # who the sentence is about ("my son"): negation does not apply to it


@dataclass(frozen=True)
class Rule:
    groups: tuple[Group, ...]
    none: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Descriptor:
    id: str
    level: int
    domain: str
    descriptor: str
    category: str | None
    rules: tuple[Rule, ...]
    flags: frozenset[str] = frozenset()
    services: tuple[str, ...] = ()
    source: str = "rules"  # or "model": raised by the statistical safety net (bot/triage/assessor.py)


@dataclass(frozen=True)
class Signal:
    """A danger signal: someone may be hurt now or in the next hours."""

    id: str
    descriptor: str  # the level-4 descriptor it implies
    rules: tuple[Rule, ...]


@dataclass
class Assessment:
    concerns: list[Descriptor] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    danger: list[str] = field(default_factory=list)
    child_age: int | None = None
    third_party: bool = False
    flags: set[str] = field(default_factory=set)

    @property
    def level(self) -> int | None:
        return max((d.level for d in self.concerns), default=None)

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "danger": self.danger,
            "concerns": [
                {"id": d.id, "level": d.level, "domain": d.domain, "descriptor": d.descriptor, "category": d.category,
                 "services": list(d.services), "source": d.source}
                for d in self.concerns
            ],
            "negated": self.negated,
            "child_age": self.child_age,
            "third_party": self.third_party,
            "flags": sorted(self.flags),
        }


class Recognizer:
    def __init__(self, *, descriptors: list[Descriptor], signals: list[Signal], figures_of_speech: list[Term],
                 negation_cues: list[Term], negation_window: int, third_party: list[Term],
                 topic_cues: list[Term] | None = None, topic_window: int = 0):
        self.descriptors = descriptors
        self.by_id = {d.id: d for d in descriptors}
        self.signals = signals
        self.figures_of_speech = figures_of_speech
        self.negation_cues = negation_cues
        self.negation_window = negation_window
        self.third_party = third_party
        self.topic_cues = topic_cues or []
        self.topic_window = topic_window
        # Words that carry a concern on their own: every term of every rule, less who the sentence is about.
        people = {t.words for d in descriptors for rule in d.rules for group in rule.groups if group.subject for t in group.terms}
        self._concern_terms = list({
            t.words: t for r in [*descriptors, *signals] for rule in r.rules for group in rule.groups if not group.subject
            for t in group.terms if t.words not in people
        }.values())

    @classmethod
    def from_file(cls, path: Path = RHRT_FILE) -> "Recognizer":
        return cls.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "Recognizer":
        lexicon = _lexicon(data["lexicon"])

        def known(name: str) -> Group:
            if name not in lexicon:
                raise ValueError(f"unknown lexicon group {name!r}")
            return lexicon[name]

        def group_terms(name: str) -> tuple[Term, ...]:
            return known(name).terms

        def rules(specs: list) -> tuple[Rule, ...]:
            parsed = []
            for spec in specs:
                spec = spec if isinstance(spec, dict) else {"all": spec}
                groups = []
                for item in spec["all"]:
                    if isinstance(item, str) and item.isupper():
                        groups.append(known(item))
                    else:
                        items = item if isinstance(item, list) else [item]
                        groups.append(Group("|".join(items), _terms(items, group_terms)))
                parsed.append(Rule(tuple(groups), _terms(spec.get("none", []), group_terms)))
            return tuple(parsed)

        descriptors = [
            Descriptor(
                d["id"], d["level"], d["domain"], d["descriptor"], d.get("category"), rules(d.get("rules", [])),
                frozenset(d.get("flags", [])), tuple(d.get("services", [])),
            )
            for d in data["descriptors"]
        ]
        ids = {d.id for d in descriptors}
        signals = [Signal(s["id"], s["descriptor"], rules(s["rules"])) for s in data["danger"]]
        for signal in signals:
            if signal.descriptor not in ids:
                raise ValueError(f"danger signal {signal.id} names unknown descriptor {signal.descriptor}")
        negation = data["negation"]
        return cls(
            descriptors=descriptors, signals=signals,
            figures_of_speech=[Term.parse(t) for t in data.get("figures_of_speech", [])],
            negation_cues=[Term.parse(t) for t in negation["cues"]], negation_window=negation["window"],
            third_party=[Term.parse(t) for t in data.get("third_party", [])],
            topic_cues=[Term.parse(t) for t in data.get("topics", {}).get("cues", [])],
            topic_window=data.get("topics", {}).get("window", 0),
        )

    def reading(self, text: str) -> str:
        """The message's words as the rules read them: text-speak folded, figures of speech and the subjects of
        an enquiry blanked ("_"), and each word in the scope of a negation marked "not_" ("he never laid a
        finger on me" -> "he never not_laid not_a not_finger not_on me"), so
        that the statistical safety net tells a denial from a disclosure as the rules do."""
        words, clause_of, _ = self._read(text)
        negated_at = self._negated_positions(words, clause_of)
        return " ".join(f"not_{word}" if position in negated_at and word != "_" else word for position, word in enumerate(words))

    def concern_words(self, text: str) -> list[str]:
        """The rules' terms that occur in the message outside figures of speech and not negated, people aside
        ("my son" is not a concern; "bruise" is), whether or not a whole rule matched."""
        words, clause_of, _ = self._read(text)
        negated_at = self._negated_positions(words, clause_of)
        return [" ".join(t.words) for t in self._concern_terms if any(s not in negated_at for s in t.occurrences(words))]

    def _read(self, text: str) -> tuple["Words", list[int], "Words"]:
        """The words as the rules read them, their clauses, and the same words with the subjects of an enquiry
        still in (what a rule's `none` terms are looked for in: "FGM awareness training" is an enquiry even though
        "awareness training" is the enquiry's subject, blanked)."""
        pairs = clause_tokens(text)
        clause_of = [c for _, c in pairs]
        with_topics = self._without_figures_of_speech([w for w, _ in pairs])
        return self._without_topics(with_topics, clause_of), clause_of, with_topics

    def _without_topics(self, words: "Words", clause_of: list[int]) -> "Words":
        """The subject of an enquiry blanked: a topic cue ("a course on") and up to `topic_window` words after
        it in the same clause, so that "any courses on keeping kids safe from knife crime?" asks, not tells."""
        blank: set[int] = set()
        for cue in self.topic_cues:
            for start in cue.occurrences(words):
                for position in range(start, min(len(words), start + len(cue.words) + self.topic_window)):
                    if clause_of[position] != clause_of[start]:
                        break
                    blank.add(position)
        return Words(["_" if i in blank else w for i, w in enumerate(words)]) if blank else words

    def assess(self, text: str) -> Assessment:
        words, clause_of, with_topics = self._read(text)
        negated_at = self._negated_positions(words, clause_of)
        assessment = Assessment(child_age=_child_age(text), third_party=any(t.occurrences(words) for t in self.third_party))
        found: dict[str, Descriptor] = {}
        for descriptor in self.descriptors:
            outcome = _match_any(descriptor.rules, words, negated_at, with_topics)
            if outcome == "match":
                found[descriptor.id] = descriptor
            elif outcome == "negated":
                assessment.negated.append(descriptor.id)
        for signal in self.signals:
            if _match_any(signal.rules, words, negated_at, with_topics) == "match":
                assessment.danger.append(signal.id)
                found.setdefault(signal.descriptor, self.by_id[signal.descriptor])
        assessment.concerns = sorted(found.values(), key=lambda d: (-d.level, d.id))
        assessment.flags = {flag for d in assessment.concerns for flag in d.flags}
        return assessment

    def _without_figures_of_speech(self, words: list[str]) -> "Words":
        indexed = Words(words)
        for term in self.figures_of_speech:
            starts = term.occurrences(indexed)
            if starts:
                blanked = list(indexed)
                for start in starts:
                    blanked[start : start + len(term.words)] = ["_"] * len(term.words)
                indexed = Words(blanked)
        return indexed

    def _negated_positions(self, words: list[str], clause_of: list[int]) -> set[int]:
        """Positions that fall within `window` words after a negation cue, in the same clause."""
        negated: set[int] = set()
        for cue in self.negation_cues:
            for start in cue.occurrences(words):
                end = start + len(cue.words)
                for position in range(end, min(len(words), end + self.negation_window)):
                    if clause_of[position] != clause_of[start]:
                        break
                    negated.add(position)
        return negated


def _terms(items: list, group_terms: Callable[[str], tuple[Term, ...]]) -> tuple[Term, ...]:
    """Terms written out, or a lexicon group named in upper case standing for all of its terms."""
    terms: dict[tuple[str, ...], Term] = {}
    for item in items:
        found = group_terms(item) if isinstance(item, str) and item.isupper() else (Term.parse(item),)
        terms.update((term.words, term) for term in found)
    return tuple(terms.values())


def _lexicon(specs: dict) -> dict[str, Group]:
    """The lexicon's groups by name. A group may name another (FGM_GIRL is every GIRL term, and a sister or cousin
    besides), so that a word added to one group is not missing from the groups written to include it."""
    lexicon: dict[str, Group] = {}

    def group(name: str, including: tuple[str, ...] = ()) -> Group:
        if name in including:
            raise ValueError(f"lexicon group {name!r} includes itself: {' -> '.join([*including, name])}")
        if name not in specs:
            raise ValueError(f"lexicon group {including[-1]!r} includes unknown group {name!r}")
        if name not in lexicon:
            spec = specs[name] if isinstance(specs[name], dict) else {"terms": specs[name]}
            terms = _terms(spec["terms"], lambda included: group(included, (*including, name)).terms)
            lexicon[name] = Group(name, terms, bool(spec.get("subject")))
        return lexicon[name]

    for name in specs:
        group(name)
    return lexicon


def _match_any(rules: tuple[Rule, ...], words: list[str], negated_at: set[int], vetoes: list[str]) -> str | None:
    """'match' if a rule matches, else 'negated' if one would have matched but for a negation, else None.
    A rule's `none` terms are looked for in `vetoes`: the words with the subject of an enquiry still in."""
    outcome = None
    for rule in rules:
        if any(term.occurrences(vetoes) for term in rule.none):
            continue
        occurrences = [[s for term in group.terms for s in term.occurrences(words)] for group in rule.groups]
        if not all(occurrences):
            continue
        if all(group.subject or any(s not in negated_at for s in starts) for group, starts in zip(rule.groups, occurrences)):
            return "match"
        outcome = "negated"
    return outcome


def _child_age(text: str) -> int | None:
    match = _AGE.search(fold(text))
    if not match:
        return None
    years, aged, months = match.groups()
    return 0 if months else int(years or aged)


@lru_cache(maxsize=1)
def default_recognizer() -> Recognizer:
    return Recognizer.from_file()
