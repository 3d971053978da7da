"""The content editor: `/content` (the page) and `/api/content/...` (its API), for the comms and admin roles."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from integrations.content.editor import form, preview, service, yaml_io
from integrations.content.editor.service import EditorError, Ref
from integrations.content.models import ContentItem
from integrations.content.schemas import KINDS
from integrations.core.db import SessionDep
from integrations.staff.auth import require_role
from integrations.staff.models import StaffUser

EDITOR_DIR = Path(__file__).parent / "static"
Editor = Annotated[StaffUser, Depends(require_role("comms", "admin"))]
router = APIRouter()
LABELS = {"faq": "FAQ", "hub": "Hubs", "service": "Services", "session": "Timetable sessions", "terms": "School terms",
          "contact": "Contacts", "postcodes": "Postcodes", "frontdoor": "Staffed hours"}


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict


class RefIn(BaseModel):
    kind: str
    key: str


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[RefIn] | None = None  # None: every draft
    note: str = Field(default="", max_length=500)


class ImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str


def editor_error(_request: Request, exc: EditorError) -> JSONResponse:
    # One problem a line in `detail` (what the page shows as a list), and the list itself in `errors`.
    return JSONResponse({"detail": "\n".join(exc.messages), "errors": exc.messages}, status_code=exc.status)


def _title(kind: str, data: dict) -> str:
    return str(data.get("question") or data.get("name") or (
        f"{data['hub']}: {data['title']} ({data['day']} {data['start']}-{data['end']})" if kind == "session" else "")
        or LABELS.get(kind, kind))


def _draft_out(draft) -> dict | None:
    if draft is None:
        return None
    return {"kind": draft.kind, "key": draft.key, "data": draft.data, "delete": draft.data is None,
            "author": draft.author, "updated_at": draft.updated_at.isoformat(),
            "title": _title(draft.kind, draft.data) if draft.data else draft.key}


@router.get("/content", include_in_schema=False)
def editor_page():
    return FileResponse(EDITOR_DIR / "content.html", media_type="text/html", headers={"Cache-Control": "no-store"})


@router.get("/api/content")
def overview(user: Editor, session: SessionDep):
    counts: dict[str, int] = {}
    for kind, *_ in service.all_items(session):
        counts[kind] = counts.get(kind, 0) + 1
    return {
        "kinds": [{"kind": k, "label": LABELS[k], "file": s.file, "many": s.many, "count": counts.get(k, 0),
                   "fields": form.fields_of(k)} for k, s in KINDS.items()],
        "drafts": [_draft_out(d) for d in service.drafts(session)],
        "files": list(yaml_io.FILES),
    }


@router.get("/api/content/history")
def list_history(user: Editor, session: SessionDep, kind: Annotated[str | None, Query(max_length=32)] = None,
                 key: Annotated[str | None, Query(max_length=120)] = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100):
    return {"versions": [service.version_out(v) for v in service.history(session, kind=kind, key=key, limit=limit)]}


@router.post("/api/content/history/{version_id}/rollback")
def roll_back(version_id: int, user: Editor, session: SessionDep):
    version = service.rollback(session, version_id=version_id, user=user)
    session.commit()
    return service.version_out(version)


@router.post("/api/content/publish")
def publish(body: PublishIn, user: Editor, session: SessionDep):
    refs = None if body.items is None else [Ref(r.kind, r.key) for r in body.items]
    version = service.publish(session, refs=refs, user=user, note=body.note)
    session.commit()
    return service.version_out(version)


@router.post("/api/content/preview/{kind}")
def preview_item(kind: str, body: ItemIn, user: Editor, request: Request, session: SessionDep):
    data = service.validate(kind, body.data)
    return preview.preview(session, kind, data, now=request.app.state.clock())


@router.get("/api/content/export/{file}", response_class=PlainTextResponse)
def export(file: str, user: Editor, session: SessionDep):
    text = yaml_io.export_file(session, file)
    return PlainTextResponse(text, media_type="application/yaml",
                             headers={"Content-Disposition": f'attachment; filename="{file}"'})


@router.post("/api/content/import/{file}")
def import_yaml(file: str, body: ImportIn, user: Editor, session: SessionDep):
    result = yaml_io.import_file(session, file, body.yaml, user=user)
    session.commit()
    return result


@router.get("/api/content/{kind}")
def list_items(kind: str, user: Editor, session: SessionDep):
    service.check_kind(kind)
    drafts = {d.key: d for d in service.drafts(session) if d.kind == kind}
    rows = session.query(ContentItem).filter(ContentItem.kind == kind).order_by(ContentItem.id).all()
    items = [{"key": r.key, "title": _title(kind, r.data), "verify": r.data.get("verify", False),
              "updated_by": r.updated_by, "updated_at": r.updated_at.isoformat(), "draft": r.key in drafts} for r in rows]
    items += [{"key": d.key, "title": _title(kind, d.data), "verify": d.data.get("verify", False), "updated_by": None,
               "updated_at": None, "draft": True, "new": True}
              for key, d in drafts.items() if d.data is not None and key not in {r.key for r in rows}]
    return {"kind": kind, "label": LABELS[kind], "items": items}


@router.post("/api/content/{kind}", status_code=201)
def create_item(kind: str, body: ItemIn, user: Editor, session: SessionDep):
    draft = service.save_draft(session, kind=kind, key=None, data=body.data, user=user)
    session.commit()
    return _draft_out(draft)


@router.get("/api/content/{kind}/{key}")
def get_item(kind: str, key: str, user: Editor, session: SessionDep):
    service.check_kind(kind)
    row, draft = service.published(session, kind, key), service.draft_of(session, kind, key)
    if row is None and draft is None:
        raise EditorError([f"There is no {kind} {key!r}."], status=404)
    published = row.data if row else None
    return {
        "kind": kind, "key": key, "published": published,
        "updated_by": row.updated_by if row else None, "updated_at": row.updated_at.isoformat() if row else None,
        "draft": _draft_out(draft),
        "diff": service.diff(published or {}, draft.data or {}) if draft else [],
    }


@router.put("/api/content/{kind}/{key}/draft")
def save_draft(kind: str, key: str, body: ItemIn, user: Editor, session: SessionDep):
    draft = service.save_draft(session, kind=kind, key=key, data=body.data, user=user)
    session.commit()
    return _draft_out(draft)


@router.delete("/api/content/{kind}/{key}/draft", status_code=204)
def discard_draft(kind: str, key: str, user: Editor, session: SessionDep):
    service.discard_draft(session, kind=kind, key=key, user=user)
    session.commit()


@router.post("/api/content/{kind}/{key}/delete")
def draft_deletion(kind: str, key: str, user: Editor, session: SessionDep):
    draft = service.draft_deletion(session, kind=kind, key=key, user=user)
    session.commit()
    return _draft_out(draft)
