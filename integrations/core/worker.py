"""A background thread that runs one round of work, then waits for the next poll (or an early wake-up)."""
from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

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


@dataclass(frozen=True)
class Backoff:
    """When to try again after a failed delivery (the early-help outbox, outbound texts)."""

    base_seconds: float = 2.0
    max_seconds: float = 300.0
    lease_seconds: float = 60.0  # longer than one attempt can take: another worker leaves it alone meanwhile

    def after(self, attempts: int) -> timedelta:
        """Exponential with +-20 % jitter, so many waiting requests do not all retry at once."""
        delay = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        return timedelta(seconds=delay * random.uniform(0.8, 1.2))
