"""action_find_hub: the reply for each lookup outcome, and the service's error path."""
from __future__ import annotations

import httpx

from actions.hubs import ActionFindHub
from tests.actions.conftest import DownService, make_tracker, params

FOLESHILL = {
    "id": "families-for-all", "name": "Families for All Family Hub", "short_name": "Families for All", "area": "Foleshill",
    "address": None, "phone": None, "here_to_help": "Drop in to Here to Help.", "opening_hours_words": "Monday to Friday 9am to 5pm",
}
LOOKUP = "/internal/content/hubs/lookup"


async def test_a_named_area_gets_its_hub(service, dispatcher):
    service.on(LOOKUP, {"status": "found", "hubs": [FOLESHILL], "matched": "Foleshill"})
    tracker = make_tracker("which hub is nearest to Foleshill", intent="find_hub", entities=[{"entity": "location", "value": "Foleshill"}])
    events = await ActionFindHub(service.client()).run(dispatcher, tracker, {})
    assert {e["name"]: e["value"] for e in events}["hub"] == "families-for-all"  # remembered for "what's on?"
    assert params(service.requests[0]) == {"q": "Foleshill"}
    assert service.requests[0].headers["authorization"] == "Bearer internal-token"
    assert dispatcher.messages[0]["response"] == "utter_hub_found"
    assert dispatcher.messages[0]["hub_name"] == "Families for All Family Hub"
    assert dispatcher.messages[0]["hub_details"] == "\nOpen: Monday to Friday 9am to 5pm.\nDrop in to Here to Help."


async def test_without_an_entity_the_whole_text_is_looked_up(service, dispatcher):
    service.on(LOOKUP, {"status": "found", "hubs": [FOLESHILL], "matched": "CV6"})
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("im in cv6 5ab", intent="inform_location"), {})
    assert params(service.requests[0]) == {"q": "im in cv6 5ab"}


async def test_no_place_asks_for_a_postcode_without_calling_the_service(service, dispatcher):
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("/find_hub", intent="find_hub"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_location"]
    assert service.requests == []


async def test_an_ambiguous_place_offers_each_hub(service, dispatcher):
    other = {**FOLESHILL, "id": "pathways", "name": "Pathways Family Hub", "short_name": "Pathways", "area": "Radford"}
    service.on(LOOKUP, {"status": "ambiguous", "hubs": [FOLESHILL, other], "matched": "CV6"})
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("CV6", intent="inform_location"), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_hub_ambiguous" and message["place"] == "CV6"
    assert message["buttons"] == [
        {"title": "Families for All (Foleshill)", "payload": '/inform_location{"location": "Families for All"}'},
        {"title": "Pathways (Radford)", "payload": '/inform_location{"location": "Pathways"}'},
    ]


async def test_outside_the_city_names_the_council(service, dispatcher):
    service.on(LOOKUP, {"status": "outside", "hubs": [], "matched": "CV8 1AA", "council": "Warwickshire County Council", "note": "Kenilworth"})
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("CV8 1AA", intent="inform_location"), {})
    assert dispatcher.messages[0]["response"] == "utter_hub_outside"
    assert (dispatcher.messages[0]["place"], dispatcher.messages[0]["council"]) == ("Kenilworth", "Warwickshire County Council")


async def test_an_unknown_place_asks_for_a_postcode(service, dispatcher):
    service.on(LOOKUP, {"status": "unknown", "hubs": []})
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("narnia", intent="inform_location"), {})
    assert (dispatcher.messages[0]["response"], dispatcher.messages[0]["place"]) == ("utter_location_unknown", "narnia")


async def test_when_the_service_is_down_the_parent_is_told_kindly(dispatcher):
    await ActionFindHub(DownService().client()).run(dispatcher, make_tracker("Foleshill", intent="inform_location"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_content_unavailable"]


async def test_a_service_error_status_is_handled_the_same_way(service, dispatcher):
    service.on(LOOKUP, {"detail": "boom"}, status=500)
    await ActionFindHub(service.client()).run(dispatcher, make_tracker("Foleshill", intent="inform_location"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_content_unavailable"]


async def test_a_name_nlu_cut_short_is_looked_up_again_in_the_whole_message(service, dispatcher):
    answers = iter([{"status": "unknown", "hubs": []}, {"status": "found", "hubs": [FOLESHILL], "matched": "the moat"}])
    service.routes[LOOKUP] = lambda request: httpx.Response(200, json=next(answers))
    tracker = make_tracker("which hub is nearest to the mote", intent="find_hub", entities=[{"entity": "location", "value": "mote"}])
    await ActionFindHub(service.client()).run(dispatcher, tracker, {})
    assert [params(r)["q"] for r in service.requests] == ["mote", "which hub is nearest to the mote"]
    assert dispatcher.messages[0]["response"] == "utter_hub_found"
