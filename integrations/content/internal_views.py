"""Content for the action server (internal, token-protected): hub finder, FAQ, staffed hours."""
from __future__ import annotations

import hmac
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status

from integrations.content import hours
from integrations.content.faq import best_faq
from integrations.content.hub_finder import find_hub
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
    closed = {date.fromisoformat(d) for d in frontdoor["bank_holidays"]}
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
