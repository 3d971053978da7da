"""SMS length rules: how many segments a text takes, and keeping an answer within a budget."""
from __future__ import annotations

MAX_SEGMENTS = 2
# GSM 03.38: the basic set costs one septet a character, the extension set two. Anything else makes the
# whole message UCS-2 (70 characters, or 67 a segment when split).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€")


def is_gsm7(text: str) -> bool:
    """True if every character is in the GSM-7 alphabet (else the whole text goes as UCS-2)."""
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def segments(text: str) -> int:
    if is_gsm7(text):
        septets = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        return 1 if septets <= 160 else -(-septets // 153)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)  # UTF-16 code units
    return 1 if units <= 70 else -(-units // 67)


def fit_lines(lines: list[str], *, tail: str = "", budget: int = MAX_SEGMENTS) -> str:
    """Join `lines` (the first is always kept), dropping lines from the end until it fits with `tail`."""
    kept = list(lines)
    while len(kept) > 1 and segments("\n".join(kept + ([tail] if tail else []))) > budget:
        kept.pop()
    return "\n".join(kept + ([tail] if tail else []))
