"""What's on: timetable sessions by hub, day and age, with the nearest alternatives when nothing fits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from rapidfuzz import fuzz

from integrations.content.ages import AgeRange, session_fits
from integrations.content.hours import LONDON, clock_words
from integrations.content.schemas import DAYS
from integrations.content.text import normalise
from integrations.content.when import When, in_term_time

ALTERNATIVE_DAYS = 14
MAX_ALTERNATIVES = 3
_TITLE_THRESHOLD = 88
# Words too common in titles to pick a kind of session on their own ("group" is in half the titles).
_GENERIC = {"group", "for", "and", "the", "at", "in", "drop", "session", "sessions", "with", "children", "adults", "parents"}


@dataclass(frozen=True)
class Query:
    when: When
    hub_ids: tuple[str, ...]  # empty: every hub (only when the kind of session narrows it)
    age: AgeRange | None
    titles: tuple[str, ...]  # session titles the parent named; empty: any


@dataclass
class Found:
    occurrences: list[dict]
    alternatives: list[dict] = field(default_factory=list)
    alternatives_kind: str | None = None  # other-days | neighbouring-hubs


def titles_in(text: str, sessions: list[dict]) -> tuple[str, ...]:
    """Session titles the text names, typos tolerated ("stay n play", "baby masage")."""
    words = _key(text)
    return tuple(
        title for title in sorted({s["title"] for s in sessions})
        if len(key := _key(title)) >= 4 and fuzz.partial_ratio(key, words) >= _TITLE_THRESHOLD
    )


def _key(text: str) -> str:
    return " ".join(w for w in normalise(text).split() if w not in _GENERIC and w not in ("n", "an"))


def find(query: Query, *, sessions: list[dict], hubs: list[dict], terms: list[dict],
         closed_days: set[date], now: datetime) -> Found:
    by_id = {h["id"]: h for h in hubs}
    matching = [s for s in sessions if _fits(s, query)]
    occurrences = _occurrences(matching, query.when.days, query.hub_ids, terms, closed_days, now, by_id)
    if occurrences:
        return Found(occurrences)
    later = _later_days(query, matching, terms, closed_days, now, by_id)
    if later:
        return Found([], later, "other-days")
    neighbours = tuple(n for h in query.hub_ids for n in by_id.get(h, {}).get("neighbours", []) if n not in query.hub_ids)
    nearby = _occurrences(matching, query.when.days, tuple(dict.fromkeys(neighbours)), terms, closed_days, now, by_id)
    return Found([], nearby[:MAX_ALTERNATIVES], "neighbouring-hubs" if nearby else None)


def _fits(session: dict, query: Query) -> bool:
    return session_fits(session, query.age) and (not query.titles or session["title"] in query.titles)


def _later_days(query: Query, matching: list[dict], terms, closed_days, now, by_id) -> list[dict]:
    """The same hubs and kind of session on the days after the ones asked about."""
    if not query.when.days or not query.hub_ids:
        return []
    first = query.when.days[-1] + timedelta(days=1)
    days = tuple(first + timedelta(days=n) for n in range(ALTERNATIVE_DAYS))
    return _occurrences(matching, days, query.hub_ids, terms, closed_days, now, by_id)[:MAX_ALTERNATIVES]


def _occurrences(sessions: list[dict], days: tuple[date, ...], hub_ids: tuple[str, ...], terms: list[dict],
                 closed_days: set[date], now: datetime, by_id: dict) -> list[dict]:
    local_now = now.astimezone(LONDON)
    found = []
    for day in days:
        if day in closed_days:  # hubs are closed on bank holidays
            continue
        for session in sessions:
            if session["day"] != DAYS[day.weekday()] or (hub_ids and session["hub"] not in hub_ids):
                continue
            if session.get("term_time_only") and not in_term_time(day, terms):
                continue
            ends = datetime.combine(day, time.fromisoformat(session["end"]), LONDON)
            if ends <= local_now:
                continue
            found.append(_occurrence(session, day, by_id))
    return sorted(found, key=lambda o: (o["date"], o["start"], o["hub_name"]))


def _occurrence(session: dict, day: date, by_id: dict) -> dict:
    hub = by_id.get(session["hub"], {})
    start, end = (datetime.combine(day, time.fromisoformat(session[k]), LONDON) for k in ("start", "end"))
    return {
        "session_id": session["id"],
        "title": session["title"],
        "description": session.get("description") or "",
        "hub": session["hub"],
        "hub_name": hub.get("short_name") or session["hub"],
        "date": day.isoformat(),
        "day_words": f"{DAYS[day.weekday()][:3].title()} {day.day} {day.strftime('%b')}",
        "start": session["start"],
        "end": session["end"],
        "time_words": f"{clock_words(start)} to {clock_words(end)}",
        "booking": session["booking"],
        "ages_words": _ages_words(session),
        "verify": bool(session.get("verify")),
    }


def _ages_words(session: dict) -> str:
    low, high = session.get("age_min"), session.get("age_max")
    if low is None and high is None:
        return "adults" if session.get("audience") in ("adults", "parents") else "all ages"
    if low in (None, 0) and high is not None:
        return f"ages 0 to {high}"
    if high is None:
        return f"ages {low}+"
    return f"ages {low} to {high}"
