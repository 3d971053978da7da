"""The internal content API the action server calls."""
from __future__ import annotations


def get(client, settings, path, **params):
    return client.get(path, params=params, headers={"Authorization": f"Bearer {settings.internal_api_token}"})


def test_internal_api_needs_the_internal_token(client):
    assert client.get("/internal/content/hubs").status_code == 401
    assert client.get("/internal/content/hubs", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_hub_lookup(client, settings):
    body = get(client, settings, "/internal/content/hubs/lookup", q="which hub is nearest to Foleshill").json()
    assert body["status"] == "found"
    assert body["hubs"][0]["name"] == "Families for All Family Hub"
    assert body["hubs"][0]["opening_hours_words"].startswith("Monday")


def test_hub_lookup_refuses_an_empty_query(client, settings):
    assert get(client, settings, "/internal/content/hubs/lookup", q="").status_code == 422


def test_faq_match_and_by_id(client, settings):
    match = get(client, settings, "/internal/content/faq/match", q="what is a family hub").json()["match"]
    assert match["id"] == "what-is-a-family-hub" and match["answer"] and match["sms"]
    assert get(client, settings, "/internal/content/faq/match", q="zzzz").json() == {"match": None}
    assert get(client, settings, "/internal/content/faq/what-is-a-family-hub").json()["faq"]["id"] == "what-is-a-family-hub"
    assert get(client, settings, "/internal/content/faq/nope").json() == {"faq": None}


def test_staffed_on_a_monday_afternoon(client, settings):
    # The app's clock is fixed at Monday 23 November 2026, 14:30 London time.
    assert get(client, settings, "/internal/frontdoor/staffed").json() == {
        "staffed_now": True,
        "staffed_until_words": "5pm",
        "next_staffed": "2026-11-24T09:00:00+00:00",
        "next_staffed_words": "tomorrow at 9am",
    }
