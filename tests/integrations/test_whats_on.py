"""What's on, services by need and ages, over the seed content (the clock is Monday 23 November 2026, 14:30)."""
from __future__ import annotations

from datetime import date

import pytest

from integrations.content.ages import AgeRange, age_in
from integrations.content.service_matcher import match_services
from integrations.content.store import read_seed
from integrations.content.when import resolve
from integrations.content.whats_on import Query, find, titles_in
from tests.integrations.conftest import CONTENT_DIR, FIXED_NOW


@pytest.fixture(scope="module")
def content():
    items = read_seed(CONTENT_DIR)
    by_kind = lambda kind: [d for k, _, d in items if k == kind]  # noqa: E731
    return {
        "sessions": by_kind("session"), "hubs": by_kind("hub"), "services": by_kind("service"),
        "terms": by_kind("terms")[0]["terms"],
    }


def ask(content, text, *hub_ids, closed=frozenset()):
    query = Query(when=resolve(text, FIXED_NOW, content["terms"]), hub_ids=hub_ids, age=age_in(text),
                  titles=titles_in(text, content["sessions"]))
    return find(query, sessions=content["sessions"], hubs=content["hubs"], terms=content["terms"],
                closed_days=set(closed), now=FIXED_NOW)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my 3 year old", AgeRange(3, 3)), ("toddlers", AgeRange(1, 3)), ("under 5s", AgeRange(0, 4)),
        ("my 6 month old", AgeRange(0, 0)), ("something for teenagers", AgeRange(11, 19)),
        ("my son is in year 6", AgeRange(10, 11)), ("whats on tomorrow", None),
    ],
)
def test_ages_parents_mention(text, expected):
    assert age_in(text) == expected


def test_sessions_on_the_day_asked_with_booking_and_ages(content):
    found = ask(content, "whats on at the moat tomorrow", "the-moat")
    assert [(o["title"], o["time_words"], o["booking"]) for o in found.occurrences] == [
        ("Bump and baby wellbeing group", "10am to 11:30am", "booking-needed"),
        ("Youth group for year 6", "3:30pm to 5pm", "booking-needed"),
    ]


def test_today_leaves_out_sessions_that_have_finished(content):
    # Harmony's Monday well baby clinic runs 13:30-15:30; at 14:30 it is still on. Pathways' finished at 11:30.
    assert [o["title"] for o in ask(content, "today", "harmony").occurrences] == ["Well baby clinic"]
    assert ask(content, "today", "pathways").occurrences == []


def test_an_age_filter_keeps_sessions_for_that_age(content):
    titles = {o["title"] for o in ask(content, "anything for toddlers this week", "park-edge").occurrences}
    # Not Monday's stay and play (it finished at 11:30), nor the coffee morning or money advice (adults).
    assert titles == {"Well baby clinic", "Talk and play", "Saturday stay and play"}


def test_a_named_kind_of_session_is_found_at_every_hub(content):
    found = ask(content, "is there stay n play on thursday")
    assert [(o["hub"], o["title"]) for o in found.occurrences] == [("pathways", "Stay and play")]


def test_nothing_on_that_day_offers_the_same_hub_on_later_days(content):
    found = ask(content, "stay and play at harmony on saturday", "harmony")
    assert found.occurrences == [] and found.alternatives_kind == "other-days"
    assert [(o["date"], o["title"]) for o in found.alternatives][0] == ("2026-12-01", "Stay and play")


def test_term_time_sessions_stop_in_the_holidays(content):
    in_term = ask(content, "kids club at harmony on wednesday", "harmony")
    assert [o["date"] for o in in_term.occurrences] == ["2026-11-25"]
    christmas = Query(when=resolve("wednesday", FIXED_NOW.replace(month=12, day=21), content["terms"]), hub_ids=("harmony",),
                      age=None, titles=("Kids club",))
    found = find(christmas, sessions=content["sessions"], hubs=content["hubs"], terms=content["terms"], closed_days=set(),
                 now=FIXED_NOW.replace(month=12, day=21))
    assert found.occurrences == []


def test_bank_holidays_are_closed_and_neighbours_are_offered_when_nothing_later_fits(content):
    found = ask(content, "stay and play tomorrow", "harmony", closed={date(2026, 11, 24)})
    assert found.occurrences == []
    assert found.alternatives and found.alternatives[0]["date"] != "2026-11-24"


@pytest.mark.parametrize(
    "need, service_id",
    [
        ("where can I get help with money", "cias-advice"),
        ("my baby won't latch", "infant-feeding-support"),
        ("feeding", "infant-feeding-support"),
        ("a child not talking", "health-visitors"),
        ("I'm a new dad, is there anything for dads", "parenting-programmes"),
        ("where can I learn English", "adult-learning"),
        ("young carers support", "young-carers"),
    ],
)
def test_services_by_need(content, need, service_id):
    assert match_services(need, content["services"])[0].service["id"] == service_id


@pytest.mark.parametrize("text", ["hello", "what time is it", "asdfgh"])
def test_no_service_for_words_that_name_no_need(content, text):
    assert match_services(text, content["services"]) == []
