"""Triage through the real stack: safety first, the practitioner sees why, figures of speech stay calm."""
from __future__ import annotations


def record(http, staff_headers, chat) -> dict:
    return http.get(f"/api/conversations/{chat.id}", headers=staff_headers).json()


def test_danger_gets_999_first_and_an_urgent_handoff_with_the_reason(chat, http, staff_headers):
    replies = chat.say("my boyfriend is kicking the door in and my kids are upstairs")
    assert replies[0]["text"].startswith("If you or a child are in danger now, call 999")
    assert "NSPCC" in chat.text_of(replies)
    body = record(http, staff_headers, chat)
    assert (body["rhrt_level"], body["danger"], body["handoff"]) == (4, True, {"status": "queued", "urgent": True})
    assert body["concerns"] and all({"domain", "descriptor", "level"} <= set(c) for c in body["concerns"])
    assert max(c["level"] for c in body["concerns"]) == 4


def test_a_disclosure_after_a_question_is_still_triaged(chat, http, staff_headers):
    chat.say("what time is stay and play at harmony")
    replies = chat.say("also my 7 year old came home from his dads with a black eye and says he was punched")
    assert "social care" in chat.text_of(replies)
    assert record(http, staff_headers, chat)["rhrt_level"] == 4


def test_suicidal_thoughts_always_get_samaritans(chat):
    assert "116 123" in chat.text_of(chat.say("my 14 year old has been cutting herself and said she wants to die"))


def test_negation_and_figures_of_speech_do_not_raise_the_level(chat, http, staff_headers):
    for text in ("he's not hurting them", "my son is killing it at football", "my kid is being a nightmare"):
        chat.say(text)
    body = record(http, staff_headers, chat)
    assert (body["rhrt_level"] or 1) < 4 and body["danger"] is False


def test_a_level_2_need_is_signposted_not_escalated(chat, http, staff_headers):
    text = chat.text_of(chat.say("I've been made redundant and money is really tight"))
    assert "Here to Help" in text
    body = record(http, staff_headers, chat)
    assert body["rhrt_level"] == 2 and body["handoff"]["status"] == "none"


def test_a_disclosure_during_the_two_stage_fallback_is_triaged(stack):
    """Straight to Rasa's REST channel, where "/nlu_fallback" forces the fallback (the service never lets
    typed text do that): the next message, a disclosure, must get the safety reply, not a fallback."""
    import uuid

    import httpx

    sender = str(uuid.uuid4())
    with httpx.Client(base_url=stack.config.rasa_url, timeout=60) as rasa:
        first = rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": "/nlu_fallback"}).json()
        assert first, "the fallback asked nothing"
        second = rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": "my son says he has swallowed all my sleeping tablets"}).json()
    texts = [m.get("text") for m in second if m.get("text")]
    assert texts[0].startswith("If you or a child are in danger now, call 999"), texts
