"""Logs are JSON lines and carry neither what parents wrote nor their phone numbers."""
from __future__ import annotations

import json
import logging
import sys

from integrations.core.logs import JsonFormatter, mask_phone_numbers
from tests.integrations.conftest import Sms

PHONE = Sms.PHONE

SECRET_WORDS = "my husband hit me last night"


def test_phone_shaped_numbers_are_masked():
    for number in ("+447700900123", "07700 900123", "0044 7700 900 123", "(024) 7678 8555"):
        assert mask_phone_numbers(f"texted {number} today") == "texted [number] today"
    assert mask_phone_numbers("conversation 3f2a-91 took 250 ms") == "conversation 3f2a-91 took 250 ms"


def test_an_exception_is_logged_as_its_type_and_stack_without_its_message():
    try:
        raise ValueError(f"INSERT failed for {SECRET_WORDS!r} from {PHONE}")
    except ValueError:
        record = logging.LogRecord("integrations.x", logging.ERROR, __file__, 1, "round failed", (), exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["error"] == "ValueError" and entry["message"] == "round failed" and entry["stack"]
    assert SECRET_WORDS not in json.dumps(entry) and PHONE not in json.dumps(entry)


def test_a_texted_conversation_leaves_no_words_or_number_in_the_logs(sms, client, caplog, rasa):
    caplog.set_level(logging.DEBUG)
    rasa.reply = lambda body: [{"text": "Thank you for telling me."}]
    sms.say(SECRET_WORDS)
    created = client.post("/api/chat/conversations").json()
    client.post(f"/api/chat/conversations/{created['conversation_id']}/messages", json={"text": SECRET_WORDS},
                headers={"Authorization": f"Bearer {created['token']}"})
    formatter = JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records if r.name.startswith(("integrations", "frontdoor"))]
    assert lines, "the turn should have been logged"
    for line in lines:
        json.loads(line)
        assert SECRET_WORDS not in line and PHONE not in line and PHONE[3:] not in line
