"""SMS end to end: signed Twilio webhooks (twilio's RequestValidator and the stack's auth token) against the
real service, Rasa and action server; replies land in the fake Twilio API through the real twilio library."""
from __future__ import annotations

import itertools
import time

import httpx
import pytest
from twilio.request_validator import RequestValidator

from integrations.channels.sms.inbound import HELP_TEXT, START_TEXT, STOP_TEXT

_numbers = itertools.count(100)
_sids = itertools.count(1)


class Phone:
    """A parent's phone: texts the service as Twilio would, and reads what the fake Twilio API was asked to send."""

    def __init__(self, stack, http: httpx.Client):
        self.stack, self.http = stack, http
        self.number = f"+4477009{next(_numbers):05d}"
        self.validator = RequestValidator(stack.config.secrets["TWILIO_AUTH_TOKEN"])
        config = stack.config
        self.fake = httpx.Client(base_url=config.twilio_fake_url, auth=(config.twilio_account_sid, config.secrets["TWILIO_AUTH_TOKEN"]), timeout=10)

    def close(self) -> None:
        self.fake.close()

    def text(self, body: str, *, sid: str | None = None, tamper: bool = False) -> httpx.Response:
        sid = sid or f"SM{next(_sids):08d}{time.time_ns():024d}"
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.stack.config.twilio_account_sid, "From": self.number,
                  "To": "+447700900000", "Body": body, "NumMedia": "0"}
        signature = self.validator.compute_signature(self.stack.config.service_url + "/webhooks/twilio/sms", params)
        if tamper:
            params["Body"] = body + " (changed)"
        return self.http.post("/webhooks/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})

    def received(self) -> list[str]:
        path = f"/2010-04-01/Accounts/{self.stack.config.twilio_account_sid}/Messages.json"
        return [m["body"] for m in self.fake.get(path, params={"To": self.number}).json()["messages"]]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(texts := self.received()) >= count:
                return texts
            time.sleep(0.2)
        raise AssertionError(f"expected {count} text(s), got {self.received()}")

    def say(self, body: str, *, expect: int = 1) -> list[str]:
        before = len(self.received())
        response = self.text(body)
        assert response.status_code == 200 and response.text.endswith("<Response/>"), response.text
        return self.wait_for(before + expect)[before:]


@pytest.fixture
def phone(stack, http):
    phone = Phone(stack, http)
    yield phone
    phone.close()


def _sms_conversation(http, staff_headers, number: str) -> dict | None:
    found = http.get("/api/conversations", params={"channel": "sms", "phone": number}, headers=staff_headers).json()["conversations"]
    if not found:
        return None
    return http.get(f"/api/conversations/{found[0]['conversation_id']}", headers=staff_headers).json()


def test_hi_is_answered_by_text(phone):
    texts = phone.say("hi")
    assert "Family Hubs assistant" in texts[0]
    phone.wait_for(2)  # the greeting's buttons, as numbered choices
    assert phone.received()[-1].startswith("Reply 1 for ")


def test_a_tampered_text_is_refused_and_nothing_is_stored(phone, http, staff_headers):
    assert phone.text("hi", tamper=True).status_code == 403
    assert _sms_conversation(http, staff_headers, phone.number) is None
    time.sleep(1)
    assert phone.received() == []


def test_the_same_message_sid_three_times_is_one_message_and_one_reply(phone, http, staff_headers):
    sid = "SM" + "e2e" * 10 + "00"
    for _ in range(3):
        assert phone.text("hello", sid=sid).status_code == 200
    phone.wait_for(1)
    time.sleep(3)  # a second reply would have arrived by now
    conversation = _sms_conversation(http, staff_headers, phone.number)
    assert [m["text"] for m in conversation["messages"] if m["from"] == "parent"] == ["hello"]
    texts = phone.received()
    assert len(texts) == len(set(texts)) <= 2  # one reply (its text, and its numbered choices), never twice


def test_stop_silences_the_number_until_start(phone):
    phone.say("hi")
    assert phone.say("STOP") == [STOP_TEXT]
    assert phone.text("hello, are you there?").status_code == 200
    time.sleep(3)
    assert phone.received()[-1] == STOP_TEXT
    assert phone.say("START") == [START_TEXT]
    assert phone.say("hi")


def test_help_is_answered(phone):
    assert phone.say("HELP") == [HELP_TEXT]


def test_a_level_4_disclosure_by_text_gets_the_999_line_first(phone, http, staff_headers):
    texts = phone.say("my partner punched my son last night and he has bruises on his face")
    assert "999" in texts[0], texts
    conversation = _sms_conversation(http, staff_headers, phone.number)
    assert conversation["rhrt_level"] == 4


def test_the_status_callback_is_signed_and_checked(stack, http):
    # The fake Twilio API posts signed "sent" and "delivered" callbacks after every text; an unsigned one is refused.
    assert http.post("/webhooks/twilio/status", data={"MessageSid": "SM1", "MessageStatus": "delivered"}).status_code == 403


def test_the_webhook_answers_fast_while_rasa_takes_20_seconds(stack, http):
    stack.stop_part("service")
    stack.start_part("service", env={"RASA_TEST_DELAY_SECONDS": "20"})
    phone = Phone(stack, http)
    try:
        started = time.monotonic()
        response = phone.text("hi")
        took = time.monotonic() - started
        assert response.status_code == 200 and response.text.endswith("<Response/>")
        print(f"\nwebhook answered in {took * 1000:.0f} ms with Rasa slowed by 20 s")
        assert took < 2.0
        assert phone.received() == []
        texts = phone.wait_for(1, timeout=45)
        assert time.monotonic() - started >= 20
        assert "Family Hubs assistant" in texts[0]
    finally:
        phone.close()
        stack.stop_part("service")
        stack.start_part("service")
