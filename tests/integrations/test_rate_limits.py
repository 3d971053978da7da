"""Per-conversation rate limits: a web chat gets 429 with a kind message (its words are kept by the page),
a phone number gets one kind text, its texts stay stored and a person is asked to read them; STOP always works."""
from __future__ import annotations

from sqlalchemy import select

from integrations.channels.sms.inbound import STOP_TEXT
from integrations.conversations.limits import SLOW_DOWN_TEXT
from integrations.conversations.models import Conversation, Message


def test_a_web_chat_over_the_limit_is_asked_to_slow_down_and_nothing_reaches_rasa(client, rasa, settings):
    settings.chat_messages_per_minute = 3
    created = client.post("/api/chat/conversations").json()
    path = f"/api/chat/conversations/{created['conversation_id']}/messages"
    headers = {"Authorization": f"Bearer {created['token']}"}
    for n in range(3):
        assert client.post(path, json={"text": f"message {n}"}, headers=headers).status_code == 200
    calls = len(rasa.received)
    refused = client.post(path, json={"text": "one more"}, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["detail"] == SLOW_DOWN_TEXT and "999" in SLOW_DOWN_TEXT
    assert refused.headers["Retry-After"] == "60"
    assert len(rasa.received) == calls


def test_another_conversation_is_not_limited_by_the_first(client, settings):
    settings.chat_messages_per_minute = 1
    for _ in range(2):
        created = client.post("/api/chat/conversations").json()
        response = client.post(f"/api/chat/conversations/{created['conversation_id']}/messages", json={"text": "hi"},
                               headers={"Authorization": f"Bearer {created['token']}"})
        assert response.status_code == 200


def test_a_phone_over_the_limit_gets_one_kind_text_and_every_text_is_kept(sms, session, settings, rasa):
    settings.sms_messages_per_minute = 2
    for n in range(5):
        sms.text(f"text {n}")
    sms.work()
    sent = sms.sent()
    assert sent[:2] == ["echo: text 0", "echo: text 1"]
    assert sent[2:] == [SLOW_DOWN_TEXT]  # once, not once per text
    assert [m["message"] for m in rasa.received] == ["text 0", "text 1"]
    conversation = session.scalars(select(Conversation).where(Conversation.channel == "sms")).one()
    stored = session.scalars(select(Message.text).where(Message.conversation_id == conversation.id, Message.sender == "parent")).all()
    assert stored == [f"text {n}" for n in range(5)]
    # The assistant did not read the last three, so a person will.
    assert conversation.handoff_status == "queued" and "not read by the assistant" in conversation.handoff_reason


def test_stop_works_even_over_the_limit(sms, settings):
    settings.sms_messages_per_minute = 1
    sms.text("one")
    sms.text("two")
    sms.text("STOP")
    sms.work()
    assert sms.sent()[-1] == STOP_TEXT
