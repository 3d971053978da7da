"""A bot reply as text messages: GSM-7 characters, buttons as numbered choices, parts of at most 2 segments
split at sentence boundaries. The segment count is the actions' own (actions/sms.py has no Rasa imports)."""
from __future__ import annotations

import re

from actions.sms import MAX_SEGMENTS, segments

# Characters that would force the whole text into UCS-2 (70 characters a segment), and their GSM-7 stand-ins.
_GSM_STAND_INS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2022": "-", "\u00b7": "-",
})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def to_gsm(text: str) -> str:
    return text.translate(_GSM_STAND_INS)


def choices_line(buttons: list[dict]) -> str:
    """'Reply 1 for Yes, 2 for No' (the number maps back to the button's payload)."""
    if not buttons:
        return ""
    return "Reply " + ", ".join(f"{n} for {to_gsm(b['title'])}" for n, b in enumerate(buttons, start=1))


def chosen_payload(text: str, buttons: list[dict]) -> str | None:
    """The payload of the numbered choice the parent replied with, if `text` is one of the offered numbers."""
    match = _NUMBER.match(text)
    if match is None or not buttons:
        return None
    number = int(match.group(1))
    return buttons[number - 1]["payload"] if 1 <= number <= len(buttons) else None


def split(text: str, *, budget: int = MAX_SEGMENTS) -> list[str]:
    """`text` as few parts as possible, each within `budget` segments, broken between sentences (between
    words only when one sentence alone is too long)."""
    text = text.strip()
    if segments(text) <= budget:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for sentence in _pieces(text, budget):
        candidate = f"{current} {sentence}" if current else sentence
        if segments(candidate) <= budget:
            current = candidate
        else:
            parts.append(current)
            current = sentence
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, budget: int) -> list[str]:
    pieces: list[str] = []
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(text))):
        if segments(sentence) <= budget:
            pieces.append(sentence)
            continue
        word_run = ""
        for word in sentence.split():
            candidate = f"{word_run} {word}" if word_run else word
            if segments(candidate) <= budget or not word_run:
                word_run = candidate
            else:
                pieces.append(word_run)
                word_run = word
        pieces.append(word_run)
    return pieces


def render(text: str, buttons: list[dict] | None = None) -> list[str]:
    """The texts to send for one bot message: the choices go with its last part when they fit."""
    body, choices = to_gsm(text or "").strip(), choices_line(buttons or [])
    if not choices:
        return split(body)
    together = f"{body}\n{choices}" if body else choices
    if segments(together) <= MAX_SEGMENTS:
        return [together]
    parts = split(body)
    last = f"{parts[-1]}\n{choices}" if parts else choices
    if parts and segments(last) <= MAX_SEGMENTS:
        return parts[:-1] + [last]
    return parts + split(choices)
