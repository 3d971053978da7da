"""The days a parent means ("today", "2moro", "Saturday", "this week", "half term"), in Europe/London."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from integrations.content.hours import LONDON
from integrations.content.schemas import DAYS
from integrations.content.text import normalise

DEFAULT_SPAN_DAYS = 7
_TODAY = {"today", "2day", "tday", "tonight", "tonite", "2nite", "now"}
_TOMORROW = {"tomorrow", "tomorow", "tommorow", "tommorrow", "tomoz", "tmrw", "tmr", "tmoz", "2moro", "2morrow", "2mrw", "2morro"}
_WEEKDAY_WORDS = {
    "monday": 0, "mon": 0, "mondays": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "tuesdays": 1,
    "wednesday": 2, "wed": 2, "weds": 2, "wednesdays": 2, "wensday": 2, "wednsday": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "thursdays": 3, "thurday": 3,
    "friday": 4, "fri": 4, "fridays": 4,
    "saturday": 5, "sat": 5, "saturdays": 5, "satuday": 5,
    "sunday": 6, "sun": 6, "sundays": 6,
}


@dataclass(frozen=True)
class When:
    label: str  # how to say it back: "today", "on Saturday 28 November", "this week", "in half term"
    days: tuple[date, ...]
    named: bool  # the parent named a time (otherwise: the next DEFAULT_SPAN_DAYS days)

    @property
    def single_day(self) -> bool:
        return len(self.days) == 1


def day_words(day: date) -> str:
    """'Saturday 28 November'."""
    return f"{DAYS[day.weekday()].title()} {day.day} {day.strftime('%B')}"


def resolve(text: str, now: datetime, terms: list[dict] | None = None) -> When:
    """The first time phrase found in `text`, or the coming week when there is none."""
    today = now.astimezone(LONDON).date()
    words = normalise(text).split()
    joined = f" {' '.join(words)} "
    if " half term" in joined or " halfterm" in joined or " half terms" in joined:
        return _half_term(today, terms or [])
    if any(w in _TOMORROW for w in words):
        return When("tomorrow", (today + timedelta(days=1),), True)
    if any(w in _TODAY for w in words):
        return When("today", (today,), True)
    if " next week" in joined:
        monday = today + timedelta(days=7 - today.weekday())
        return When("next week", _span(monday, 7), True)
    if " weekend" in joined or " wkend" in joined or " w e" in joined:
        saturday = today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() < 6 else today
        return When("this weekend", tuple(d for d in _span(saturday, 2) if d.weekday() >= 5), True)
    if " this week" in joined or " this wk" in joined or " the week" in joined:
        return When("this week", _span(today, 7 - today.weekday()), True)
    for index, word in enumerate(words):
        if word in _WEEKDAY_WORDS:
            ahead = (_WEEKDAY_WORDS[word] - today.weekday()) % 7
            if index and words[index - 1] == "next" and ahead < 7 - today.weekday():
                ahead += 7  # "next Tuesday" said on a Monday is the Tuesday of next week
            day = today + timedelta(days=ahead)
            return When("today" if ahead == 0 else f"on {day_words(day)}", (day,), True)
    return When(f"in the next {DEFAULT_SPAN_DAYS} days", _span(today, DEFAULT_SPAN_DAYS), False)


def _span(first: date, days: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=n) for n in range(days))


def _half_term(today: date, terms: list[dict]) -> When:
    """The half term now on, or the next one; no days when the term dates do not say."""
    for term in sorted(terms, key=lambda t: str(t["start"])):
        half = term.get("half_term")
        if not half:
            continue
        start, end = date.fromisoformat(str(half["start"])), date.fromisoformat(str(half["end"]))
        if end >= today:
            first = max(start, today)
            return When(f"in half term ({day_words(start)} to {day_words(end)})", _span(first, (end - first).days + 1), True)
    return When("in half term", (), True)


def in_term_time(day: date, terms: list[dict]) -> bool:
    """Inside a term and not in its half term (term-time-only sessions run only then)."""
    for term in terms:
        if date.fromisoformat(str(term["start"])) <= day <= date.fromisoformat(str(term["end"])):
            half = term.get("half_term")
            return not (half and date.fromisoformat(str(half["start"])) <= day <= date.fromisoformat(str(half["end"])))
    return False
