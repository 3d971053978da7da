"""The content editor API: roles, drafts, validation, preview, publish (live at once), history, rollback, YAML."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from integrations.content.store import item, seed_content
from integrations.staff.models import AuditEntry
from integrations.staff.sessions import CSRF_HEADER
from tests.integrations.conftest import CONTENT_DIR, PASSWORD

STAY_AND_PLAY = "harmony-stay-and-play-tue"
CLOTHES_BANK = {
    "id": "clothes-bank", "question": "Do you have a clothes bank?",
    "phrasings": ["is there a clothes bank", "free clothes for my kids", "school uniform bank"],
    "answer": "Yes. Wood Side Family Hub has a free clothes bank for children.", "sms": "Yes. Wood Side has a free clothes bank.",
    "verify": True, "verify_note": "Test entry.", "source": "comms",
}


@pytest.fixture
def comms(staff_headers):
    return staff_headers("comms", "casey")


def stay_and_play(client, headers) -> dict:
    return client.get(f"/api/content/session/{STAY_AND_PLAY}", headers=headers).json()["published"]


def publish_session(client, headers, **changes) -> dict:
    data = {**stay_and_play(client, headers), **changes}
    saved = client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=headers)
    assert saved.status_code == 200, saved.text
    published = client.post("/api/content/publish", json={"items": [{"kind": "session", "key": STAY_AND_PLAY}]}, headers=headers)
    assert published.status_code == 200, published.text
    return published.json()


def test_comms_and_admin_may_edit_and_a_practitioner_may_not(client, staff_headers):
    assert client.get("/api/content", headers=staff_headers("comms")).status_code == 200
    assert client.get("/api/content", headers=staff_headers("admin")).status_code == 200
    practitioner = staff_headers("practitioner")
    for method, path, body in [
        ("GET", "/api/content", None), ("GET", "/api/content/faq", None), ("GET", "/api/content/history", None),
        ("PUT", f"/api/content/session/{STAY_AND_PLAY}/draft", {"data": {}}), ("POST", "/api/content/publish", {}),
        ("POST", "/api/content/history/1/rollback", None), ("GET", "/api/content/export/faq.yml", None),
        ("POST", "/api/content/import/faq.yml", {"yaml": ""}),
    ]:
        assert client.request(method, path, json=body, headers=practitioner).status_code == 403, path
    assert client.get("/api/content").status_code == 401


def test_a_draft_changes_nothing_the_bot_says_until_it_is_published(client, comms, session):
    data = {**stay_and_play(client, comms), "start": "10:30", "end": "12:00"}
    assert client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=comms).status_code == 200
    assert item(session, "session", STAY_AND_PLAY)["start"] == "10:00"
    shown = client.get(f"/api/content/session/{STAY_AND_PLAY}", headers=comms).json()
    assert shown["draft"]["author"] == "casey"
    assert {"field": "start", "before": "10:00", "after": "10:30"} in shown["diff"]

    version = client.post("/api/content/publish", json={"items": [{"kind": "session", "key": STAY_AND_PLAY}]}, headers=comms).json()
    assert item(session, "session", STAY_AND_PLAY)["start"] == "10:30"
    assert version["author"] == "casey" and version["action"] == "publish"
    assert version["changes"][0]["diff"] == [{"field": "start", "before": "10:00", "after": "10:30"},
                                             {"field": "end", "before": "11:30", "after": "12:00"}]
    assert client.get(f"/api/content/session/{STAY_AND_PLAY}", headers=comms).json()["draft"] is None


def test_the_bot_reads_a_published_timetable_at_once(client, comms, settings):
    internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
    asked = {"q": "what time is stay and play at harmony"}
    before = client.get("/internal/content/whats-on", params=asked, headers=internal).json()
    assert before["occurrences"][0]["time_words"] == "10am to 11:30am"
    publish_session(client, comms, start="10:45", end="12:15")
    after = client.get("/internal/content/whats-on", params=asked, headers=internal).json()
    assert after["occurrences"][0]["time_words"] == "10:45am to 12:15pm"


def test_rollback_restores_the_earlier_content_as_a_new_version_with_its_author(client, comms, staff_headers, session):
    published = publish_session(client, comms, start="10:45", end="12:15")
    admin = staff_headers("admin", "ada")
    rolled = client.post(f"/api/content/history/{published['version']}/rollback", headers=admin)
    assert rolled.status_code == 200, rolled.text
    assert item(session, "session", STAY_AND_PLAY)["start"] == "10:00"
    body = rolled.json()
    assert body["action"] == "rollback" and body["rollback_of"] == published["version"] and body["author"] == "ada"
    history = client.get("/api/content/history", params={"key": STAY_AND_PLAY}, headers=comms).json()["versions"]
    assert [(v["action"], v["author"]) for v in history[:2]] == [("rollback", "ada"), ("publish", "casey")]
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(["content_publish", "content_rollback"]))).all()
    assert [(a.action, a.actor) for a in audited][-2:] == [("content_publish", "casey"), ("content_rollback", "ada")]


def test_a_new_faq_is_matched_at_run_time_once_published(client, comms, settings):
    internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
    asked = {"q": "do you have a clothes bank?"}
    assert client.get("/internal/content/faq/match", params=asked, headers=internal).json()["match"] is None
    created = client.post("/api/content/faq", json={"data": CLOTHES_BANK}, headers=comms)
    assert created.status_code == 201, created.text
    assert client.get("/internal/content/faq/match", params=asked, headers=internal).json()["match"] is None  # a draft only
    version = client.post("/api/content/publish", json={"items": [{"kind": "faq", "key": "clothes-bank"}]}, headers=comms).json()
    assert version["changes"][0]["change"] == "added"
    match = client.get("/internal/content/faq/match", params={"q": "is there a clothes bank"}, headers=internal).json()["match"]
    assert match["id"] == "clothes-bank" and match["sms"] == CLOTHES_BANK["sms"]
    # Rolling back an addition takes the entry away again.
    client.post(f"/api/content/history/{version['version']}/rollback", headers=comms)
    assert client.get("/internal/content/faq/match", params=asked, headers=internal).json()["match"] is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"start": "9.30"}, "start: '9.30' is not a 24-hour time like 09:30."),
    ({"start": "12:00", "end": "11:00"}, "start must be before end."),
    ({"title": None}, "title: Input should be a valid string."),
    ({"day": "funday"}, "day: input should be 'monday', 'tuesday'"),
    ({"hub": "nowhere"}, "unknown hub id(s) nowhere"),
])
def test_bad_edits_get_clear_messages_and_save_nothing(client, comms, changes, message):
    data = {**stay_and_play(client, comms), **changes}
    saved = client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=comms)
    assert saved.status_code == 422
    assert message in saved.json()["detail"], saved.json()
    assert client.get(f"/api/content/session/{STAY_AND_PLAY}", headers=comms).json()["draft"] is None


def test_required_fields_are_named(client, comms):
    saved = client.post("/api/content/faq", json={"data": {"id": "x", "source": "comms"}}, headers=comms)
    assert saved.status_code == 422
    assert saved.json()["errors"] == ["question is required.", "answer is required.", "sms is required."]


def test_an_id_cannot_be_taken_twice_or_changed(client, comms):
    faq = client.get("/api/content/faq/does-it-cost", headers=comms).json()["published"]
    assert client.post("/api/content/faq", json={"data": faq}, headers=comms).status_code == 409
    moved = client.put("/api/content/faq/does-it-cost/draft", json={"data": {**faq, "id": "costs"}}, headers=comms)
    assert moved.status_code == 422 and "id cannot change" in moved.json()["detail"]


def test_preview_shows_the_web_answer_and_the_sms_texts_with_segments(client, comms):
    long_sms = "Yes. " + "Wood Side has a free clothes bank for children, open on Wednesdays. " * 6
    shown = client.post("/api/content/preview/faq", json={"data": {**CLOTHES_BANK, "sms": long_sms}}, headers=comms).json()
    assert shown["web"] == [{"text": CLOTHES_BANK["answer"], "buttons": ["Find my nearest hub", "What's on"]}]
    assert len(shown["sms"]) == 2 and all(p["segments"] <= 2 for p in shown["sms"])
    assert shown["sms_segments"] == sum(p["segments"] for p in shown["sms"])
    assert any("goes as 2 texts" in w for w in shown["warnings"])
    short = client.post("/api/content/preview/faq", json={"data": CLOTHES_BANK}, headers=comms).json()
    assert short["sms"] == [{"text": CLOTHES_BANK["sms"], "characters": len(CLOTHES_BANK["sms"]), "segments": 1}]
    assert short["warnings"] == []
    emoji = client.post("/api/content/preview/faq", json={"data": {**CLOTHES_BANK, "sms": "Yes \U0001F455"}}, headers=comms).json()
    assert any("GSM-7" in w for w in emoji["warnings"])


def test_preview_of_a_timetable_edit_is_the_what_s_on_answer(client, comms):
    data = {**stay_and_play(client, comms), "start": "10:45", "end": "12:15"}
    shown = client.post("/api/content/preview/session", json={"data": data}, headers=comms).json()
    assert shown["asked"] == "what time is Stay and play at Harmony on tuesday"
    assert "Stay and play" in shown["web"][0]["text"] and "10:45am to 12:15pm" in shown["web"][0]["text"]
    assert "10:45am to 12:15pm" in shown["sms"][0]["text"] and shown["sms"][0]["segments"] <= 2


def test_preview_of_a_service_is_the_answer_to_its_first_need(client, comms):
    cias = client.get("/api/content/service/cias-advice", headers=comms).json()["published"]
    shown = client.post("/api/content/preview/service", json={"data": {**cias, "what": "Free advice on money and debt."}}, headers=comms).json()
    assert shown["asked"] == cias["needs"][0]
    assert shown["web"][0]["text"].startswith(f"{cias['name']}: Free advice on money and debt.")
    assert shown["sms"][0]["segments"] <= 2 and shown["warnings"] == []
    contact = client.get("/api/content/contact/emergency", headers=comms).json()["published"]
    assert client.post("/api/content/preview/contact", json={"data": contact}, headers=comms).json()["web"] == []


def test_preview_of_a_hub_is_its_opening_hours_answer(client, comms):
    hub = client.get("/api/content/hub/harmony", headers=comms).json()["published"]
    hub["opening_hours"]["saturday"] = {"open": "09:30", "close": "12:30"}
    shown = client.post("/api/content/preview/hub", json={"data": hub}, headers=comms).json()
    assert shown["asked"] == "is Harmony open on saturday"
    assert shown["web"][0]["text"] == "Harmony is open on Saturday 28 November, 9:30am to 12:30pm."
    hub["opening_hours"]["saturday"] = None
    closed = client.post("/api/content/preview/hub", json={"data": hub}, headers=comms).json()
    assert "Harmony is closed on Saturday" in closed["sms"][0]["text"] and "999" in closed["sms"][0]["text"]


def test_publishing_nothing_or_an_unchanged_item_is_refused(client, comms):
    assert client.post("/api/content/publish", json={}, headers=comms).status_code == 409
    data = stay_and_play(client, comms)
    client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=comms)
    refused = client.post("/api/content/publish", json={}, headers=comms)
    assert refused.status_code == 409 and "Nothing would change" in refused.json()["detail"]


def test_deleting_a_hub_that_sessions_use_is_refused_and_an_unused_faq_can_go(client, comms, session):
    refused = client.post("/api/content/hub/harmony/delete", headers=comms)
    assert refused.status_code == 422 and "unknown hub id(s) harmony" in refused.json()["detail"]
    assert client.post("/api/content/faq/volunteer/delete", headers=comms).status_code == 200
    version = client.post("/api/content/publish", json={}, headers=comms).json()
    assert version["changes"][0]["change"] == "deleted" and item(session, "faq", "volunteer") is None
    client.post(f"/api/content/history/{version['version']}/rollback", headers=comms)
    assert item(session, "faq", "volunteer") is not None


def test_a_deleted_seed_item_stays_deleted_when_the_seed_is_loaded_again(client, comms, session):
    client.post("/api/content/faq/volunteer/delete", headers=comms)
    client.post("/api/content/publish", json={}, headers=comms)
    assert seed_content(session, CONTENT_DIR) == 0
    assert item(session, "faq", "volunteer") is None


def test_a_draft_older_than_what_is_published_is_not_published_over_it(client, comms, staff_headers, session):
    first = publish_session(client, comms, start="10:45", end="12:15")
    data = {**stay_and_play(client, comms), "title": "Stay and play (new title)"}
    client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=comms)
    client.post(f"/api/content/history/{first['version']}/rollback", headers=staff_headers("admin", "ada"))
    refused = client.post("/api/content/publish", json={}, headers=comms)
    assert refused.status_code == 409 and "changed after this draft was saved (by ada)" in refused.json()["detail"]
    assert item(session, "session", STAY_AND_PLAY)["start"] == "10:00"
    resaved = {**stay_and_play(client, comms), "title": "Stay and play (new title)"}
    client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": resaved}, headers=comms)
    assert client.post("/api/content/publish", json={}, headers=comms).status_code == 200


def test_discarding_a_draft(client, comms):
    data = {**stay_and_play(client, comms), "start": "10:30"}
    client.put(f"/api/content/session/{STAY_AND_PLAY}/draft", json={"data": data}, headers=comms)
    assert client.delete(f"/api/content/session/{STAY_AND_PLAY}/draft", headers=comms).status_code == 204
    assert client.get("/api/content", headers=comms).json()["drafts"] == []


def test_export_is_the_seed_yaml_and_importing_it_back_changes_nothing(client, comms):
    for file in ("faq.yml", "timetable.yml", "hubs.yml", "frontdoor.yml", "postcodes.yml"):
        exported = client.get(f"/api/content/export/{file}", headers=comms)
        assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/yaml")
        imported = client.post(f"/api/content/import/{file}", json={"yaml": exported.text}, headers=comms).json()
        assert imported["drafted"] == [] and imported["unchanged"] > 0 and imported["not_in_file"] == [], file
    document = yaml.safe_load(client.get("/api/content/export/timetable.yml", headers=comms).text)
    assert set(document) == {"timezone", "terms", "sessions"}


def test_import_drafts_what_differs(client, comms):
    document = yaml.safe_load(client.get("/api/content/export/faq.yml", headers=comms).text)
    document["faqs"][0]["answer"] = "A new answer."
    document["faqs"].append(CLOTHES_BANK)
    del document["faqs"][1]
    done = client.post("/api/content/import/faq.yml", json={"yaml": yaml.safe_dump(document)}, headers=comms).json()
    assert done["drafted"] == [{"kind": "faq", "key": "what-is-a-family-hub"}, {"kind": "faq", "key": "clothes-bank"}]
    assert done["not_in_file"] == ["faq/who-can-use"]
    version = client.post("/api/content/publish", json={"note": "import"}, headers=comms).json()
    assert {c["key"] for c in version["changes"]} == {"what-is-a-family-hub", "clothes-bank"}


def test_import_of_a_broken_file_says_where(client, comms):
    bad = client.post("/api/content/import/timetable.yml", json={"yaml": "sessions:\n  - id: x\n    hub: harmony\n"}, headers=comms)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("timetable.yml sessions[0]")
    assert client.post("/api/content/import/faq.yml", json={"yaml": "faqs: [unclosed"}, headers=comms).status_code == 422
    assert client.post("/api/content/import/rhrt.yml", json={"yaml": ""}, headers=comms).status_code == 404


def test_the_browser_session_needs_the_csrf_token_to_publish(client, make_staff):
    make_staff("casey", "comms")
    signed_in = client.post("/api/auth/session", data={"username": "casey", "password": PASSWORD}).json()
    assert client.post("/api/content/publish", json={}).status_code == 403
    assert client.post("/api/content/publish", json={}, headers={CSRF_HEADER: signed_in["csrf_token"]}).status_code == 409


def test_the_page_is_served_under_the_strict_csp(client):
    page = client.get("/content")
    assert page.status_code == 200 and "/content-static/content.js" in page.text and "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/content-static/content.js").status_code == 200


def test_the_overview_lists_every_kind_with_its_form(client, comms):
    overview = client.get("/api/content", headers=comms).json()
    kinds = {k["kind"]: k for k in overview["kinds"]}
    assert set(kinds) >= {"faq", "hub", "service", "session"}
    fields = {f["name"]: f for f in kinds["session"]["fields"]}
    assert fields["start"]["widget"] == "time" and fields["day"]["options"][0] == "monday"
    assert [f["name"] for f in kinds["session"]["fields"]][-3:] == ["verify", "verify_note", "source"]
