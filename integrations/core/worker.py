"""A background thread that runs one round of work, then waits for the next poll (or an early wake-up)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class PollingWorker:
    def __init__(self, name: str, run_round: Callable[[], object], *, poll_seconds: float) -> None:
        self._name, self._round, self._poll = name, run_round, poll_seconds
        self._stopping, self._woken = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "PollingWorker":
        self._thread.start()
        return self

    def wake(self) -> None:
        """Run the next round now rather than at the next poll (new work was just stored)."""
        self._woken.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        self._woken.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._round()
            except Exception:  # a bad round must not stop the work for good: log it and try again next round
                logger.exception("%s round failed", self._name)
            self._woken.wait(self._poll)
            self._woken.clear()
