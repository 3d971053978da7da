"""Run labelled triage cases through a running front door over the CONTRACT endpoints."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.eval.metrics import Outcome, Report


def assess_case(http: httpx.Client, staff_headers: dict, case: dict) -> Outcome:
    """One case = a new web chat conversation whose first message is the case's text."""
    created = http.post("/api/chat/conversations")
    created.raise_for_status()
    body = created.json()
    sent = http.post(
        f"/api/chat/conversations/{body['conversation_id']}/messages",
        json={"text": case["text"]}, headers={"Authorization": f"Bearer {body['token']}"},
    )
    sent.raise_for_status()
    detail = http.get(f"/api/conversations/{body['conversation_id']}", headers=staff_headers)
    detail.raise_for_status()
    record = detail.json()
    return Outcome(case, record["rhrt_level"] or 1, record["danger"], record["concerns"])


def run_cases(base_url: str, staff_headers: dict, cases: list[dict], workers: int = 6) -> Report:
    with httpx.Client(base_url=base_url, timeout=120) as http, ThreadPoolExecutor(workers) as pool:
        return Report(list(pool.map(lambda case: assess_case(http, staff_headers, case), cases)))
