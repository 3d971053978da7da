"""The background thread that empties the early-help outbox while the service runs."""
from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import sessionmaker

from integrations.early_help.outbox import Backoff, Submit, deliver_due

logger = logging.getLogger(__name__)


class OutboxWorker:
    def __init__(self, sessions: sessionmaker, submit: Submit, *, poll_seconds: float, backoff: Backoff) -> None:
        self._sessions, self._submit, self._poll, self._backoff = sessions, submit, poll_seconds, backoff
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="early-help-outbox", daemon=True)

    def start(self) -> "OutboxWorker":
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                deliver_due(self._sessions, self._submit, backoff=self._backoff)
            except Exception:  # a bad round must not stop delivery for good: log it and try again next round
                logger.exception("early help outbox round failed")
            self._stopping.wait(self._poll)
