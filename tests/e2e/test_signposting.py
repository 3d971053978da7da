"""Signposting conversations through the real stack, with the service's clock frozen at Monday 23 November
2026, 14:30 London time (see conftest.FROZEN_CLOCK). Answers come from the seeded content."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from integrations.content.models import ContentItem
from integrations.core.db import make_session_factory


@pytest.mark.parametrize(
    "question, expected",
    [
        # what's on: hub, relative day, typos in hub names
        ("what's on at the Moat on Tuesday", ["On at The Moat on Tuesday 24 November", "Bump and baby wellbeing group", "Youth group for year 6", "book first"]),
        ("whats on at harmony tomorrow", ["On at Harmony tomorrow", "Stay and play", "10am to 11:30am", "drop in"]),
        ("what's on at the mote on wednesday", ["On at The Moat on Wednesday 25 November", "Stay and play"]),
        ("what's on at harmoney today", ["On at Harmony today", "Well baby clinic", "1:30pm to 3:30pm"]),
        ("anything on in tilehill on saturday", ["On at Mosaic on Saturday 28 November", "additional needs"]),
        ("what time is stay and play at Harmony", ["Stay and play", "Tue 24 Nov 10am to 11:30am"]),
        ("is there baby massage on tuesday", ["Baby massage at Pathways", "book first"]),
        # ages
        ("anything for toddlers in Bell Green this week", ["On at Park Edge this week for ages 1 to 3", "Talk and play", "Saturday stay and play"]),
        ("what's on for my 11 year old at the moat next week", ["for age 11", "Youth group for year 6", "Youth group for year 7"]),
        # nothing on that day: alternatives
        ("stay and play at harmony on saturday", ["Sorry, there's no stay and play at Harmony on Saturday 28 November", "Other days:", "Tue 1 Dec"]),
        ("things for teenagers at harmony at half term", ["Sorry, nothing is on at Harmony in half term", "Other days:", "Youth group"]),
        # places outside the city or unknown
        ("whats on near CV8 1AA", ["Warwickshire County Council"]),
        ("what's on this saturday", ["Which area do you live in, or which Family Hub?"]),
        # services by need
        ("where can I get help with money", ["Coventry Independent Advice Service"]),
        ("my baby won't latch", ["Infant feeding support"]),
        ("I'm a new dad, is there anything for dads", ["Parenting programmes"]),
        ("where can I learn English", ["Adult and family learning"]),
        # opening hours, Here to Help
        ("is Pathways open now", ["Pathways is open now until 5pm."]),
        ("is harmony open on saturday", ["Harmony is closed on Saturday 28 November", "call 999"]),
        ("what time does aspire open tomorrow", ["Aspire is open tomorrow, 9am to 5pm."]),
        # the nearest hub, typo
        ("which hub is nearest to the mote", ["The Moat Family Hub"]),
    ],
)
def test_a_signposting_question_gets_its_answer(chat, question, expected):
    text = chat.text_of(chat.say(question))
    for words in expected:
        assert words in text, f"{question!r} -> {text!r}"


def test_an_unknown_area_is_asked_for_and_the_answer_finishes_the_question(chat):
    assert "which Family Hub" in chat.text_of(chat.say("what's on saturday"))
    text = chat.text_of(chat.say("Bell Green"))
    assert "On at Park Edge on Saturday 28 November" in text and "Saturday stay and play" in text


def test_opening_hours_without_a_place_asks_for_one(chat):
    assert "which Family Hub" in chat.text_of(chat.say("are you open now"))
    assert "Pathways is open now until 5pm." in chat.text_of(chat.say("Radford"))


def test_the_hub_found_earlier_is_remembered(chat):
    assert "Families for All" in chat.text_of(chat.say("which hub is nearest to Foleshill"))
    text = chat.text_of(chat.say("what's on tomorrow"))
    assert "On at Families for All tomorrow" in text and "Families for All cafe" in text


def test_a_long_list_is_paged_with_a_more_button(chat):
    first = chat.say("what's on at harmony this week")  # six sessions left this week; five to a page
    assert {"title": "More", "payload": "/more"} in [b for r in first for b in r.get("buttons") or []]
    second = chat.text_of(chat.say("more"))
    assert second.startswith("More at Harmony this week") and "Money advice drop-in" in second


def test_changing_a_sessions_time_changes_the_next_answer(stack, chat):
    """No retrain and no restart: the next answer reads the database."""
    question = "what's on at the moat on wednesday"
    assert "10am to 11:30am: Stay and play" in chat.text_of(chat.say(question))
    sessions = make_session_factory(stack.config.service_env()["DATABASE_URL"])
    with sessions() as db:
        row = db.scalars(select(ContentItem).where(ContentItem.kind == "session", ContentItem.key == "the-moat-stay-and-play-wed")).one()
        row.data = {**row.data, "start": "12:15", "end": "13:45"}
        db.commit()
    sessions.kw["bind"].dispose()
    assert "12:15pm to 1:45pm: Stay and play" in chat.text_of(chat.say(question))


def test_a_disclosure_inside_a_signposting_conversation_is_triaged(chat, http, staff_headers):
    chat.say("whats on at harmony tomorrow")
    replies = chat.say("my partner punched my son last night and he has bruises on his face")
    assert "social care" in chat.text_of(replies)
    body = http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()
    assert body["rhrt_level"] == 4 and body["handoff"]["urgent"] is True
