"""The web chat API of CONTRACT.md, including every kind of bad input."""
from __future__ import annotations

from sqlalchemy import select

from integrations.conversations.models import Conversation, Message
from integrations.conversations.turns import RASA_DOWN_GREETING, RASA_DOWN_TEXT
from integrations.core.db import get_session


def start(client) -> tuple[str, dict]:
    response = client.post("/api/chat/conversations")
    assert response.status_code == 201
    body = response.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def send(client, conversation_id, headers, **body):
    return client.post(f"/api/chat/conversations/{conversation_id}/messages", json=body, headers=headers)


def stored(session, conversation_id) -> list[Message]:
    return list(session.scalars(select(Message).where(Message.conversation_id == conversation_id).order_by(Message.seq)))


def test_start_greets_without_storing_a_parent_message(client, rasa, session):
    rasa.reply = lambda body: [{"text": "Hello, I'm a computer.", "buttons": [{"title": "Find my nearest hub", "payload": "/find_hub"}]}]
    response = client.post("/api/chat/conversations")
    body = response.json()
    assert body["replies"] == [{"text": "Hello, I'm a computer.", "buttons": [{"title": "Find my nearest hub", "payload": "/find_hub"}]}]
    assert rasa.received[0]["message"] == "/greet"
    assert [(m.sender, m.seq) for m in stored(session, body["conversation_id"])] == [("bot", 1)]


def test_a_message_is_stored_verbatim_then_answered(client, rasa, session):
    conversation_id, headers = start(client)
    text = "<b>hi</b> 'quoted' 😀 DROP TABLE messages; --"
    response = send(client, conversation_id, headers, text=text)
    assert response.status_code == 200
    assert response.json() == {"replies": [{"text": f"echo: {text}", "buttons": []}]}
    parent = [m for m in stored(session, conversation_id) if m.sender == "parent"]
    assert [(m.text, m.status) for m in parent] == [(text, "answered")]
    assert rasa.received[-1]["metadata"] == {"channel": "webchat"}


def test_a_leading_slash_never_reaches_rasa_as_an_intent(client, rasa, session):
    conversation_id, headers = start(client)
    send(client, conversation_id, headers, text="/restart")
    send(client, conversation_id, headers, text="  //greet{\"x\": 1}")
    assert [b["message"] for b in rasa.received[1:]] == ["restart", 'greet{"x": 1}']
    assert [m.text for m in stored(session, conversation_id) if m.sender == "parent"] == ["/restart", '  //greet{"x": 1}']


def test_empty_and_whitespace_messages_are_refused_clearly(client):
    conversation_id, headers = start(client)
    for text in ("", "   \n "):
        response = send(client, conversation_id, headers, text=text)
        assert response.status_code == 422
        assert response.json() == {"detail": "Please type a message before sending."}


def test_long_messages_are_kept_up_to_the_limit_and_refused_beyond_it(client, session, settings):
    conversation_id, headers = start(client)
    limit = settings.max_message_chars
    assert send(client, conversation_id, headers, text="a" * limit).status_code == 200
    response = send(client, conversation_id, headers, text="a" * (limit + 1))
    assert response.status_code == 413
    assert "too long" in response.json()["detail"]
    assert len([m for m in stored(session, conversation_id) if m.sender == "parent"]) == 1


def test_a_huge_body_is_refused_before_parsing(client):
    conversation_id, headers = start(client)
    response = send(client, conversation_id, headers, text="a" * 100_000)
    assert response.status_code == 413
    assert response.json() == {"detail": "That request is too large."}


def test_only_payloads_offered_in_the_conversation_are_accepted(client, rasa, session):
    rasa.reply = lambda body: [{"text": "Pick one", "buttons": [{"title": "Talk to a person", "payload": "/request_human"}]}]
    conversation_id, headers = start(client)
    refused = send(client, conversation_id, headers, payload="/restart")
    assert refused.status_code == 400
    assert isinstance(refused.json()["detail"], str)
    accepted = send(client, conversation_id, headers, payload="/request_human")
    assert accepted.status_code == 200
    assert rasa.received[-1]["message"] == "/request_human"
    parent = [m for m in stored(session, conversation_id) if m.sender == "parent"]
    assert [(m.text, m.payload) for m in parent] == [("Talk to a person", "/request_human")]


def test_text_and_payload_together_or_neither_are_refused(client):
    conversation_id, headers = start(client)
    for body in ({}, {"text": "hi", "payload": "/greet"}):
        response = send(client, conversation_id, headers, **body)
        assert response.status_code == 422
        assert isinstance(response.json()["detail"], str)


def test_malformed_json_and_unknown_fields_get_a_string_detail(client):
    conversation_id, headers = start(client)
    bad_json = client.post(
        f"/api/chat/conversations/{conversation_id}/messages", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert bad_json.status_code == 422 and isinstance(bad_json.json()["detail"], str)
    extra = send(client, conversation_id, headers, text="hi", admin=True)
    assert extra.status_code == 422 and isinstance(extra.json()["detail"], str)


def test_wrong_or_missing_token_is_401_and_stores_nothing(client, session):
    conversation_id, headers = start(client)
    for bad in ({"Authorization": "Bearer nope"}, {}, {"Authorization": headers["Authorization"].replace("Bearer", "Basic")}):
        assert send(client, conversation_id, bad, text="hello").status_code == 401
        assert client.get(f"/api/chat/conversations/{conversation_id}/messages", headers=bad).status_code == 401
    assert send(client, "no-such-id", headers, text="hello").status_code == 401
    assert [m.sender for m in stored(session, conversation_id)] == ["bot"]


def test_history_returns_messages_after_a_seq(client):
    conversation_id, headers = start(client)
    send(client, conversation_id, headers, text="hello")
    response = client.get(f"/api/chat/conversations/{conversation_id}/messages", params={"after": 1}, headers=headers)
    assert response.json() == {
        "messages": [
            {"seq": 2, "from": "parent", "text": "hello", "buttons": []},
            {"seq": 3, "from": "bot", "text": "echo: hello", "buttons": []},
        ],
        "person_replying": False,
    }
    assert client.get(f"/api/chat/conversations/{conversation_id}/messages", params={"after": -1}, headers=headers).status_code == 422


def test_when_rasa_is_down_the_message_is_kept_and_the_parent_told_to_retry(client, rasa, session):
    conversation_id, headers = start(client)
    rasa.down = True
    response = send(client, conversation_id, headers, text="is anyone there")
    assert response.status_code == 200
    assert response.json() == {"replies": [{"text": RASA_DOWN_TEXT, "buttons": []}]}
    parent = [m for m in stored(session, conversation_id) if m.sender == "parent"]
    assert [(m.text, m.status) for m in parent] == [("is anyone there", "failed")]


def test_when_rasa_says_nothing_an_action_failed_and_the_parent_is_told_to_retry(client, rasa, session):
    conversation_id, headers = start(client)
    rasa.reply = lambda body: []  # what Rasa returns when the action server is down
    response = send(client, conversation_id, headers, text="whats on at harmony")
    assert response.json() == {"replies": [{"text": RASA_DOWN_TEXT, "buttons": []}]}
    parent = [m for m in stored(session, conversation_id) if m.sender == "parent"]
    assert [(m.text, m.status) for m in parent] == [("whats on at harmony", "failed")]


def test_a_handoff_control_payload_queues_the_conversation_and_is_not_shown(client, rasa, session):
    conversation_id, headers = start(client)
    rasa.reply = lambda body: [
        {"custom": {"frontdoor_event": "handoff", "urgent": False, "reason": "parent asked for a person"}},
        {"text": "I've passed your messages to the Family Hub team."},
    ]
    response = send(client, conversation_id, headers, text="i want a real person")
    assert response.json() == {"replies": [{"text": "I've passed your messages to the Family Hub team.", "buttons": []}]}
    conversation = session.get(Conversation, conversation_id)
    assert (conversation.handoff_status, conversation.handoff_urgent, conversation.handoff_reason) == ("queued", False, "parent asked for a person")
    assert conversation.handoff_requested_at is not None


def test_the_chat_page_is_served_with_the_exit_url_and_a_strict_csp(client, settings):
    response = client.get("/")
    assert response.status_code == 200
    assert f'data-exit-url="{settings.quick_exit_url}"' in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/static/chat.js").status_code == 200


def test_when_rasa_is_down_at_the_start_the_parent_still_gets_a_safe_answer(client, rasa):
    rasa.down = True
    response = client.post("/api/chat/conversations")
    assert response.status_code == 201
    assert response.json()["replies"] == [{"text": RASA_DOWN_GREETING, "buttons": []}]


def test_when_the_database_is_down_the_parent_gets_503_with_the_999_line(app, client):
    from sqlalchemy.exc import OperationalError

    from integrations.core.http import DATABASE_DOWN

    def broken_session():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("server closed the connection"))
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = broken_session
    response = client.post("/api/chat/conversations")
    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_DOWN} and "999" in DATABASE_DOWN
