"""Reading a parent's answers: UK phone numbers, emails, postcodes, children and contact preferences."""
from __future__ import annotations

import re
from dataclasses import dataclass

_PHONE_CHARS = re.compile(r"[\s().-]")
_PHONE = re.compile(r"(?:\+?44\s?(?:\(0\))?\s?|0)\d[\d\s().-]{8,14}\d")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_LOOKS_LIKE_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d", re.IGNORECASE)
_CHILD = re.compile(r"([A-Za-z][A-Za-z'-]+)[^A-Za-z0-9]{0,3}(?:(?:is|aged|age|who is|whos|who's)\s+)?(\d{1,2})\b", re.IGNORECASE)
_NOT_NAMES = {"is", "aged", "age", "and", "my", "son", "daughter", "boy", "girl", "baby", "the", "of", "years", "year",
              "yrs", "yr", "old", "months", "month", "kids", "children", "child", "one", "two", "three", "who", "whos"}


@dataclass(frozen=True)
class Contact:
    phone: str | None
    email: str | None


def uk_phone(text: str) -> str | None:
    """A UK number in national form ("07700 900123" -> "07700900123"), or None if none is valid."""
    for found in _PHONE.finditer(text):
        digits = _PHONE_CHARS.sub("", found.group(0))
        if digits.startswith("+44") or digits.startswith("44"):
            digits = "0" + digits.removeprefix("+").removeprefix("44").lstrip("0")
        if re.fullmatch(r"0[1-37]\d{8,9}", digits) and not digits.startswith("070"):  # 070: personal numbers, often scams
            return digits
    return None


def contact_in(text: str) -> Contact:
    email = _EMAIL.search(text)
    return Contact(phone=uk_phone(text), email=email.group(0).lower() if email else None)


def children_in(text: str) -> list[dict]:
    """[{"first_name": "Amy", "age": 4}, ...] from "Amy 4, Josh 9" or "amy is 4 and josh aged 9"."""
    children = []
    for name, age in _CHILD.findall(text):
        if name.lower() in _NOT_NAMES or not 0 <= int(age) <= 25:
            continue
        children.append({"first_name": name[:1].upper() + name[1:], "age": int(age)})
    return children


def postcode_in(text: str) -> str | None:
    found = POSTCODE.search(text)
    return f"{found.group(1).upper()} {found.group(2).upper()}" if found else None


def looks_like_a_postcode(text: str) -> bool:
    return bool(_LOOKS_LIKE_POSTCODE.search(text))


def contact_preferences(text: str) -> dict[str, bool]:
    """Whether it is safe to call, text and leave a voicemail; anything not ruled out is taken as fine."""
    words = f" {re.sub(r'[^a-z ]', ' ', text.lower())} "
    only = [kind for kind in ("call", "text", "email") if f" {kind} only " in words or f" only {kind}" in words]
    if only:
        return {"safe_to_call": only[0] == "call", "safe_to_text": only[0] == "text", "safe_to_voicemail": False}
    def ruled_out(*names: str) -> bool:
        return any(f" no {n}" in words or f" dont {n}" in words or f" don t {n}" in words or f" not {n}" in words for n in names)
    return {
        "safe_to_call": not ruled_out("call", "ring", "phone"),
        "safe_to_text": not ruled_out("text", "message"),
        "safe_to_voicemail": not ruled_out("voicemail", "voice mail", "message", "leave"),
    }


def preferences_words(preferences: dict[str, bool]) -> str:
    """The read-back wording; contact_preferences() reads it back to the same preferences."""
    names = (("safe_to_call", "call"), ("safe_to_text", "text"), ("safe_to_voicemail", "voicemail"))
    ok = [name for key, name in names if preferences[key]]
    not_ok = [f"no {name}" for key, name in names if not preferences[key]]
    if not ok:
        return "no call, no text, no voicemail"
    if len(ok) == 1 and ok[0] != "voicemail":
        return f"{ok[0]} only"
    said = ok[0] if len(ok) == 1 else ", ".join(ok[:-1]) + " and " + ok[-1]
    return f"{said} OK" + (f", {', '.join(not_ok)}" if not_ok else "")


def no_language_needs(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(no|nope|none|no thanks|no thank you|english|english is fine|n|nah|no need)\W*\s*", text.lower()))
