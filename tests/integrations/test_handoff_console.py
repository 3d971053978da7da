"""Practitioners' actions on a handed-off conversation: take, reply (web chat and SMS), notes, hand back,
close with an outcome; roles, CSRF with the browser cookie, and the audit of every view and action."""
from __future__ import annotations

from sqlalchemy import select

from integrations.conversations.models import Conversation
from integrations.handoff.service import PERSON_JOINED, PERSON_LEFT
from integrations.staff.models import AuditEntry
from integrations.staff.sessions import CSRF_HEADER
from tests.integrations.conftest import PASSWORD

HANDOFF = {"custom": {"frontdoor_event": "handoff", "urgent": True, "reason": "triage: level 4", "hub": "harmony"}}


def handed_off_chat(client, rasa) -> tuple[str, dict]:
    """A parent's web chat that the bot handed to a person."""
    created = client.post("/api/chat/conversations").json()
    parent = {"Authorization": f"Bearer {created['token']}"}
    rasa.reply = lambda body: [HANDOFF, {"text": "A person will read this."}]
    client.post(f"/api/chat/conversations/{created['conversation_id']}/messages", json={"text": "help"}, headers=parent)
    rasa.reply = lambda body: [{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}]
    return created["conversation_id"], parent


def parent_view(client, cid, parent) -> dict:
    return client.get(f"/api/chat/conversations/{cid}/messages", headers=parent).json()


def actions_of(session, cid) -> list[str]:
    return session.scalars(select(AuditEntry.action).where(AuditEntry.conversation_id == cid).order_by(AuditEntry.id)).all()


def test_take_silences_the_bot_and_tells_the_parent_a_person_is_reading(client, rasa, staff_headers, session):
    cid, parent = handed_off_chat(client, rasa)
    staff = staff_headers("practitioner", "sam")
    body = client.post(f"/api/conversations/{cid}/take", headers=staff).json()
    assert body["handoff"]["status"] == "taken" and body["assigned_to"] == "sam" and body["hub_id"] == "harmony"
    view = parent_view(client, cid, parent)
    assert view["person_replying"] is True and view["messages"][-1]["text"] == PERSON_JOINED
    calls = len(rasa.received)
    client.post(f"/api/chat/conversations/{cid}/messages", json={"text": "are you there"}, headers=parent)
    assert len(rasa.received) == calls  # the bot stayed silent
    assert actions_of(session, cid) == ["take"]


def test_a_reply_reaches_the_parents_chat(client, rasa, staff_headers):
    cid, parent = handed_off_chat(client, rasa)
    staff = staff_headers()
    client.post(f"/api/conversations/{cid}/take", headers=staff)
    reply = client.post(f"/api/conversations/{cid}/messages", json={"text": "Hello, I'm Pat from Harmony."}, headers=staff)
    assert reply.status_code == 200
    last = parent_view(client, cid, parent)["messages"][-1]
    assert (last["from"], last["text"]) == ("practitioner", "Hello, I'm Pat from Harmony.")


def test_replying_without_taking_takes_it_first(client, rasa, staff_headers):
    cid, parent = handed_off_chat(client, rasa)
    body = client.post(f"/api/conversations/{cid}/messages", json={"text": "Hi"}, headers=staff_headers()).json()
    assert body["handoff"]["status"] == "taken"
    assert [m["text"] for m in body["messages"][-2:]] == [PERSON_JOINED, "Hi"]


def test_another_practitioner_cannot_take_or_reply_to_a_taken_conversation(client, rasa, staff_headers):
    cid, _ = handed_off_chat(client, rasa)
    client.post(f"/api/conversations/{cid}/take", headers=staff_headers("practitioner", "sam"))
    other = staff_headers("practitioner", "kim")
    for path, body in (("/take", None), ("/messages", {"text": "hi"}), ("/hand-back", None)):
        response = client.post(f"/api/conversations/{cid}{path}", json=body, headers=other)
        assert response.status_code == 409 and "sam has this conversation" in response.json()["detail"]


def test_an_empty_reply_or_note_is_refused_with_a_clear_message(client, rasa, staff_headers):
    cid, _ = handed_off_chat(client, rasa)
    staff = staff_headers()
    reply = client.post(f"/api/conversations/{cid}/messages", json={"text": "   "}, headers=staff)
    assert reply.status_code == 422 and reply.json()["detail"] == "Type a reply before sending."
    note = client.post(f"/api/conversations/{cid}/notes", json={"text": ""}, headers=staff)
    assert note.status_code == 422 and note.json()["detail"] == "Type a note before saving."


def test_hand_back_lets_the_bot_answer_the_next_message(client, rasa, staff_headers, session):
    cid, parent = handed_off_chat(client, rasa)
    staff = staff_headers()
    client.post(f"/api/conversations/{cid}/take", headers=staff)
    body = client.post(f"/api/conversations/{cid}/hand-back", headers=staff).json()
    assert body["handoff"]["status"] == "none" and body["assigned_to"] is None
    view = parent_view(client, cid, parent)
    assert view["person_replying"] is False and view["messages"][-1]["text"] == PERSON_LEFT
    replies = client.post(f"/api/chat/conversations/{cid}/messages", json={"text": "thanks"}, headers=parent).json()["replies"]
    assert replies == [{"text": "echo: thanks", "buttons": []}]
    assert actions_of(session, cid) == ["take", "hand_back"]


def test_close_needs_a_known_outcome_and_is_recorded(client, rasa, staff_headers, session):
    cid, _ = handed_off_chat(client, rasa)
    staff = staff_headers("practitioner", "sam")
    client.post(f"/api/conversations/{cid}/take", headers=staff)
    assert client.post(f"/api/conversations/{cid}/close", json={"outcome": "whatever"}, headers=staff).status_code == 422
    body = client.post(f"/api/conversations/{cid}/close", json={"outcome": "signposted"}, headers=staff).json()
    assert (body["handoff"]["status"], body["outcome"], body["closed_by"]) == ("closed", "signposted", "sam")
    assert client.post(f"/api/conversations/{cid}/close", json={"outcome": "signposted"}, headers=staff).status_code == 409
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()
    assert (entry.actor, entry.conversation_id, entry.detail) == ("sam", cid, {"outcome": "signposted"})


def test_notes_are_for_practitioners_only(client, rasa, staff_headers):
    cid, parent = handed_off_chat(client, rasa)
    body = client.post(f"/api/conversations/{cid}/notes", json={"text": "Known to the school nurse."}, headers=staff_headers("practitioner", "sam")).json()
    assert [(n["author"], n["text"]) for n in body["notes"]] == [("sam", "Known to the school nurse.")]
    assert "Known to the school nurse." not in str(parent_view(client, cid, parent))


def test_a_comms_user_cannot_open_or_act_on_conversations(client, rasa, staff_headers):
    cid, _ = handed_off_chat(client, rasa)
    comms = staff_headers("comms")
    assert client.get("/api/conversations", headers=comms).status_code == 403
    assert client.get(f"/api/conversations/{cid}", headers=comms).status_code == 403
    for path in ("/take", "/hand-back"):
        assert client.post(f"/api/conversations/{cid}{path}", headers=comms).status_code == 403
    assert client.post(f"/api/conversations/{cid}/messages", json={"text": "hi"}, headers=comms).status_code == 403


def test_only_admins_read_the_audit_log_and_every_view_is_in_it(client, rasa, staff_headers):
    cid, _ = handed_off_chat(client, rasa)
    client.get(f"/api/conversations/{cid}", headers=staff_headers("practitioner", "sam"))
    assert client.get("/api/audit", headers=staff_headers("practitioner", "kim")).status_code == 403
    entries = client.get("/api/audit", params={"conversation_id": cid}, headers=staff_headers("admin")).json()["entries"]
    assert [(e["actor"], e["action"]) for e in entries] == [("sam", "view_conversation")]


def test_acting_with_the_browser_cookie_needs_the_csrf_token(client, rasa, make_staff):
    cid, _ = handed_off_chat(client, rasa)
    make_staff("sam", "practitioner")
    csrf = client.post("/api/auth/session", data={"username": "sam", "password": PASSWORD}).json()["csrf_token"]
    assert client.post(f"/api/conversations/{cid}/take").status_code == 403
    assert client.post(f"/api/conversations/{cid}/take", headers={CSRF_HEADER: csrf}).status_code == 200


def test_the_queue_filters_and_counts(client, rasa, staff_headers, session):
    cid, _ = handed_off_chat(client, rasa)
    session.add(Conversation(id="c-sms-l2", channel="sms", rhrt_level=2, handoff_status="queued"))
    session.add(Conversation(id="c-closed", channel="webchat", rhrt_level=3, handoff_status="closed"))
    session.commit()
    staff = staff_headers()

    def ids(**params):
        return [c["conversation_id"] for c in client.get("/api/conversations", params=params, headers=staff).json()["conversations"]]

    assert set(ids(status="open")) == {cid, "c-sms-l2"}
    assert ids(status="open", hub="harmony") == [cid]
    assert ids(level=2) == ["c-sms-l2"] and ids(channel="sms") == ["c-sms-l2"]
    counts = client.get("/api/conversations", headers=staff).json()["counts"]
    assert counts == {"queued": 2, "taken": 0, "urgent_queued": 1, "danger_queued": 0}
    waiting = client.get("/api/conversations", params={"status": "queued"}, headers=staff).json()["conversations"]
    assert all(c["waiting_seconds"] is not None and c["waiting_seconds"] >= 0 for c in waiting if c["conversation_id"] == cid)


def test_an_sms_reply_is_texted_and_an_opted_out_number_gets_nothing(sms, client, staff_headers, session, settings, rasa):
    rasa.reply = lambda body: [HANDOFF, {"text": "A person will read this."}]
    sms.say("I need to talk to someone")
    cid = session.scalars(select(Conversation.id).where(Conversation.channel == "sms")).one()
    staff = staff_headers()
    client.post(f"/api/conversations/{cid}/messages", json={"text": "Hi, this is Pat from Harmony."}, headers=staff)
    sms.work()
    assert sms.sent()[-2:] == [PERSON_JOINED, "Hi, this is Pat from Harmony."]

    sms.say("STOP")
    before = len(sms.sent())
    body = client.post(f"/api/conversations/{cid}/messages", json={"text": "Are you OK?"}, headers=staff).json()
    sms.work()
    assert len(sms.sent()) == before
    assert body["sms"]["opted_out"] is True
    assert session.get(Conversation, cid).messages[-1].delivery == "suppressed"
