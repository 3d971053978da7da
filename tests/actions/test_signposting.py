"""What's on, services by need and opening hours: replies on the web and within 2 SMS segments."""
from __future__ import annotations

import pytest

from actions.hubs import ActionFindHub
from actions.opening import ActionOpeningHours
from actions.services import ActionFindService
from actions.sms import fit_lines, segments
from actions.whats_on import ActionWhatsOn
from tests.actions.conftest import DownService, make_tracker, params

MOAT = {"id": "the-moat", "short_name": "The Moat", "name": "The Moat Family Hub", "area": "Wood End"}


def occurrence(n: int, hub: dict = MOAT) -> dict:
    return {"session_id": f"s{n}", "title": "Saturday stay and play for children with additional needs", "hub": hub["id"],
            "hub_name": hub["short_name"], "date": "2026-11-24", "day_words": "Wed 25 Nov", "time_words": "10am to 11:30am",
            "booking": "booking-needed", "ages_words": "ages 0 to 11", "description": "", "start": "10:00", "end": "11:30"}


def result(status="found", occurrences=(), has_more=False, hubs=(MOAT,), **extra) -> dict:
    return {"status": status, "place": {"status": "found", "hubs": list(hubs), "matched": "the moat"}, "when": "on Wednesday 25 November",
            "named_day": True, "age_words": "ages 1 to 3", "titles": [], "occurrences": list(occurrences), "total": 9, "offset": 0,
            "has_more": has_more, "alternatives": [], "alternatives_kind": None, **extra}


async def test_whats_on_lists_sessions_with_a_more_button_on_the_web(service, dispatcher):
    service.on("/internal/content/whats-on", result(occurrences=[occurrence(1), occurrence(2)], has_more=True))
    events = await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("whats on at the moat wednesday", intent="ask_whats_on"), {})
    message = dispatcher.messages[0]
    assert message["text"].startswith("On at The Moat on Wednesday 25 November for ages 1 to 3:\n- Wed 25 Nov 10am to 11:30am")
    assert "book first" in message["text"]
    assert message["buttons"] == [{"title": "More", "payload": "/more"}, {"title": "Opening hours", "payload": "/ask_opening_hours"}]
    assert {e["name"]: e["value"] for e in events}["hub"] == "the-moat"
    assert params(service.requests[0]) == {"q": "whats on at the moat wednesday", "offset": "0", "limit": "5"}
    assert {e["name"]: e["value"] for e in events}["whats_on_offset"] == 2.0


async def test_more_asks_for_the_next_page_of_the_same_question(service, dispatcher):
    service.on("/internal/content/whats-on", result(occurrences=[occurrence(3)], offset=5))
    tracker = make_tracker("more", intent="more", slots={"whats_on_query": "whats on this week", "whats_on_offset": 5.0, "hub": "the-moat"})
    events = await ActionWhatsOn(service.client()).run(dispatcher, tracker, {})
    assert params(service.requests[0]) == {"q": "whats on this week", "hub": "the-moat", "offset": "5", "limit": "5"}
    assert {e["name"]: e["value"] for e in events}["whats_on_offset"] == 0.0  # nothing more after this page
    assert dispatcher.messages[0]["text"].startswith("More at The Moat")


async def test_an_sms_list_fits_two_segments_and_says_reply_more(service, dispatcher):
    hubs = [MOAT, {**MOAT, "id": "park-edge", "short_name": "Park Edge"}]
    service.on("/internal/content/whats-on", result(occurrences=[occurrence(n, hubs[n % 2]) for n in range(3)], has_more=True, hubs=hubs))
    events = await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("wots on", intent="ask_whats_on", channel="sms"), {})
    text = dispatcher.messages[0]["text"]
    assert segments(text) <= 2 and text.endswith("Reply MORE for more.") and not dispatcher.messages[0]["buttons"]
    assert params(service.requests[0])["limit"] == "3"
    # Long titles: only one of the three fits, so MORE starts at the second (nothing is skipped).
    assert text.count("\n- ") == 1 and {e["name"]: e["value"] for e in events}["whats_on_offset"] == 1.0


async def test_more_with_nothing_left_says_so(service, dispatcher):
    tracker = make_tracker("more", intent="more", slots={"whats_on_query": "whats on this week", "whats_on_offset": 0.0})
    await ActionWhatsOn(service.client()).run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_nothing_more" and service.requests == []


async def test_nothing_on_offers_the_alternatives(service, dispatcher):
    service.on("/internal/content/whats-on", result(status="none", alternatives=[occurrence(1)], alternatives_kind="other-days"))
    await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("stay and play at the moat wednesday", intent="ask_whats_on"), {})
    assert dispatcher.messages[0]["text"].startswith("Sorry, nothing is on at The Moat on Wednesday 25 November for ages 1 to 3.\nOther days:\n- Wed 25 Nov")


async def test_an_unknown_place_is_asked_for_and_the_answer_finishes_the_question(service, dispatcher):
    service.on("/internal/content/whats-on", {"status": "need_place", "place": {"status": "unknown", "hubs": []}})
    events = await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("whats on saturday", intent="ask_whats_on"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_place_for_question"
    slots = {e["name"]: e["value"] for e in events}
    assert (slots["awaiting_place"], slots["pending_query"]) == ("whats_on", "whats on saturday")

    service.on("/internal/content/whats-on", result(occurrences=[occurrence(1)]))
    tracker = make_tracker("bell green", intent="inform_location", slots=slots)
    tracker.events[:0] = [{"event": "action", "name": "action_whats_on"}]
    await ActionFindHub(service.client()).run(dispatcher, tracker, {})
    assert params(service.requests[-1])["q"] == "whats on saturday in bell green"


async def test_the_whats_on_button_asks_about_the_coming_week_at_the_hub_already_named(service, dispatcher):
    service.on("/internal/content/whats-on", result(occurrences=[occurrence(1)]))
    await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("/ask_whats_on", intent="ask_whats_on", slots={"hub": "the-moat"}), {})
    assert params(service.requests[0]) == {"q": "whats on", "hub": "the-moat", "offset": "0", "limit": "5"}


async def test_the_whats_on_button_without_a_hub_asks_which(service, dispatcher):
    await ActionWhatsOn(service.client()).run(dispatcher, make_tracker("/ask_whats_on", intent="ask_whats_on"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_whats_on" and service.requests == []


async def test_whats_on_says_sorry_when_the_service_is_down(dispatcher):
    await ActionWhatsOn(DownService().client()).run(dispatcher, make_tracker("whats on", intent="ask_whats_on"), {})
    assert dispatcher.messages[0]["response"] == "utter_content_unavailable"


SERVICE = {"id": "cias-advice", "name": "Coventry Independent Advice Service (CIAS)", "how_to_access": "drop-in",
           "what": "Free, confidential advice on money, debt, benefits, housing and work. " * 2,
           "who_for": "Anyone in Coventry.", "access_note": "Go to a money advice drop-in at a Family Hub, or contact CIAS directly.",
           "contact": None}


@pytest.mark.parametrize("channel", ["webchat", "sms"])
async def test_a_service_for_a_need_says_what_who_and_how(service, dispatcher, channel):
    service.on("/internal/content/services/match", {"services": [SERVICE, {**SERVICE, "name": "Job clubs"}]})
    await ActionFindService(service.client()).run(dispatcher, make_tracker("help with money", intent="ask_service", channel=channel), {})
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Coventry Independent Advice Service (CIAS): Free, confidential advice")
    if channel == "sms":
        assert segments(text) <= 2
    else:
        assert "Who it's for: Anyone in Coventry." in text and "How to get it: Just drop in." in text and dispatcher.messages[0]["buttons"]


async def test_no_matching_service_offers_here_to_help_and_a_person(service, dispatcher):
    service.on("/internal/content/services/match", {"services": []})
    service.on("/internal/content/faq/match", {"match": None})
    await ActionFindService(service.client()).run(dispatcher, make_tracker("qwerty", intent="ask_service"), {})
    assert dispatcher.messages[0]["response"] == "utter_service_unknown"


CLOTHES_BANK = {"id": "clothes-bank", "question": "Do you have a clothes bank?", "answer": "Web: yes, at Wood Side.", "sms": "SMS: yes, at Wood Side."}


@pytest.mark.parametrize("channel", ["webchat", "sms"])
async def test_a_question_no_service_fits_is_answered_from_the_faq(service, dispatcher, channel):
    # An FAQ entry comms added after training: the model files "is there a clothes bank" under services.
    service.on("/internal/content/services/match", {"services": []})
    service.on("/internal/content/faq/match", {"match": CLOTHES_BANK})
    await ActionFindService(service.client()).run(dispatcher, make_tracker("is there a clothes bank", intent="ask_service", channel=channel), {})
    assert [m["text"] for m in dispatcher.messages] == ["SMS: yes, at Wood Side." if channel == "sms" else "Web: yes, at Wood Side."]
    assert params(service.requests[1]) == {"q": "is there a clothes bank"}


def opening(open_now: bool, day=None, on_day=None) -> dict:
    hub = {"id": "pathways", "short_name": "Pathways", "name": "Pathways Family Hub", "open_now": open_now, "closes_words": "5pm" if open_now else None,
           "next_opening_words": None if open_now else "tomorrow at 9am", "week_words": "Monday to Friday 9am to 5pm", "on_day": on_day}
    return {"status": "found", "place": {"status": "found", "hubs": [hub]}, "day": day, "day_is_today": day in (None, "today"), "hubs": [hub]}


CONTACTS = {"contacts": [{"id": "emergency-duty-team", "phone": "024 7683 2222"}]}


async def test_open_now(service, dispatcher):
    service.on("/internal/content/hubs/opening", opening(True, "today"))
    service.on("/internal/content/contacts", CONTACTS)
    await ActionOpeningHours(service.client()).run(dispatcher, make_tracker("is pathways open now", intent="ask_opening_hours"), {})
    assert dispatcher.messages[0]["text"] == "Pathways is open now until 5pm."
    assert dispatcher.messages[0]["buttons"] == [{"title": "What's on", "payload": "/ask_whats_on"}]


async def test_closed_now_gives_the_next_opening_and_the_safety_line(service, dispatcher):
    service.on("/internal/content/hubs/opening", opening(False))
    service.on("/internal/content/contacts", CONTACTS)
    await ActionOpeningHours(service.client()).run(dispatcher, make_tracker("is pathways open", intent="ask_opening_hours", channel="sms"), {})
    text = dispatcher.messages[0]["text"]
    assert text == ("Pathways is closed now. It opens tomorrow at 9am.\n"
                    "If a child is in danger now, call 999. Out of hours, children's social care: 024 7683 2222.")
    assert segments(text) <= 2


async def test_closed_on_a_named_day(service, dispatcher):
    service.on("/internal/content/hubs/opening", opening(True, "on Saturday 28 November", {"open": False, "hours_words": None, "bank_holiday": False}))
    service.on("/internal/content/contacts", CONTACTS)
    await ActionOpeningHours(service.client()).run(dispatcher, make_tracker("is pathways open saturday", intent="ask_opening_hours"), {})
    assert dispatcher.messages[0]["text"].startswith("Pathways is closed on Saturday 28 November. It is open Monday to Friday 9am to 5pm.")


def test_sms_segments_count_gsm_and_unicode():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2 and segments("a" * 307) == 3
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # extension characters count twice
    assert segments("😊" * 35) == 1 and segments("😊" * 36) == 2  # UCS-2: 70 units, emoji take two


def test_fit_lines_drops_lines_from_the_end_but_keeps_the_first_and_the_tail():
    text = fit_lines(["head"] + ["x" * 100] * 5, tail="Reply MORE for more.")
    assert segments(text) <= 2 and text.startswith("head\n") and text.endswith("Reply MORE for more.")
