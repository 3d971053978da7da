"""The reference case API: idempotent creation, references, consent and contact rules, auth, fault injection."""
from __future__ import annotations

import copy
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, func, select

from integrations.case_api import store
from integrations.case_api.models import EarlyHelpRequestRow
from integrations.case_api.schemas import EXAMPLE, EarlyHelpRequest
from integrations.case_api.settings import CaseApiSettings


def a_request(**sections) -> dict:
    """The documented example, with whole sections replaced."""
    return {**copy.deepcopy(EXAMPLE), **sections}


def headers(case_api, key: str = "key-1", token: str | None = None) -> dict[str, str]:
    token = case_api.app.state.settings.case_api_token if token is None else token
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}


def post(case_api, body: dict | None = None, key: str = "key-1"):
    return case_api.post("/early-help-requests", json=a_request() if body is None else body, headers=headers(case_api, key))


def stored_rows(case_api) -> int:
    with case_api.app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(EarlyHelpRequestRow))


def test_a_request_is_stored_and_gets_a_reference(case_api):
    response = post(case_api)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"] == f"EH-{datetime.now(timezone.utc).year}-000001"
    assert body["status"] == "received" and body["received_at"]
    assert stored_rows(case_api) == 1


def test_the_same_key_and_body_again_is_a_replay_with_no_new_row(case_api):
    first = post(case_api).json()
    again = post(case_api)
    assert again.status_code == 200
    assert again.json() == first
    assert stored_rows(case_api) == 1


def test_a_replay_is_recognised_whatever_the_key_order_spacing_or_blank_fields(case_api):
    first = post(case_api, a_request(parent={**EXAMPLE["parent"], "email": None})).json()
    body = a_request(parent={**dict(reversed(EXAMPLE["parent"].items())), "email": "", "name": " Sam "})
    again = post(case_api, dict(reversed(body.items())))
    assert again.status_code == 200 and again.json()["reference"] == first["reference"]


def test_the_same_key_with_another_body_is_a_conflict(case_api):
    post(case_api)
    response = post(case_api, a_request(children=[{"first_name": "Jo", "age": 4}]))
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str) and "Idempotency-Key" in response.json()["detail"]
    assert stored_rows(case_api) == 1


def test_concurrent_posts_with_one_key_store_one_request(case_api):
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: post(case_api), range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert stored_rows(case_api) == 1


def test_a_post_that_loses_the_race_for_its_key_answers_as_a_replay(case_api, monkeypatch):
    first = post(case_api).json()
    # As if a concurrent post with the same key committed between our look-up and our insert.
    real_find, calls = store.find_by_key, []

    def not_there_yet_the_first_time(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real_find(session, key)

    monkeypatch.setattr(store, "find_by_key", not_there_yet_the_first_time)
    again = post(case_api)
    assert again.status_code == 200 and again.json()["reference"] == first["reference"]
    assert len(calls) == 2 and stored_rows(case_api) == 1


def test_references_are_sequential(case_api):
    references = [post(case_api, key=f"key-{n}").json()["reference"] for n in range(3)]
    year = datetime.now(timezone.utc).year
    assert references == [f"EH-{year}-000001", f"EH-{year}-000002", f"EH-{year}-000003"]


def test_references_start_again_each_year_and_are_never_reused(case_api):
    request = EarlyHelpRequest.model_validate(a_request())
    with case_api.app.state.sessions() as session:
        def record(key: str, year: int) -> str:
            now = datetime(year, 12, 31, 23, 59, tzinfo=timezone.utc)
            return store.record_request(session, request=request, idempotency_key=key, now=now).row.reference

        assert [record("a", 2026), record("b", 2026), record("c", 2027)] == ["EH-2026-000001", "EH-2026-000002", "EH-2027-000001"]
        session.execute(delete(EarlyHelpRequestRow).where(EarlyHelpRequestRow.reference == "EH-2026-000002"))
        session.commit()
        assert record("d", 2026) == "EH-2026-000003"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-0123456789", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_wrong_token_is_refused(case_api, authorization):
    sent = {"Idempotency-Key": "key-1"} | ({"Authorization": authorization} if authorization else {})
    response = case_api.post("/early-help-requests", json=a_request(), headers=sent)
    assert response.status_code == 401
    assert response.json() == {"detail": "Missing or wrong bearer token."}
    assert case_api.get("/early-help-requests/EH-2026-000001", headers={k: v for k, v in sent.items() if k == "Authorization"}).status_code == 401
    assert stored_rows(case_api) == 0


@pytest.mark.parametrize("body, where", [
    (a_request(consent={**EXAMPLE["consent"], "given": False}), "consent.given: a request for early help needs the parent's explicit consent"),
    ({k: v for k, v in EXAMPLE.items() if k != "consent"}, "consent: Field required"),
    (a_request(parent={**EXAMPLE["parent"], "phone": None, "email": None}), "parent: give a phone number or an email address"),
    (a_request(parent={**EXAMPLE["parent"], "phone": " ", "email": ""}), "parent: give a phone number or an email address"),
    (a_request(children=[]), "children: List should have at least 1 item"),
    (a_request(children=[{"first_name": "Jo", "age": 26}]), "children.0.age"),
    (a_request(concerns={**EXAMPLE["concerns"], "rhrt_level": 5}), "concerns.rhrt_level"),
    (a_request(source={"channel": "email", "conversation_id": "c1"}), "source.channel"),
    (a_request(notes="extra"), "notes: Extra inputs are not permitted"),
    (a_request(consent={**EXAMPLE["consent"], "at": "2026-11-23T14:30:00"}), "consent.at"),
])
def test_bad_bodies_get_a_422_with_a_plain_detail(case_api, body, where):
    response = post(case_api, body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str) and response.json()["detail"].startswith(where)
    assert stored_rows(case_api) == 0


def test_an_email_alone_is_enough_to_get_in_touch(case_api):
    assert post(case_api, a_request(parent={**EXAMPLE["parent"], "phone": None, "email": "sam@example.org"})).status_code == 201


@pytest.mark.parametrize("key", [None, "", "k" * 201])
def test_the_idempotency_key_is_required_and_bounded(case_api, key):
    sent = {"Authorization": headers(case_api)["Authorization"]} | ({} if key is None else {"Idempotency-Key": key})
    response = case_api.post("/early-help-requests", json=a_request(), headers=sent)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["detail"]


def test_an_oversized_body_is_refused(case_api):
    body = a_request(concerns={**EXAMPLE["concerns"], "in_parents_words": "x" * 70_000})
    assert post(case_api, body).status_code == 413


def test_a_stored_request_is_read_back_by_its_reference(case_api):
    reference = post(case_api).json()["reference"]
    response = case_api.get(f"/early-help-requests/{reference}", headers=headers(case_api))
    assert response.status_code == 200
    record = response.json()
    assert record["reference"] == reference and record["status"] == "received"
    assert {k: record[k] for k in EXAMPLE} == EarlyHelpRequest.model_validate(EXAMPLE).model_dump(mode="json")


def test_an_unknown_reference_is_404(case_api):
    response = case_api.get("/early-help-requests/EH-2026-999999", headers=headers(case_api))
    assert response.status_code == 404 and isinstance(response.json()["detail"], str)


def test_health_needs_no_token(case_api):
    assert case_api.get("/healthz").json() == {"status": "ok"}


def test_the_contract_is_documented(case_api):
    spec = case_api.get("/openapi.json").json()
    post_spec = spec["paths"]["/early-help-requests"]["post"]
    assert {"200", "201", "401", "409", "422"} <= set(post_spec["responses"])
    assert spec["components"]["schemas"]["EarlyHelpRequest"]["examples"] == [EXAMPLE]
    assert case_api.get("/docs").status_code == 200


def test_the_delay_answers_late_after_storing_and_replays_answer_at_once(make_case_api):
    case_api = make_case_api(case_api_response_delay_seconds=0.3)
    started = time.monotonic()
    first = post(case_api)
    assert first.status_code == 201 and time.monotonic() - started >= 0.3
    started = time.monotonic()
    again = post(case_api)
    assert again.status_code == 200 and again.json()["reference"] == first.json()["reference"]
    assert time.monotonic() - started < 0.3


def test_the_delay_is_refused_in_production():
    with pytest.raises(ValueError, match="CASE_API_RESPONSE_DELAY_SECONDS is for tests"):
        CaseApiSettings(environment="production", case_api_token="t" * 32, case_api_response_delay_seconds=5)


def test_a_placeholder_token_is_refused_outside_development():
    with pytest.raises(ValueError, match="CASE_API_TOKEN is a placeholder"):
        CaseApiSettings(environment="test", case_api_token="changethis")
    with pytest.warns(UserWarning, match="CASE_API_TOKEN is a placeholder"):
        CaseApiSettings(environment="development", case_api_token="changethis")
