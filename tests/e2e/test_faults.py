"""Faults while parents are talking: Rasa, the action server and the service killed (SIGKILL) and restarted,
one at a time, with conversations in flight; on the scale-out profile one of the two Rasa servers is killed, and
PostgreSQL is stopped and started.
Every parent message is stored and either answered or the parent is told, in words, to try again; /healthz
names the failing part. (The case API's outages are in test_early_help.py: no request lost or duplicated.)"""
from __future__ import annotations

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from integrations.conversations.turns import RASA_DOWN_TEXT
from integrations.core.http import DATABASE_DOWN
from tests.e2e.conftest import SCALED, Chat
from tests.e2e.test_sms import Phone

PARENTS = 4
PAUSE_SECONDS = 3.5  # between one parent's messages: under the 20-a-minute limit, like a person typing
TRY_AGAIN = (RASA_DOWN_TEXT, DATABASE_DOWN)


class Traffic:
    """PARENTS web chats writing one message after another until stopped; what each was told is kept."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.stopping = threading.Event()
        self.sent: dict[str, list[str]] = {}  # conversation id -> texts whose POST got an HTTP answer
        self.outcomes: list[tuple[int, str]] = []  # (status, what the parent was shown)
        self.network_errors = 0

    def _parent(self, n: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as http:
            chat = Chat(http)
            self.sent[chat.id] = []
            i = 0
            while not self.stopping.is_set():
                i += 1
                text = f"what is a family hub ({n}.{i})"
                try:
                    response = chat.post(text=text)
                except httpx.TransportError:
                    self.network_errors += 1  # the page says "that may not have sent, try again"
                    time.sleep(0.5)
                    continue
                if response.status_code == 200:
                    self.sent[chat.id].append(text)
                    self.outcomes.append((200, chat.text_of(response.json()["replies"])))
                else:
                    self.outcomes.append((response.status_code, response.json().get("detail", "")))
                time.sleep(PAUSE_SECONDS)

    def __enter__(self) -> "Traffic":
        self.pool = ThreadPoolExecutor(PARENTS)
        self.futures = [self.pool.submit(self._parent, n) for n in range(PARENTS)]
        return self

    def __exit__(self, *_exc) -> None:
        self.stopping.set()
        for future in self.futures:
            future.result(timeout=120)
        self.pool.shutdown()

    def check(self, http: httpx.Client, staff_headers: dict) -> None:
        """Each answer was a real one or 'please try again'; every accepted message is in the transcript."""
        assert self.outcomes, "no traffic got through"
        for status, shown in self.outcomes:
            assert status in (200, 503), (status, shown)
            assert status == 200 and "Family Hub" in shown or shown in TRY_AGAIN, shown
        for cid, texts in self.sent.items():
            stored = [m["text"] for m in http.get(f"/api/conversations/{cid}", headers=staff_headers).json()["messages"]
                      if m["from"] == "parent"]
            assert all(text in stored for text in texts), (texts, stored)


def wait_until(predicate, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def failing(http: httpx.Client) -> list[str]:
    try:
        return http.get("/healthz").json().get("failing", [])
    except httpx.TransportError:
        return ["service"]


def degraded(http: httpx.Client) -> list[str]:
    return http.get("/healthz").json().get("degraded", [])


@pytest.mark.parametrize("part, health_name", [("rasa", "rasa"), ("actions", "action_server")])
def test_rasa_or_the_action_server_killed_mid_conversation(stack, http, base_url, staff_headers, part, health_name):
    with Traffic(base_url) as traffic:
        time.sleep(2)
        stack.stop_part(part, kill=True)
        wait_until(lambda: health_name in failing(http), 30, f"/healthz to name {health_name}")
        time.sleep(PAUSE_SECONDS + 1)  # every parent writes at least once while it is down
        told = sum(1 for status, shown in traffic.outcomes if shown == RASA_DOWN_TEXT)
        stack.start_part(part, timeout=240)
        wait_until(lambda: failing(http) == [], 120, "/healthz to be ok again")
        time.sleep(2)
    assert told > 0, "nobody was told to try again while it was down"
    traffic.check(http, staff_headers)
    after = Chat(http)
    assert "Family Hub" in after.text_of(after.say("what is a family hub"))


@pytest.mark.skipif(not SCALED, reason="only the scale-out profile has more than one Rasa server")
def test_one_rasa_server_killed_the_other_answers_new_turns(stack, http, base_url, staff_headers):
    """A turn in flight on the killed server is told to try again (it may have been half done, so it is not sent
    twice); the service sends new turns to the server that answers, and /healthz is degraded, not failing."""
    second = stack.config.rasa_ports[1]
    with Traffic(base_url) as traffic:
        time.sleep(2)
        stack.stop_part("rasa", kill=True, port=second)
        wait_until(lambda: "rasa" in degraded(http), 30, "/healthz to report Rasa degraded")
        assert failing(http) == []
        fresh = Chat(http)
        for _ in range(4):  # round robin would send half of them to the dead server
            assert "Family Hub" in fresh.text_of(fresh.say("what is a family hub"))
        stack.start_part("rasa", port=second, timeout=240)
        wait_until(lambda: "rasa" not in degraded(http), 120, "/healthz to be ok again")
        time.sleep(2)
    traffic.check(http, staff_headers)


def test_the_service_killed_mid_conversation_loses_no_text(stack, http, base_url, staff_headers):
    phone = Phone(stack, http)
    try:
        with Traffic(base_url) as traffic:
            time.sleep(2)
            for n in range(3):
                assert phone.text(f"hi there {n}").status_code == 200
            stack.stop_part("service", kill=True)
            time.sleep(2)
            stack.start_part("service")
            time.sleep(2)
        traffic.check(http, staff_headers)
        # Every stored text is answered after the restart (texts being answered at the kill included).
        phone.wait_for(3, timeout=90)
        [conversation] = http.get("/api/conversations", params={"phone": phone.number}, headers=staff_headers).json()["conversations"]
        messages = http.get(f"/api/conversations/{conversation['conversation_id']}", headers=staff_headers).json()["messages"]
        assert [m["text"] for m in messages if m["from"] == "parent"] == [f"hi there {n}" for n in range(3)]
    finally:
        phone.close()


def _cluster() -> list[str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


@pytest.mark.skipif(not SCALED, reason="PostgreSQL is only used by the scale-out profile")
def test_postgresql_stopped_and_started_mid_conversation(stack, http, base_url, staff_headers):
    with Traffic(base_url) as traffic:
        time.sleep(2)
        subprocess.run([*_cluster(), "stop", "-m", "fast"], check=True, capture_output=True)
        try:
            wait_until(lambda: "database" in failing(http), 30, "/healthz to name the database")
            time.sleep(3)
        finally:
            subprocess.run([*_cluster(), "start"], check=True, capture_output=True)
        wait_until(lambda: failing(http) == [], 120, "/healthz to be ok again")
        time.sleep(3)
    assert any(shown in TRY_AGAIN for _, shown in traffic.outcomes), "nobody was told to try again while it was down"
    traffic.check(http, staff_headers)
