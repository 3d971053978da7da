"""A request for early help through the real stack: consent, answers, read-back, the reference case API, and
nothing lost when the case API is down, slow, or the service is killed mid-outbox."""
from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import create_engine, text

LEVEL_3 = "my 13 year old refuses to go to school, she has not been in for 6 weeks and i am not coping"


def answer_everything(chat) -> list[dict]:
    """From a level-3 disclosure to the read-back; returns the read-back's replies."""
    replies = chat.say(LEVEL_3)
    assert "/request_early_help" in payloads(replies), texts(replies)
    assert "Do you agree to share them?" in texts(chat.press("/request_early_help"))
    assert "What is your name?" in texts(chat.press("/affirm"))
    assert "How can the team contact you?" in texts(chat.say("Sam Patel"))
    assert "doesn't look like a UK phone number" in texts(chat.say("0121"))
    assert "safe for us to call you" in texts(chat.say("07700 900123"))
    assert "first names and ages" in texts(chat.press("text only"))
    assert "postcode" in texts(chat.say("Amy 13, Josh 9"))
    assert "You told me" in texts(chat.say("Foleshill"))
    assert "good time to contact you" in texts(chat.press("/affirm"))
    assert "interpreter" in texts(chat.say("weekday mornings"))
    return chat.say("no")


def texts(replies: list[dict]) -> str:
    return "\n".join(r["text"] for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def reference_message(chat, timeout: float = 60) -> str:
    """Waits for the bot's message with the reference, as the page does (GET messages)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = chat.http.get(f"/api/chat/conversations/{chat.id}/messages", headers=chat.headers).json()["messages"]
        for message in messages:
            if "Your reference is" in message["text"]:
                return message["text"]
        time.sleep(0.5)
    raise AssertionError("no reference was given to the parent")


def case_api_rows(stack) -> int:
    """Rows in the case API's own database (SQLite or PostgreSQL, whichever the profile uses)."""
    engine = create_engine(stack.config.case_api_env()["CASE_API_DATABASE_URL"])
    try:
        with engine.connect() as db:
            return db.execute(text("select count(*) from early_help_requests")).scalar_one()
    finally:
        engine.dispose()


def case_api_get(stack, reference: str) -> dict:
    token = stack.config.secrets["CASE_API_TOKEN"]
    response = httpx.get(f"{stack.config.case_api_url}/early-help-requests/{reference}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_level_3_disclosure_becomes_a_request_with_every_answer(stack, chat, http, staff_headers):
    before = case_api_rows(stack)
    read_back = texts(answer_everything(chat))
    for shown in ("Sam Patel", "07700900123", "Amy (13)", "Josh (9)", "Foleshill", "weekday mornings", "not needed"):
        assert shown in read_back
    assert "Your request is saved" in texts(chat.press("/affirm"))
    reference = reference_message(chat).split("Your reference is ")[1].split(".")[0]
    stored = case_api_get(stack, reference)
    assert stored["parent"]["name"] == "Sam Patel" and stored["parent"]["phone"] == "07700900123"
    assert (stored["parent"]["safe_to_text"], stored["parent"]["safe_to_call"]) == (True, False)
    assert stored["children"] == [{"first_name": "Amy", "age": 13}, {"first_name": "Josh", "age": 9}]
    assert stored["area"]["hub"] == "families-for-all" and stored["parent"]["contact_times"] == "weekday mornings"
    assert stored["concerns"]["in_parents_words"] == LEVEL_3 and stored["concerns"]["rhrt_level"] >= 3
    assert stored["consent"]["given"] is True and "Do you agree" in stored["consent"]["wording"]
    assert case_api_rows(stack) == before + 1
    body = http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()
    assert body["early_help_request"] == {**body["early_help_request"], "reference": reference, "status": "sent"}


def test_no_to_consent_creates_nothing(stack, chat, http, staff_headers):
    before = case_api_rows(stack)
    chat.say(LEVEL_3)
    chat.press("/request_early_help")
    assert "haven't made a request" in texts(chat.press("/deny"))
    body = http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()
    assert body["early_help_request"] is None and case_api_rows(stack) == before


def test_stop_in_the_middle_discards_the_answers(stack, chat, http, staff_headers):
    chat.say(LEVEL_3)
    chat.press("/request_early_help")
    chat.press("/affirm")
    chat.say("Sam Patel")
    assert "Nothing from your request was saved" in texts(chat.say("stop"))
    assert http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()["early_help_request"] is None


def test_with_the_case_api_down_the_request_is_saved_and_sent_once_when_it_is_back(stack, chat):
    before = case_api_rows(stack)
    answer_everything(chat)
    stack.stop_part("case_api")
    try:
        assert "Your request is saved" in texts(chat.press("/affirm"))
        time.sleep(3)  # several failed attempts
    finally:
        stack.start_part("case_api")
    reference_message(chat)
    assert case_api_rows(stack) == before + 1


def test_a_first_attempt_that_times_out_after_the_server_stored_it_creates_one_request(stack, chat):
    before = case_api_rows(stack)
    answer_everything(chat)
    stack.stop_part("case_api")
    stack.start_part("case_api", env={"CASE_API_RESPONSE_DELAY_SECONDS": "4"})  # the service gives up after 2 s
    try:
        assert "Your request is saved" in texts(chat.press("/affirm"))
        reference_message(chat)
    finally:
        stack.stop_part("case_api")
        stack.start_part("case_api")
    assert case_api_rows(stack) == before + 1


def test_killing_the_service_mid_outbox_loses_nothing(stack, chat):
    before = case_api_rows(stack)
    answer_everything(chat)
    stack.stop_part("case_api")
    assert "Your request is saved" in texts(chat.press("/affirm"))
    stack.stop_part("service", kill=True)
    stack.start_part("service")
    stack.start_part("case_api")
    reference_message(chat)
    assert case_api_rows(stack) == before + 1
