"""Fifty parents at once, more than the service's thread pool (40): every one is answered, none gets a 5xx.
(A dependency that held SQLite's write lock while its endpoint waited for a thread once stalled them all.)"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.e2e.conftest import Chat

PARENTS = 50


def test_fifty_parents_at_once_are_all_answered(base_url):
    def parent(n: int) -> list[int]:
        with httpx.Client(base_url=base_url, timeout=120) as http:
            chat = Chat(http)  # asserts that the chat started (201)
            return [chat.post(text=text).status_code for text in ("what is a family hub", "thanks")]

    with ThreadPoolExecutor(PARENTS) as pool:
        statuses = [s for result in pool.map(parent, range(PARENTS)) for s in result]
    assert statuses.count(200) == 2 * PARENTS, sorted(set(statuses))
