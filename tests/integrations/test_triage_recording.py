"""The service records what action_triage decided: highest level, sticky danger, concerns once each."""
from __future__ import annotations

from integrations.conversations.control import apply_control
from integrations.conversations.models import Conversation

HIT = {"id": "l4-parent-non-accidental-injury", "domain": "parent", "descriptor": "Suspected non-accidental injury.", "level": 4}
MONEY = {"id": "l2-family-low-income", "domain": "family", "descriptor": "Family affected by low income or unemployment.", "level": 2}


def conversation(session) -> Conversation:
    c = Conversation(id="c-triage", channel="webchat")
    session.add(c)
    session.flush()
    return c


def test_level_is_the_highest_so_far_and_danger_is_sticky(session):
    c = conversation(session)
    apply_control(session, c, {"frontdoor_event": "triage", "level": 4, "danger": True, "concerns": [HIT]})
    apply_control(session, c, {"frontdoor_event": "triage", "level": 2, "danger": False, "concerns": [MONEY, HIT]})
    session.flush()
    assert (c.rhrt_level, c.danger) == (4, True)
    assert [(x.descriptor_id, x.level) for x in c.concerns] == [(HIT["id"], 4), (MONEY["id"], 2)]


def test_malformed_payloads_are_ignored_not_fatal(session):
    c = conversation(session)
    apply_control(session, c, {"frontdoor_event": "triage", "level": "high", "danger": False, "concerns": [{"id": "x"}, "nonsense", {"id": "y", "level": 9}]})
    apply_control(session, c, {"frontdoor_event": "bogus"})
    session.flush()
    assert (c.rhrt_level, c.danger, c.concerns) == (None, False, [])


def test_the_staff_api_shows_why(client, rasa, session, staff_headers):
    rasa.reply = lambda body: [
        {"custom": {"frontdoor_event": "triage", "level": 4, "danger": False, "concerns": [HIT]}},
        {"custom": {"frontdoor_event": "handoff", "urgent": True, "reason": "triage: level 4"}},
        {"text": "Thank you for telling me."},
    ]
    chat = client.post("/api/chat/conversations").json()
    client.post(f"/api/chat/conversations/{chat['conversation_id']}/messages", json={"text": "he punched my son"}, headers={"Authorization": f"Bearer {chat['token']}"})
    body = client.get(f"/api/conversations/{chat['conversation_id']}", headers=staff_headers()).json()
    assert (body["rhrt_level"], body["danger"], body["handoff"]) == (4, False, {"status": "queued", "urgent": True})
    assert body["concerns"] == [{"domain": "parent", "descriptor": "Suspected non-accidental injury.", "level": 4, "descriptor_id": HIT["id"]}]
