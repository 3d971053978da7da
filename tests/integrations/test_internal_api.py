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


def test_whats_on_reads_hub_day_and_age_from_the_parents_words(client, settings):
    body = get(client, settings, "/internal/content/whats-on", q="what's on at the mote tomorrow").json()
    assert (body["status"], body["when"], [h["id"] for h in body["place"]["hubs"]]) == ("found", "tomorrow", ["the-moat"])
    assert [o["title"] for o in body["occurrences"]] == ["Bump and baby wellbeing group", "Youth group for year 6"]


def test_whats_on_pages_a_long_list(client, settings):
    first = get(client, settings, "/internal/content/whats-on", q="whats on this week", hub="harmony", limit=2).json()
    second = get(client, settings, "/internal/content/whats-on", q="whats on this week", hub="harmony", limit=2, offset=2).json()
    assert first["has_more"] and first["total"] == second["total"] > 2
    assert {o["session_id"] for o in first["occurrences"]}.isdisjoint(o["session_id"] for o in second["occurrences"])


def test_whats_on_asks_for_a_place_or_names_the_council_outside_coventry(client, settings):
    assert get(client, settings, "/internal/content/whats-on", q="whats on saturday").json()["status"] == "need_place"
    outside = get(client, settings, "/internal/content/whats-on", q="whats on near CV8 1AA").json()
    assert (outside["status"], outside["place"]["council"]) == ("outside", "Warwickshire County Council")


def test_changing_a_sessions_time_changes_the_next_answer(client, settings, session):
    from integrations.content.models import ContentItem
    from sqlalchemy import select

    row = session.scalars(select(ContentItem).where(ContentItem.kind == "session", ContentItem.key == "the-moat-stay-and-play-wed")).one()
    row.data = {**row.data, "start": "11:00", "end": "12:30"}
    session.flush()
    body = get(client, settings, "/internal/content/whats-on", q="stay and play at the moat on wednesday").json()
    assert [o["time_words"] for o in body["occurrences"]] == ["11am to 12:30pm"]


def test_opening_now_and_on_a_named_day(client, settings):
    now = get(client, settings, "/internal/content/hubs/opening", q="is pathways open now").json()
    assert (now["status"], now["hubs"][0]["open_now"], now["hubs"][0]["closes_words"]) == ("found", True, "5pm")
    saturday = get(client, settings, "/internal/content/hubs/opening", q="is pathways open on saturday").json()
    assert saturday["day"] == "on Saturday 28 November" and saturday["hubs"][0]["on_day"]["open"] is False
    assert get(client, settings, "/internal/content/hubs/opening", q="are you open").json()["status"] == "need_place"


def test_services_match_a_need(client, settings):
    body = get(client, settings, "/internal/content/services/match", q="help with money").json()
    assert body["services"][0]["id"] == "cias-advice"
    assert get(client, settings, "/internal/content/services/match", q="hello").json() == {"services": []}
