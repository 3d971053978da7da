"""The whole run path over the CONTRACT endpoints: service -> Rasa -> action server -> service content."""
from __future__ import annotations

import yaml

from integrations.core.settings import REPO_ROOT


def faq_answer(faq_id: str) -> str:
    faqs = yaml.safe_load((REPO_ROOT / "data" / "content" / "faq.yml").read_text())["faqs"]
    return next(f["answer"] for f in faqs if f["id"] == faq_id)


def test_health_names_every_part(http):
    body = http.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "rasa": "ok", "action_server": "ok", "case_api": "ok"}


def test_the_greeting_says_what_it_can_do_and_that_it_is_not_a_person(chat):
    text = chat.text_of(chat.greeting)
    assert "not a person" in text and "999" in text
    assert [b["title"] for b in chat.greeting[0]["buttons"]] == ["Find my nearest hub", "What is a Family Hub?", "Talk to a person"]
    assert "not a person" in chat.text_of(chat.say("hello"))


def test_what_is_a_family_hub_is_answered_from_the_content(chat):
    assert chat.text_of(chat.say("what is a family hub")) == faq_answer("what-is-a-family-hub")
    button = chat.post(payload='/ask_faq{"faq_id": "what-is-a-family-hub"}')
    assert chat.text_of(button.json()["replies"]) == faq_answer("what-is-a-family-hub")


def test_the_nearest_hub_by_area(chat):
    assert "Families for All" in chat.text_of(chat.say("which hub is nearest to Foleshill"))
    assert "Wood Side" in chat.text_of(chat.say("what family hub is closest to Willenhall"))
    assert "Harmony" in chat.text_of(chat.say("nearest hub to hillfields"))
    assert "Mosaic" in chat.text_of(chat.say("im in tile hill whats my nearest hub"))


def test_asked_where_then_a_postcode(chat):
    assert "postcode" in chat.text_of(chat.say("where is my nearest family hub"))
    assert "Families for All" in chat.text_of(chat.say("CV6 5AB"))


def test_an_ambiguous_district_offers_the_hubs_and_a_choice_answers(chat):
    replies = chat.say("CV2")
    assert len(replies[0]["buttons"]) >= 2
    choice = replies[0]["buttons"][0]
    answered = chat.post(payload=choice["payload"]).json()["replies"]
    assert choice["title"].split(" (")[0] in chat.text_of(answered)


def test_a_postcode_outside_coventry_points_to_the_right_council(chat):
    assert "Warwickshire County Council" in chat.text_of(chat.say("my postcode is CV8 1AA"))


def test_asking_for_a_person_queues_the_conversation_honestly(chat, http, staff_headers):
    text = chat.text_of(chat.say("I want a real person"))
    assert "passed your messages" in text and "999" in text
    queue = http.get("/api/conversations", params={"status": "queued"}, headers=staff_headers).json()["conversations"]
    assert chat.id in [c["conversation_id"] for c in queue]
    detail = http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()
    assert detail["handoff"] == {"status": "queued", "urgent": False}


def test_goodbye_and_out_of_scope(chat):
    assert "999" in chat.text_of(chat.say("bye"))
    assert "can't help with that" in chat.text_of(chat.say("what's the weather like tomorrow"))


BAD_BUT_ANSWERED = ["a" * 5000, "😀😀😀", "<script>alert('x')</script><img src=x onerror=alert(1)>", "/restart", "'; DROP TABLE messages; --", "¿Dónde está el centro familiar?"]


def test_bad_input_gets_a_clear_4xx_or_a_sensible_reply_and_is_stored_verbatim(chat, http, staff_headers):
    for text in BAD_BUT_ANSWERED:
        response = chat.post(text=text)
        assert response.status_code == 200, (text[:20], response.text)
        assert response.json()["replies"], text[:20]
    assert chat.post(text="").status_code == 422
    assert chat.post(text="a" * 5001).status_code == 413
    assert chat.post(payload="/restart").status_code == 400
    wrong_token = http.post(f"/api/chat/conversations/{chat.id}/messages", json={"text": "hi"}, headers={"Authorization": "Bearer wrong"})
    assert wrong_token.status_code == 401
    for response in (chat.post(text=""), chat.post(payload="/restart"), wrong_token):
        assert isinstance(response.json()["detail"], str)
    stored = http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()["messages"]
    assert [m["text"] for m in stored if m["from"] == "parent"] == BAD_BUT_ANSWERED


def test_history_has_every_message_in_order(chat):
    chat.say("hello")
    messages = chat.http.get(f"/api/chat/conversations/{chat.id}/messages", params={"after": 0}, headers=chat.headers).json()["messages"]
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    assert [m["from"] for m in messages][:3] == ["bot", "parent", "bot"]
