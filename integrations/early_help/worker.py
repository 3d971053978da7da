"""The background thread that empties the early-help outbox while the service runs."""
from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from integrations.core.worker import PollingWorker
from integrations.core.worker import Backoff
from integrations.early_help.outbox import Submit, deliver_due


class OutboxWorker(PollingWorker):
    def __init__(self, sessions: sessionmaker, submit: Submit, *, poll_seconds: float, backoff: Backoff) -> None:
        super().__init__("early-help-outbox", lambda: deliver_due(sessions, submit, backoff=backoff), poll_seconds=poll_seconds)
