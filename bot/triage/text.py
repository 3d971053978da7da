"""Normalising what parents type (SMS spelling, slang, no punctuation) into matchable tokens."""
from __future__ import annotations

import re
import unicodedata

# Text-speak and common misspellings -> the word the lexicon uses. Keys are whole tokens.
SMS_WORDS = {
    "u": "you", "ur": "your", "urs": "yours", "r": "are", "y": "why", "n": "and", "wiv": "with", "wid": "with",
    "bf": "boyfriend", "gf": "girlfriend", "hubby": "husband", "ex": "ex", "fella": "boyfriend",
    "mam": "mum", "mom": "mum", "mommy": "mum", "mummy": "mum", "ma": "mum", "dad": "dad", "daddy": "dad",
    "lil": "little", "bby": "baby", "babi": "baby", "kidz": "kids", "childs": "childs",
    "dont": "dont", "dnt": "dont", "didnt": "didnt", "dint": "didnt", "cant": "cant", "cnt": "cant", "wont": "wont",
    "isnt": "isnt", "aint": "isnt", "wasnt": "wasnt", "hasnt": "hasnt", "havent": "havent", "doesnt": "doesnt",
    "im": "im", "ive": "ive", "hes": "hes", "shes": "shes", "theyre": "theyre", "thats": "thats",
    "coz": "because", "cuz": "because", "cos": "because", "bc": "because", "b4": "before", "2day": "today",
    "2nite": "tonight", "2night": "tonight", "tonite": "tonight", "2moro": "tomorrow", "tmrw": "tomorrow",
    "rn": "now", "atm": "now", "pls": "please", "plz": "please", "sum": "some", "sumthing": "something",
    "sumone": "someone", "some1": "someone", "any1": "anyone", "no1": "noone", "ppl": "people", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "kno": "know", "dunno": "dont know", "wat": "what", "wot": "what",
    "skool": "school", "yr": "year", "yrs": "years", "yo": "year old", "y/o": "year old", "mnths": "months",
    "hosp": "hospital", "drunk": "drunk", "pissed": "drunk", "wasted": "drunk", "stoned": "high",
    "bruised": "bruised", "neighbor": "neighbour", "neighbors": "neighbours",
}
_APOSTROPHES = re.compile(r"[\u2019\u2018'`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CLAUSE_BREAK = re.compile(r"[.!?;\n]+|\bbut\b|\bhowever\b|\balthough\b|\bthough\b")


def fold(text: str) -> str:
    """Lower-case ASCII, apostrophes dropped (don't -> dont), letters repeated 3+ times cut to 2."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _REPEATS.sub(r"\1\1", _APOSTROPHES.sub("", ascii_text))


def tokens(text: str) -> list[str]:
    words: list[str] = []
    for raw in _NON_WORD.sub(" ", text).split():
        words.extend(SMS_WORDS.get(raw, raw).split())
    return words


def clause_tokens(text: str) -> list[tuple[str, int]]:
    """Every token with the number of its clause. Sentence ends and "but"/"although" end a clause,
    and so the scope of a negation ("he didnt mean to but she has bruises")."""
    return [(word, index) for index, part in enumerate(_CLAUSE_BREAK.split(fold(text))) for word in tokens(part)]
