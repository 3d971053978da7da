"""Fifty parents at once, more than the service's thread pool (40): every one is answered, none gets a 5xx.
(A dependency that held SQLite's write lock while its endpoint waited for a thread once stalled them all.)"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

PARENTS = 50


def test_fifty_parents_at_once_are_all_answered(base_url):
    def parent(n: int) -> list[int]:
        with httpx.Client(base_url=base_url, timeout=120) as http:
            created = http.post("/api/chat/conversations")
            if created.status_code != 201:
                return [created.status_code]
            body = created.json()
            headers = {"Authorization": f"Bearer {body['token']}"}
            path = f"/api/chat/conversations/{body['conversation_id']}/messages"
            return [created.status_code] + [http.post(path, json={"text": text}, headers=headers).status_code
                                            for text in ("what is a family hub", "thanks")]

    with ThreadPoolExecutor(PARENTS) as pool:
        statuses = [s for result in pool.map(parent, range(PARENTS)) for s in result]
    assert statuses.count(201) == PARENTS and statuses.count(200) == 2 * PARENTS, sorted(set(statuses))
