"""The practitioner console page (`/console`) and the staff pages' shared files (`/staff-static`)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from integrations.content.store import items_of
from integrations.core.db import SessionDep
from integrations.staff.auth import ConversationReader

CONSOLE_DIR = Path(__file__).parent / "static"
STAFF_STATIC_DIR = Path(__file__).resolve().parents[1] / "staff" / "static"
router = APIRouter()


@router.get("/console", include_in_schema=False)
def console_page():
    return FileResponse(CONSOLE_DIR / "console.html", media_type="text/html", headers={"Cache-Control": "no-store"})


@router.get("/api/console/hubs")
def hubs(user: ConversationReader, session: SessionDep):
    """The hubs, for the queue's hub filter."""
    return {"hubs": [{"id": h["id"], "name": h["name"]} for h in items_of(session, "hub")]}
