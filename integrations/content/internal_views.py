"""Content for the action server (internal, token-protected): hub finder, FAQ, staffed hours."""
from __future__ import annotations

import hmac
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status

from integrations.content import hours, when, whats_on
from integrations.content.ages import age_in
from integrations.content.faq import best_faq
from integrations.content.hub_finder import HubMatch, find_hub
from integrations.content.schemas import DAYS
from integrations.content.service_matcher import match_services
from integrations.content.store import item, items_of
from integrations.core.db import SessionDep


def require_internal_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    expected = f"Bearer {request.app.state.settings.internal_api_token}"
    if not hmac.compare_digest((authorization or "").encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "internal token required")


router = APIRouter(prefix="/internal", dependencies=[Depends(require_internal_token)], include_in_schema=False)
Text = Annotated[str, Query(min_length=1, max_length=5000)]


def _now(request: Request) -> datetime:
    return request.app.state.clock()


@router.get("/content/hubs")
def list_hubs(session: SessionDep):
    return {"hubs": items_of(session, "hub")}


@router.get("/content/hubs/lookup")
def lookup_hub(q: Text, session: SessionDep):
    return find_hub(q, hubs=items_of(session, "hub"), postcodes=item(session, "postcodes", "postcodes")).as_dict()


@router.get("/content/contacts")
def list_contacts(session: SessionDep):
    return {"contacts": items_of(session, "contact")}


@router.get("/content/services")
def list_services(session: SessionDep, ids: Annotated[str | None, Query(max_length=2000)] = None):
    """All services, or those named in `ids` (comma-separated) in that order."""
    services = {s["id"]: s for s in items_of(session, "service")}
    if ids is None:
        return {"services": list(services.values())}
    return {"services": [services[i] for i in dict.fromkeys(ids.split(",")) if i in services]}


@router.get("/content/services/match")
def match_services_to_need(q: Text, session: SessionDep):
    """Services that fit what the parent needs, best first (also used for triage's level-2 answers)."""
    return {"services": [{**m.service, "score": round(m.score, 2)} for m in match_services(q, items_of(session, "service"))]}


def _hubs_named(q: str, hub: str | None, hubs: list[dict], session) -> HubMatch:
    """The hubs the text names (a hub, an area or a postcode), else the one remembered from earlier."""
    found = find_hub(q, hubs=hubs, postcodes=item(session, "postcodes", "postcodes"))
    if found.status == "unknown" and hub:
        return find_hub(hub, hubs=hubs, postcodes=None)
    return found


def _closed_days(session) -> set[date]:
    frontdoor = item(session, "frontdoor", "frontdoor") or {}
    return {date.fromisoformat(str(d)) for d in frontdoor.get("bank_holidays", [])}


@router.get("/content/whats-on")
def whats_on_now(
    request: Request, q: Text, session: SessionDep,
    hub: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
):
    """Sessions the parent asks about: hub/area/postcode, day words and age read from their text."""
    return answer_whats_on(session, q=q, hub=hub, offset=offset, limit=limit, now=_now(request))


def answer_whats_on(session, *, q: str, hub: str | None, offset: int, limit: int, now: datetime,
                    sessions: list[dict] | None = None) -> dict:
    """The what's-on result for the parent's words (`sessions`: the timetable to use, the published one if None;
    the content editor passes a draft's, to preview what the bot would say)."""
    sessions = items_of(session, "session") if sessions is None else sessions
    terms = (item(session, "terms", "terms") or {}).get("terms", [])
    hubs = items_of(session, "hub")
    place = _hubs_named(q, hub, hubs, session)
    asked = whats_on.Query(
        when=when.resolve(q, now, terms),
        hub_ids=tuple(h["id"] for h in place.hubs) if place.status in ("found", "ambiguous") else (),
        age=age_in(q),
        titles=whats_on.titles_in(q, sessions),
    )
    base = {
        "place": place.as_dict(),
        "when": asked.when.label,
        "named_day": asked.when.named,
        "age_words": asked.age.words() if asked.age else None,
        "titles": list(asked.titles),
    }
    if not asked.hub_ids and (place.status == "outside" or not asked.titles):
        return {**base, "status": "need_place" if place.status != "outside" else "outside"}
    found = whats_on.find(asked, sessions=sessions, hubs=hubs, terms=terms,
                          closed_days=_closed_days(session), now=now)
    shown = found.occurrences[offset : offset + limit]
    return {
        **base,
        "status": "found" if found.occurrences else "none",
        "occurrences": shown,
        "total": len(found.occurrences),
        "offset": offset,
        "has_more": offset + limit < len(found.occurrences),
        "alternatives": found.alternatives,
        "alternatives_kind": found.alternatives_kind,
    }


@router.get("/content/hubs/opening")
def hub_opening(request: Request, q: Text, session: SessionDep, hub: Annotated[str | None, Query(max_length=100)] = None):
    """Is a hub open now (or on the day the parent names), and when it next opens."""
    return answer_opening(session, q=q, hub=hub, now=_now(request))


def answer_opening(session, *, q: str, hub: str | None, now: datetime, hubs: list[dict] | None = None) -> dict:
    """The opening-hours result for the parent's words (`hubs`: the hubs to use, the published ones if None;
    the content editor passes a draft's, to preview what the bot would say)."""
    hubs = items_of(session, "hub") if hubs is None else hubs
    place = _hubs_named(q, hub, hubs, session)
    if place.status not in ("found", "ambiguous"):
        return {"status": "need_place" if place.status != "outside" else "outside", "place": place.as_dict()}
    closed = _closed_days(session)
    asked = when.resolve(q, now)
    by_id = {h["id"]: h for h in hubs}
    return {
        "status": "found",
        "place": place.as_dict(),
        "day": asked.label if asked.named and asked.single_day else None,
        "day_is_today": asked.single_day and asked.days[0] == now.astimezone(hours.LONDON).date(),
        "hubs": [_opening(by_id[h["id"]], now, closed, asked) for h in place.hubs],
    }


def _opening(hub: dict, now: datetime, closed: set[date], asked: when.When) -> dict:
    weekly = hub["opening_hours"]
    closing = hours.closing_today(weekly, now, closed)
    opening = hours.next_opening(weekly, now, closed)
    on_day = None
    if asked.named and asked.single_day:
        day = asked.days[0]
        span = None if day in closed else weekly.get(DAYS[day.weekday()])
        on_day = {"open": bool(span), "hours_words": f"{hours.hhmm_words(span['open'])} to {hours.hhmm_words(span['close'])}" if span else None,
                  "bank_holiday": day in closed}
    return {
        "id": hub["id"], "short_name": hub["short_name"], "name": hub["name"],
        "open_now": closing is not None,
        "closes_words": hours.clock_words(closing) if closing else None,
        "next_opening_words": hours.when_words(opening, now) if opening else None,
        "week_words": hours.describe_week(weekly),
        "on_day": on_day,
        "here_to_help": hub.get("here_to_help"),
    }


@router.get("/content/faq/match")
def match_faq(q: Text, session: SessionDep):
    found = best_faq(q, items_of(session, "faq"))
    if found is None:
        return {"match": None}
    faq, score = found
    return {"match": {"id": faq["id"], "question": faq["question"], "answer": faq["answer"], "sms": faq["sms"], "score": round(score, 1)}}


@router.get("/content/faq/{faq_id}")
def get_faq(faq_id: str, session: SessionDep):
    return {"faq": item(session, "faq", faq_id)}


@router.get("/frontdoor/staffed")
def staffed(request: Request, session: SessionDep):
    """Is a person reading handed-over chats now, and if not, when next (for honest waiting messages)."""
    frontdoor = item(session, "frontdoor", "frontdoor")
    now = _now(request)
    if frontdoor is None:
        return {"staffed_now": False, "staffed_until_words": None, "next_staffed": None, "next_staffed_words": None}
    closed = _closed_days(session)
    weekly = frontdoor["staffed_hours"]
    opening = hours.next_opening(weekly, now, closed)
    closing = hours.closing_today(weekly, now, closed)
    return {
        "staffed_now": closing is not None,
        "staffed_until_words": hours.clock_words(closing) if closing else None,
        "next_staffed": opening.isoformat() if opening else None,
        "next_staffed_words": hours.when_words(opening, now) if opening else None,
    }


def system_clock() -> datetime:
    return datetime.now(timezone.utc)
