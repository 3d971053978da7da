"""The SMS channel: signed webhooks, idempotency, STOP/START/HELP, numbered choices, splitting, the outbound
worker through the real twilio library to the fake Twilio API, status callbacks and the safe-to-text rule."""
from __future__ import annotations

from sqlalchemy import select

from actions.sms import segments
from integrations.channels.sms.inbound import HELP_TEXT, NOT_SAFE_TEXT, START_TEXT, STOP_TEXT
from integrations.channels.sms.models import SmsOutbound
from integrations.channels.sms.outbound import SAFETY_QUESTION
from integrations.conversations.models import Conversation, Message
from integrations.conversations.service import append_message
from integrations.core.security import keyed_hash

DANGER = {"custom": {"frontdoor_event": "triage", "level": 4, "danger": True, "concerns": [
    {"id": "l4-parent-domestic-abuse-significant-harm", "domain": "parental capacity", "descriptor": "DA", "level": 4}]}}


def _parent_messages(session) -> list[Message]:
    return list(session.scalars(select(Message).where(Message.sender == "parent")))


def _conversation(session, settings, phone=None) -> Conversation:
    phone_hash = keyed_hash(settings.secret_key, phone or "+447700900123")
    return session.scalars(select(Conversation).where(Conversation.phone_hash == phone_hash)).one()


def test_a_signed_text_is_stored_and_answered_with_empty_twiml_without_waiting_for_rasa(sms, session, rasa, settings):
    response = sms.text("hi")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response/>")
    assert rasa.received == []  # the webhook only stores
    [message] = _parent_messages(session)
    assert (message.text, message.status) == ("hi", "received")
    conversation = _conversation(session, settings)
    assert conversation.channel == "sms" and conversation.phone == sms.PHONE
    sms.work()
    assert rasa.received[0]["metadata"] == {"channel": "sms"}
    assert sms.sent() == ["echo: hi"]
    assert message.status == "answered"


def test_tampered_unsigned_and_wrongly_addressed_texts_are_refused_and_not_stored(sms, session, settings):
    signed = {"MessageSid": "SM1", "From": sms.PHONE, "To": settings.twilio_from_number, "Body": "hi"}
    good = sms.validator.compute_signature(settings.public_base_url + "/webhooks/twilio/sms", signed)
    tampered = sms.post("/webhooks/twilio/sms", {**signed, "Body": "hi there"}, signature=good)
    unsigned = sms.text("hi", signature=None)
    # Signed for the address the service sees behind a proxy, not the public one Twilio called: refused.
    internal = sms.validator.compute_signature("http://testserver/webhooks/twilio/sms", signed)
    behind_proxy = sms.post("/webhooks/twilio/sms", signed, signature=internal)
    assert [r.status_code for r in (tampered, unsigned, behind_proxy)] == [403, 403, 403]
    assert _parent_messages(session) == []
    assert sms.post("/webhooks/twilio/sms", signed, signature=good).status_code == 200


def test_twilio_retrying_the_same_message_sid_stores_one_message_and_sends_one_reply(sms, session):
    for _ in range(3):
        assert sms.text("hi", sid="SM" + "7" * 32).status_code == 200
        sms.work()
    assert len(_parent_messages(session)) == 1
    assert sms.sent() == ["echo: hi"]


def test_one_conversation_per_phone_number(sms, session, settings):
    sms.text("hi")
    sms.text("again")
    sms.text("hello", phone="+447700900999")
    assert len(set(m.conversation_id for m in _parent_messages(session))) == 2
    assert _conversation(session, settings).phone_hash != sms.PHONE  # looked up by keyed hash


def test_stop_confirms_once_then_nothing_is_sent_until_start(sms, session, settings, rasa):
    assert sms.say("hi") == ["echo: hi"]
    assert sms.say("Stop") == [STOP_TEXT]
    assert _conversation(session, settings).sms_opted_out
    assert sms.say("are you there?") == []  # stored (and triaged by Rasa) but not answered by text
    assert rasa.received[-1]["message"] == "are you there?"
    append_message(session, conversation=_conversation(session, settings), sender="bot", text="Your reference is EH-1.")
    session.commit()
    sms.work()
    assert sms.sent()[-1] == STOP_TEXT
    assert sms.say("START") == [START_TEXT]
    assert sms.say("hello") == ["echo: hello"]


def test_every_stop_word_opts_out(sms, session, settings):
    for n, word in enumerate(["STOPALL", "unsubscribe", "Cancel", "end", "QUIT", "stop."]):
        phone = f"+4477009002{n:02d}"
        sms.text(word, phone=phone)
        sms.work()
        assert sms.sent(phone) == [STOP_TEXT]
        assert _conversation(session, settings, phone).sms_opted_out


def test_stop_cancels_texts_not_yet_sent(sms, session, settings):
    sms.say("hi")
    conversation = _conversation(session, settings)
    append_message(session, conversation=conversation, sender="bot", text="A later message.")
    session.commit()
    sms.text("STOP")
    from integrations.channels.sms.inbound import answer_received
    from integrations.channels.sms.outbound import queue_pending
    queue_pending(sms.app.state.sessions)  # the later message is queued but not sent yet...
    answer_received(sms.app.state.sessions, sms.app.state.rasa, per_minute=settings.sms_messages_per_minute)  # ...when STOP is answered
    sms.work()
    assert "A later message." not in sms.sent()
    assert sms.sent()[-1] == STOP_TEXT


def test_help_says_who_we_are_how_to_stop_and_999(sms):
    [reply] = sms.say("HELP")
    assert reply == HELP_TEXT
    assert "Family Hubs" in reply and "STOP" in reply and "999" in reply and segments(reply) <= 2


def test_buttons_become_numbered_choices_and_a_number_is_mapped_back_to_the_offered_payload(sms, rasa):
    rasa.reply = lambda body: [{"text": "Which hub?", "buttons": [
        {"title": "Aspire", "payload": "/choose_hub{\"hub\": \"aspire\"}"}, {"title": "The Moat", "payload": "/choose_hub{\"hub\": \"moat\"}"}]}]
    assert sms.say("nearest hub") == ["Which hub?\nReply 1 for Aspire, 2 for The Moat"]
    sms.say("2")
    assert rasa.received[-1]["message"] == '/choose_hub{"hub": "moat"}'
    sms.say("3")  # not offered: plain text, never a payload
    assert rasa.received[-1]["message"] == "3"
    rasa.reply = lambda body: [{"text": "How old is your child?"}]
    sms.say("hi")
    sms.say("1")  # the last message offered no choices: "1" is an answer
    assert rasa.received[-1]["message"] == "1"


def test_long_replies_are_split_at_sentence_boundaries_in_gsm_characters(sms, rasa):
    sentences = [f"Sentence number {n} says something useful about the hub \u2014 it\u2019s \u201cgood\u201d." for n in range(12)]
    rasa.reply = lambda body: [{"text": " ".join(sentences)}]
    parts = sms.say("tell me everything")
    assert len(parts) > 1
    assert all(segments(p) <= 2 for p in parts)
    assert all(p.endswith('"good".') for p in parts)  # every part ends where a sentence ends
    assert " ".join(parts) == " ".join(s.replace("\u2014", "-").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"') for s in sentences)


def test_the_worker_retries_when_twilio_fails_and_gives_up_on_a_refused_number(sms, session, twilio_fake):
    twilio_fake.post("/fake/fail-next", params={"count": 2, "status": 500})
    sms.say("hi")
    assert sms.sent() == []
    [outbound] = session.scalars(select(SmsOutbound)).all()
    assert (outbound.status, outbound.attempts) == ("pending", 1) and "500" in outbound.error
    sms.work()
    sms.work()
    assert sms.sent() == ["echo: hi"]
    assert (outbound.status, outbound.attempts, outbound.error) == ("queued", 3, None)
    twilio_fake.post("/fake/fail-next", params={"count": 1, "status": 400})
    sms.say("again")
    last = session.scalars(select(SmsOutbound).order_by(SmsOutbound.id.desc())).first()
    assert (last.status, last.attempts) == ("failed", 1)


def test_status_callbacks_record_delivery_and_must_be_signed(sms, session, settings):
    sms.say("hi")
    [outbound] = session.scalars(select(SmsOutbound)).all()
    params = {"MessageSid": outbound.twilio_sid, "MessageStatus": "delivered", "AccountSid": settings.twilio_account_sid}
    assert sms.post("/webhooks/twilio/status", params, signature=None).status_code == 403
    assert sms.post("/webhooks/twilio/status", params).status_code == 200
    assert outbound.status == "delivered"
    sms.post("/webhooks/twilio/status", {**params, "MessageStatus": "sent"})  # late and out of order
    assert outbound.status == "delivered"


def test_after_a_disclosure_unprompted_texts_wait_for_safe_to_text_and_never_go_if_not_safe(sms, session, settings, rasa):
    rasa.reply = lambda body: [DANGER, {"text": "If you are in danger now, call 999."}]
    assert sms.say("he hit me") == ["If you are in danger now, call 999."]  # replies always go
    conversation = _conversation(session, settings)
    practitioner = append_message(session, conversation=conversation, sender="practitioner", text="Hi, this is Sam at Aspire.")
    session.commit()
    sms.work()
    [question] = sms.sent()[1:]
    assert question.startswith(SAFETY_QUESTION) and "Reply 1 for it is safe, 2 for it is not safe" in question
    assert practitioner.delivery == "held"
    assert sms.say("2") == [NOT_SAFE_TEXT]
    assert practitioner.delivery == "withheld"
    append_message(session, conversation=conversation, sender="bot", text="Your reference is EH-2026-000001.")
    session.commit()
    sms.work()
    assert "EH-2026" not in " ".join(sms.sent())
    rasa.reply = lambda body: [{"text": "echo"}]
    assert sms.say("hello?") == ["echo"]  # the parent's own texts are still answered


def test_a_held_text_goes_once_the_parent_says_it_is_safe(sms, session, settings, rasa):
    rasa.reply = lambda body: [DANGER, {"text": "Call 999."}]
    sms.say("he hit me")
    append_message(session, conversation=_conversation(session, settings), sender="practitioner", text="Hi, this is Sam.")
    session.commit()
    sms.work()
    assert sms.say("yes") == ["Thank you. Here is the message we had for you.", "Hi, this is Sam."]
    assert _conversation(session, settings).sms_safe_to_text is True


def test_without_a_disclosure_unprompted_texts_go_at_once(sms, session, settings):
    sms.say("hi")
    append_message(session, conversation=_conversation(session, settings), sender="bot", text="Your reference is EH-1.")
    session.commit()
    sms.work()
    assert sms.sent()[-1] == "Your reference is EH-1."
