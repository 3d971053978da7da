"""Staff sign-in, roles, the urgent-first queue and the audit of every view."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from integrations.conversations.models import Conversation
from integrations.core.db import utcnow
from integrations.staff.models import AuditEntry
from tests.integrations.conftest import PASSWORD


def add_conversation(session, cid, **fields):
    conversation = Conversation(id=cid, channel=fields.pop("channel", "webchat"), **fields)
    session.add(conversation)
    session.commit()
    return conversation


def test_sign_in_gives_a_bearer_token(client, make_staff):
    make_staff("alice", "practitioner")
    body = client.post("/api/auth/token", data={"username": "alice", "password": PASSWORD}).json()
    assert body["token_type"] == "bearer" and body["access_token"]


def test_wrong_password_and_unknown_user_get_the_same_401(client, make_staff):
    make_staff("alice")
    wrong = client.post("/api/auth/token", data={"username": "alice", "password": "nope nope nope"})
    unknown = client.post("/api/auth/token", data={"username": "bob", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_five_failures_lock_the_account(client, make_staff, settings):
    make_staff("alice")
    for _ in range(settings.login_max_failures):
        client.post("/api/auth/token", data={"username": "alice", "password": "wrong password!"})
    locked = client.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
    assert locked.status_code == 401


def test_the_queue_is_urgent_first(client, session, staff_headers):
    now = utcnow()
    add_conversation(session, "c-old-l1", rhrt_level=1, handoff_status="queued", handoff_requested_at=now - timedelta(hours=3))
    add_conversation(session, "c-new-l1", rhrt_level=1, handoff_status="queued", handoff_requested_at=now - timedelta(hours=1))
    add_conversation(session, "c-l4", rhrt_level=4, handoff_status="queued", handoff_urgent=True, handoff_requested_at=now)
    add_conversation(session, "c-danger", rhrt_level=4, danger=True, handoff_status="queued", handoff_urgent=True, handoff_requested_at=now)
    add_conversation(session, "c-untriaged", handoff_status="queued", handoff_requested_at=now - timedelta(hours=5))
    add_conversation(session, "c-sms", channel="sms", rhrt_level=2)
    body = client.get("/api/conversations", params={"status": "queued"}, headers=staff_headers()).json()
    assert [c["conversation_id"] for c in body["conversations"]] == ["c-danger", "c-l4", "c-old-l1", "c-new-l1", "c-untriaged"]
    sms = client.get("/api/conversations", params={"channel": "sms"}, headers=staff_headers()).json()
    assert [c["conversation_id"] for c in sms["conversations"]] == ["c-sms"]


def test_a_conversation_in_full_and_the_view_is_audited(client, session, staff_headers):
    chat = client.post("/api/chat/conversations").json()
    client.post(
        f"/api/chat/conversations/{chat['conversation_id']}/messages",
        json={"text": "<script>alert(1)</script>"}, headers={"Authorization": f"Bearer {chat['token']}"},
    )
    body = client.get(f"/api/conversations/{chat['conversation_id']}", headers=staff_headers("practitioner", "pat")).json()
    assert body["channel"] == "webchat" and body["rhrt_level"] is None and body["danger"] is False
    assert body["handoff"] == {"status": "none", "urgent": False}
    assert body["concerns"] == [] and body["early_help_request"] is None
    assert [(m["seq"], m["from"], m["text"]) for m in body["messages"]][1] == (2, "parent", "<script>alert(1)</script>")
    views = session.scalars(select(AuditEntry).where(AuditEntry.action == "view_conversation")).all()
    assert [(v.actor, v.conversation_id) for v in views] == [("pat", chat["conversation_id"])]


def test_roles_and_tokens(client, session, staff_headers):
    add_conversation(session, "c1")
    assert client.get("/api/conversations/c1", headers=staff_headers("comms")).status_code == 403
    assert client.get("/api/conversations", headers=staff_headers("comms", "carol")).status_code == 403
    assert client.get("/api/conversations/c1", headers=staff_headers("admin")).status_code == 200
    assert client.get("/api/conversations/c1").status_code == 401
    assert client.get("/api/conversations/c1", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.get("/api/conversations/nope", headers=staff_headers("practitioner", "pam")).status_code == 404
