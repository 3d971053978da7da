"""Opening and staffed hours in Europe/London: open now?, and when next, in plain words."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from integrations.content.schemas import DAYS

LONDON = ZoneInfo("Europe/London")


def _span(hours: dict, day: date, closed_days: set[date]) -> tuple[datetime, datetime] | None:
    span = hours.get(DAYS[day.weekday()])
    if not span or day in closed_days:
        return None
    opens = datetime.combine(day, time.fromisoformat(span["open"]), LONDON)
    closes = datetime.combine(day, time.fromisoformat(span["close"]), LONDON)
    return opens, closes


def closing_today(hours: dict, now: datetime, closed_days: set[date] = frozenset()) -> datetime | None:
    """When the current opening span ends, or None when closed now."""
    local = now.astimezone(LONDON)
    span = _span(hours, local.date(), closed_days)
    return span[1] if span is not None and span[0] <= local < span[1] else None


def clock_words(moment: datetime) -> str:
    """'9am', '5:30pm' in London time."""
    return moment.astimezone(LONDON).strftime("%I:%M%p").lstrip("0").replace(":00", "").lower()


def next_opening(hours: dict, now: datetime, closed_days: set[date] = frozenset()) -> datetime | None:
    """The next opening time strictly after `now` (None if never open in the next two weeks)."""
    local = now.astimezone(LONDON)
    for offset in range(15):
        span = _span(hours, local.date() + timedelta(days=offset), closed_days)
        if span is not None and span[0] > local:
            return span[0]
    return None


def when_words(moment: datetime, now: datetime) -> str:
    """'today at 9am', 'tomorrow at 9:30am', 'on Monday at 9am', 'on Monday 5 January at 9am'."""
    local, today = moment.astimezone(LONDON), now.astimezone(LONDON).date()
    clock = clock_words(moment)
    days = (local.date() - today).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"on {local.strftime('%A')} at {clock}"
    return f"on {local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"


def describe_week(hours: dict) -> str:
    """'Monday to Friday 9am to 5pm, Saturday 10am to 1pm' (consecutive days with equal hours merged)."""
    runs: list[tuple[str, str, str]] = []  # (first day, last day, span words)
    for index, day in enumerate(DAYS):
        span = hours.get(day)
        words = f"{hhmm_words(span['open'])} to {hhmm_words(span['close'])}" if span else None
        if words and runs and runs[-1][2] == words and DAYS.index(runs[-1][1]) == index - 1:
            runs[-1] = (runs[-1][0], day, words)
        elif words:
            runs.append((day, day, words))
    return ", ".join(f"{a.title()}{'' if a == b else ' to ' + b.title()} {words}" for a, b, words in runs)


def hhmm_words(hhmm: str) -> str:
    return clock_words(datetime.combine(date(2026, 1, 5), time.fromisoformat(hhmm), LONDON))
