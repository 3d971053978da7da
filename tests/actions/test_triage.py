"""action_triage: the decision (highest level, sticky danger) and the reply by level, safety first."""
from __future__ import annotations

from actions.triage import SOCIAL_CARE_FALLBACK, ActionTriage
from tests.actions.conftest import DownService, make_tracker

NAI = {"id": "l4-parent-nai", "level": 4, "domain": "parent", "descriptor": "Suspected non-accidental injury.", "category": "non-accidental-injury", "services": []}
SUICIDAL = {"id": "l3-child-suicidal", "level": 3, "domain": "child", "descriptor": "Self-harm with suicidal ideation.", "category": None, "services": ["camhs"]}
MONEY = {"id": "l2-family-money", "level": 2, "domain": "family", "descriptor": "Family affected by low income or unemployment.", "category": None, "services": ["cias", "job-club"]}
CONTACTS = {"contacts": [{"id": "mash", "phone": "024 7678 8555"}, {"id": "emergency-duty-team", "phone": "024 7683 2222"}]}
CLOSED = {"staffed_now": False, "staffed_until_words": None, "next_staffed_words": "tomorrow at 9am"}


def assessment(*concerns, danger=(), flags=(), third_party=False):
    return {"level": max([c["level"] for c in concerns], default=None), "danger": list(danger), "concerns": list(concerns),
            "negated": [], "child_age": None, "third_party": third_party, "flags": list(flags)}


def kinds(dispatcher) -> list[str]:
    return [m.get("response") or ("control:" + m["custom"]["frontdoor_event"] if m.get("custom") else m.get("text")) for m in dispatcher.messages]


def serviced(service):
    service.on("/internal/content/contacts", CONTACTS)
    service.on("/internal/frontdoor/staffed", CLOSED)
    service.on("/internal/content/services", {"services": [{"id": "cias", "name": "Coventry Independent Advice Service", "access_note": "Drop in on Tuesdays."}]})
    return service


async def test_danger_puts_999_first_then_the_level_4_route_and_an_urgent_handoff(service, dispatcher):
    tracker = make_tracker("hes kicking the door in", intent="disclose_concern", rhrt=assessment(NAI, danger=["attack-now"], flags=["domestic-abuse"]))
    events = await ActionTriage(serviced(service).client()).run(dispatcher, tracker, {})
    assert kinds(dispatcher) == [
        "utter_danger", "control:triage", "utter_level4", "utter_domestic_abuse_support", "control:handoff", "utter_urgent_handoff_closed",
    ]
    assert dispatcher.messages[1]["custom"] == {
        "frontdoor_event": "triage", "level": 4, "danger": True,
        "concerns": [{"id": NAI["id"], "domain": "parent", "descriptor": NAI["descriptor"], "level": 4}],
    }
    assert dispatcher.messages[2]["social_care"] == "Coventry children's social care (the MASH) on 024 7678 8555, or 024 7683 2222 at night and weekends"
    assert dispatcher.messages[4]["custom"]["urgent"] is True
    assert events == [
        {"event": "slot", "timestamp": None, "name": "rhrt_level", "value": 4.0},
        {"event": "slot", "timestamp": None, "name": "danger", "value": True},
        {"event": "slot", "timestamp": None, "name": "concerns", "value": [NAI["id"]]},
    ]


async def test_the_safety_route_survives_a_service_outage(dispatcher):
    tracker = make_tracker("he punched my son", intent="disclose_concern", rhrt=assessment(NAI, danger=["attack-now"]))
    await ActionTriage(DownService().client()).run(dispatcher, tracker, {})
    assert kinds(dispatcher)[:3] == ["utter_danger", "control:triage", "utter_level4"]
    assert dispatcher.messages[2]["social_care"] == SOCIAL_CARE_FALLBACK
    assert kinds(dispatcher)[-2:] == ["control:handoff", "utter_urgent_handoff_unknown_hours"]


async def test_a_third_party_report_gets_the_third_party_wording(service, dispatcher):
    tracker = make_tracker("the kids next door have bruises", intent="disclose_concern", rhrt=assessment(NAI, third_party=True))
    await ActionTriage(serviced(service).client()).run(dispatcher, tracker, {})
    assert "utter_level4_third_party" in kinds(dispatcher) and "utter_danger" not in kinds(dispatcher)


async def test_by_sms_level_4_without_danger_still_puts_999_first(service, dispatcher):
    tracker = make_tracker("he punched my son last night", intent="disclose_concern", channel="sms", rhrt=assessment(NAI))
    await ActionTriage(serviced(service).client()).run(dispatcher, tracker, {})
    assert kinds(dispatcher)[:3] == ["utter_danger", "control:triage", "utter_level4"]


async def test_level_3_explains_early_help_queues_a_handoff_gives_suicide_support_and_offers_a_request(service, dispatcher):
    tracker = make_tracker("my daughter is cutting and wants to die", intent="disclose_concern", rhrt=assessment(SUICIDAL, flags=["suicide"]))
    await ActionTriage(serviced(service).client()).run(dispatcher, tracker, {})
    assert kinds(dispatcher) == ["control:triage", "utter_level3", "utter_suicide_support", "control:handoff", "utter_handoff_closed",
                                 "utter_offer_early_help"]
    assert dispatcher.messages[3]["custom"]["urgent"] is False


async def test_level_2_signposts_what_the_signposting_matcher_finds_in_the_parents_words(service, dispatcher):
    serviced(service).on("/internal/content/services/match", {"services": [
        {"id": "here-to-help", "name": "Here to Help", "access_note": "Walk in."},
        {"id": "job-clubs", "name": "Job clubs", "access_note": "Drop in on Fridays."},
    ]})
    tracker = make_tracker("ive been made redundant", intent="disclose_concern", rhrt=assessment(MONEY))
    await ActionTriage(service.client()).run(dispatcher, tracker, {})
    assert kinds(dispatcher) == ["control:triage", "utter_level2", "utter_level2_here_to_help"]
    # Here to Help has its own line after the services, so it is not listed twice.
    assert dispatcher.messages[1]["services"] == "\nJob clubs: Drop in on Fridays."
    assert dict(service.requests[0].url.params) == {"q": "ive been made redundant"}


async def test_level_2_falls_back_to_the_descriptors_services_when_the_matcher_finds_none(service, dispatcher):
    serviced(service).on("/internal/content/services/match", {"services": []})
    tracker = make_tracker("ive been made redundant", intent="disclose_concern", rhrt=assessment(MONEY))
    await ActionTriage(service.client()).run(dispatcher, tracker, {})
    assert dispatcher.messages[1]["services"] == "\nCoventry Independent Advice Service: Drop in on Tuesdays."
    assert dict(service.requests[-1].url.params) == {"ids": "cias,job-club"}


async def test_the_level_accumulates_and_danger_stays(service, dispatcher):
    tracker = make_tracker("and money is tight", intent="disclose_concern", rhrt=assessment(MONEY),
                           slots={"rhrt_level": 4.0, "danger": True, "concerns": [NAI["id"]]})
    events = await ActionTriage(serviced(service).client()).run(dispatcher, tracker, {})
    assert [e["value"] for e in events] == [4.0, True, [NAI["id"], MONEY["id"]]]
    assert dispatcher.messages[0]["custom"]["level"] == 2  # what this message showed; the service keeps the maximum


async def test_a_disclosure_no_rule_recognised_asks_for_more_and_offers_a_person(service, dispatcher):
    events = await ActionTriage(serviced(service).client()).run(dispatcher, make_tracker("things are bad at home", intent="disclose_concern", rhrt=assessment()), {})
    assert (kinds(dispatcher), events) == (["utter_concern_unclear"], [])
