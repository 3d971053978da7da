"""Day words in Europe/London: the clock is Monday 23 November 2026, 14:30."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from integrations.content.when import in_term_time, resolve
from tests.integrations.conftest import FIXED_NOW

TERMS = [
    {"name": "Autumn", "start": "2026-09-02", "end": "2026-12-18", "half_term": {"start": "2026-10-26", "end": "2026-10-30"}},
    {"name": "Spring", "start": "2027-01-04", "end": "2027-03-25", "half_term": {"start": "2027-02-15", "end": "2027-02-19"}},
]


@pytest.mark.parametrize(
    "text, label, first, count",
    [
        ("whats on today", "today", date(2026, 11, 23), 1),
        ("anything on 2moro", "tomorrow", date(2026, 11, 24), 1),
        ("what's on Saturday", "on Saturday 28 November", date(2026, 11, 28), 1),
        ("is there baby massage on tues", "on Tuesday 24 November", date(2026, 11, 24), 1),
        ("next tuesday", "on Tuesday 1 December", date(2026, 12, 1), 1),
        ("monday", "today", date(2026, 11, 23), 1),
        ("anything this week", "this week", date(2026, 11, 23), 7),
        ("next week", "next week", date(2026, 11, 30), 7),
        ("this weekend", "this weekend", date(2026, 11, 28), 2),
        ("things for teens at half term", "in half term (Monday 15 February to Friday 19 February)", date(2027, 2, 15), 5),
        ("what's on at harmony", "in the next 7 days", date(2026, 11, 23), 7),
        ("my baby is 3 weeks old", "in the next 7 days", date(2026, 11, 23), 7),
    ],
)
def test_day_words_resolve_to_london_dates(text, label, first, count):
    when = resolve(text, FIXED_NOW, TERMS)
    assert (when.label, when.days[0], len(when.days)) == (label, first, count)


def test_late_evening_utc_is_already_tomorrow_in_summer_time():
    # 23:30 UTC on 6 July is 00:30 on 7 July in London (BST).
    assert resolve("today", datetime(2026, 7, 6, 23, 30, tzinfo=timezone.utc)).days == (date(2026, 7, 7),)


def test_half_term_without_term_dates_says_so_with_no_days():
    assert resolve("half term", FIXED_NOW, []).days == ()


def test_term_time_excludes_half_term_and_holidays():
    assert in_term_time(date(2026, 11, 24), TERMS)
    assert not in_term_time(date(2026, 10, 27), TERMS)  # half term
    assert not in_term_time(date(2026, 12, 24), TERMS)  # Christmas holidays
