"""Seed content validation and the matchers the assistant relies on."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from integrations.content import hours
from integrations.content.faq import best_faq
from integrations.content.hub_finder import find_hub
from integrations.content.store import ContentError, read_seed
from tests.integrations.conftest import CONTENT_DIR


@pytest.fixture(scope="module")
def seed():
    items = read_seed(CONTENT_DIR)
    return {
        "hubs": [d for k, _, d in items if k == "hub"],
        "postcodes": next(d for k, _, d in items if k == "postcodes"),
        "faqs": [d for k, _, d in items if k == "faq"],
        "items": items,
    }


def test_the_seed_has_the_eight_hubs(seed):
    assert {h["short_name"] for h in seed["hubs"]} == {
        "Aspire", "Wood Side", "Pathways", "Mosaic", "Park Edge", "The Moat", "Harmony", "Families for All"
    }


def test_facts_not_in_the_seeds_are_marked_for_verification(seed):
    for kind, key, data in seed["items"]:
        if data["source"] == "not in seeds":
            assert data["verify"], f"{kind} {key} is not from the seeds but not marked verify"
    for hub in seed["hubs"]:
        if hub["address"] or hub["phone"]:
            assert hub["verify"], hub["id"]


@pytest.mark.parametrize(
    "text, hub_id",
    [
        ("which hub is nearest to Foleshill", "families-for-all"),
        ("Willenhall", "wood-side"),
        ("we live in hillfields", "harmony"),
        ("Tile Hill", "mosaic"),
        ("tilehill", "mosaic"),
        ("folehill", "families-for-all"),
        ("harmoney", "harmony"),
        ("Lower Stoke", "aspire"),
        ("radford", "pathways"),
        ("bell green", "park-edge"),
        ("wood end", "the-moat"),
    ],
)
def test_areas_and_typos_find_their_hub(seed, text, hub_id):
    result = find_hub(text, hubs=seed["hubs"], postcodes=seed["postcodes"])
    assert (result.status, [h["id"] for h in result.hubs]) == ("found", [hub_id])


def test_a_district_covering_several_hubs_is_ambiguous(seed):
    result = find_hub("CV2", hubs=seed["hubs"], postcodes=seed["postcodes"])
    assert result.status == "ambiguous" and len(result.hubs) >= 2


def test_a_postcode_outside_the_city_names_the_council(seed):
    result = find_hub("my postcode is CV8 1AA", hubs=seed["hubs"], postcodes=seed["postcodes"])
    assert (result.status, result.council) == ("outside", "Warwickshire County Council")
    assert find_hub("B91 1AA", hubs=seed["hubs"], postcodes=seed["postcodes"]).status == "outside"


@pytest.mark.parametrize("text", ["narnia", "hub", "the nearest family hub please", "my 14 year old"])
def test_no_place_means_unknown(seed, text):
    assert find_hub(text, hubs=seed["hubs"], postcodes=seed["postcodes"]).status == "unknown"


def test_faq_matching_finds_the_family_hub_question_and_ignores_noise(seed):
    for question in ("what is a family hub", "whats a family hub?", "What is a Family Hub"):
        assert best_faq(question, seed["faqs"])[0]["id"] == "what-is-a-family-hub"
    assert best_faq("asdfgh", seed["faqs"]) is None


def test_a_broken_seed_names_the_file_and_item(tmp_path):
    for path in CONTENT_DIR.iterdir():
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "faq.yml").write_text("faqs:\n  - id: x\n    question: q\n    answer: a\n    source: s\n")
    with pytest.raises(ContentError, match=r"(?s)faq.yml faqs\[0\].*sms"):
        read_seed(tmp_path)


WEEKDAYS_9_TO_5 = {d: {"open": "09:00", "close": "17:00"} for d in ("monday", "tuesday", "wednesday", "thursday", "friday")}


@pytest.mark.parametrize(
    "now, staffed, next_words",
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc), True, "tomorrow at 9am"),  # Monday 10:00 GMT
        (datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc), False, "tomorrow at 9am"),
        (datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc), False, "on Monday at 9am"),  # Friday evening
        (datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc), False, "today at 9am"),
        (datetime(2026, 7, 6, 8, 30, tzinfo=timezone.utc), True, "tomorrow at 9am"),  # 09:30 BST
    ],
)
def test_staffed_hours_in_london_time(now, staffed, next_words):
    assert (hours.closing_today(WEEKDAYS_9_TO_5, now) is not None) is staffed
    assert hours.when_words(hours.next_opening(WEEKDAYS_9_TO_5, now), now) == next_words


def test_bank_holidays_are_closed():
    christmas_eve = datetime(2026, 12, 24, 18, 0, tzinfo=timezone.utc)
    closed = {datetime(2026, 12, 25).date(), datetime(2026, 12, 28).date()}
    opening = hours.next_opening(WEEKDAYS_9_TO_5, christmas_eve, closed)
    assert hours.when_words(opening, christmas_eve) == "on Tuesday at 9am"


def test_opening_hours_in_words():
    week = {**WEEKDAYS_9_TO_5, "thursday": {"open": "09:00", "close": "18:30"}, "saturday": {"open": "10:00", "close": "13:00"}}
    assert hours.describe_week(week) == (
        "Monday to Wednesday 9am to 5pm, Thursday 9am to 6:30pm, Friday 9am to 5pm, Saturday 10am to 1pm"
    )
