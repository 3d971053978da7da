"""The SMS worker: one thread answers stored texts (Rasa may be slow), another queues and sends replies."""
from __future__ import annotations

from fastapi import FastAPI

from integrations.channels.sms import inbound, outbound
from integrations.channels.sms.twilio_api import TwilioSender
from integrations.core.settings import Settings
from integrations.core.worker import PollingWorker
from integrations.core.worker import Backoff


def start(app: FastAPI, settings: Settings, *, send: outbound.Send | None = None) -> list[PollingWorker]:
    sessions, rasa = app.state.sessions, app.state.rasa
    send = send or TwilioSender.from_settings(settings)
    backoff = Backoff(base_seconds=settings.sms_retry_base_seconds, max_seconds=settings.sms_retry_max_seconds,
                      lease_seconds=settings.twilio_timeout_seconds + 30)

    def send_round() -> None:
        outbound.queue_pending(sessions)
        outbound.deliver_due(sessions, send, backoff=backoff, max_attempts=settings.sms_max_attempts)

    sender = app.state.sms_outbound = PollingWorker("sms-outbound", send_round, poll_seconds=settings.sms_poll_seconds)

    def answer_round() -> None:
        if inbound.answer_received(sessions, rasa, per_minute=settings.sms_messages_per_minute):
            sender.wake()

    inbound.recover(sessions)
    answerer = app.state.sms_inbound = PollingWorker("sms-inbound", answer_round, poll_seconds=settings.sms_poll_seconds)
    return [sender.start(), answerer.start()]
