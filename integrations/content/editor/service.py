"""Draft -> publish -> rollback for the content comms owns. Published content is what the bot reads at run time
(content_items), so a publish is live on the next question: no retrain, no restart."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.content.editor.models import ContentChange, ContentDraft, ContentVersion
from integrations.content.models import ContentItem
from integrations.content.schemas import KINDS
from integrations.content.store import ContentError, check_references
from integrations.staff.audit import record
from integrations.staff.models import StaffUser


class EditorError(ValueError):
    """A change comms cannot make, with every reason in plain words."""

    def __init__(self, messages: list[str], status: int = 422):
        super().__init__("; ".join(messages))
        self.messages, self.status = messages, status


@dataclass(frozen=True)
class Ref:
    kind: str
    key: str


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise EditorError([f"There is no content of kind {kind!r}. Kinds: {', '.join(KINDS)}."], status=404)


def key_of(kind: str, data: dict) -> str:
    return str(data.get("id") or "") if KINDS[kind].many else kind


def validate(kind: str, data: object) -> dict:
    """`data` checked against the kind's schema, normalised as it is stored; EditorError with every problem."""
    check_kind(kind)
    try:
        return KINDS[kind].schema.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        raise EditorError([_message(e) for e in exc.errors()]) from exc


def _message(error: dict) -> str:
    where = " > ".join(str(p) for p in error.get("loc", ())) or "this item"
    kind, msg = error.get("type", ""), error.get("msg", "is not valid")
    if kind == "missing":
        return f"{where} is required."
    if kind == "extra_forbidden":
        return f"{where} is not a field of this kind of content."
    msg = msg.removeprefix("Value error, ")
    if kind == "literal_error":
        return f"{where}: {msg[0].lower()}{msg[1:]}."
    return f"{where}: {msg}." if not msg.endswith(".") else f"{where}: {msg}"


# ---------------------------------------------------------------------------------------------------- reading

def published(session: Session, kind: str, key: str) -> ContentItem | None:
    return session.scalars(select(ContentItem).where(ContentItem.kind == kind, ContentItem.key == key)).one_or_none()


def draft_of(session: Session, kind: str, key: str) -> ContentDraft | None:
    return session.scalars(select(ContentDraft).where(ContentDraft.kind == kind, ContentDraft.key == key)).one_or_none()


def drafts(session: Session) -> list[ContentDraft]:
    return list(session.scalars(select(ContentDraft).order_by(ContentDraft.kind, ContentDraft.key)))


def all_items(session: Session) -> list[tuple[str, str, dict]]:
    return [(row.kind, row.key, row.data) for row in session.scalars(select(ContentItem).order_by(ContentItem.kind, ContentItem.key))]


# ---------------------------------------------------------------------------------------------------- drafts

def save_draft(session: Session, *, kind: str, key: str | None, data: object, user: StaffUser) -> ContentDraft:
    """Keep an edit (key None: a new item) as the item's draft; nothing the bot says changes until publish."""
    clean = validate(kind, data)
    new_key = key_of(kind, clean)
    if key is None:
        if KINDS[kind].many and published(session, kind, new_key) is not None:
            raise EditorError([f"There is already a {kind} with id {new_key!r}. Edit that one instead."], status=409)
    elif new_key != key:
        raise EditorError([f"id cannot change (it is {key!r}). To rename, add a new item and delete this one."])
    elif published(session, kind, key) is None and draft_of(session, kind, key) is None:
        raise EditorError([f"There is no {kind} {key!r}."], status=404)
    _check_with(session, {(kind, new_key): clean})
    return put_draft(session, kind, new_key, clean, user)


def draft_deletion(session: Session, *, kind: str, key: str, user: StaffUser) -> ContentDraft:
    check_kind(kind)
    if not KINDS[kind].many:
        raise EditorError([f"The {kind} document cannot be deleted, only edited."])
    if published(session, kind, key) is None:
        raise EditorError([f"There is no published {kind} {key!r} to delete."], status=404)
    _check_with(session, {(kind, key): None}, prefix="Cannot delete: ")
    return put_draft(session, kind, key, None, user)


def put_draft(session: Session, kind: str, key: str, data: dict | None, user: StaffUser) -> ContentDraft:
    current = published(session, kind, key)
    row = draft_of(session, kind, key)
    if row is None:
        row = ContentDraft(kind=kind, key=key)
        session.add(row)
    row.data, row.base, row.author = data, current.data if current else None, user.username
    session.flush()
    record(session, actor=user.username, actor_id=user.id, action="content_draft",
           detail={"kind": kind, "key": key, "delete": data is None})
    return row


def discard_draft(session: Session, *, kind: str, key: str, user: StaffUser) -> None:
    row = draft_of(session, kind, key)
    if row is None:
        raise EditorError([f"There is no draft of {kind} {key!r}."], status=404)
    session.delete(row)
    record(session, actor=user.username, actor_id=user.id, action="content_draft_discarded", detail={"kind": kind, "key": key})
    session.flush()


# ---------------------------------------------------------------------------------------------------- publish

def publish(session: Session, *, refs: list[Ref] | None, user: StaffUser, note: str = "", action: str = "publish") -> ContentVersion:
    """Make the drafts named (all drafts when None) what the bot says, as one version."""
    chosen = drafts(session) if refs is None else [d for r in refs if (d := draft_of(session, r.kind, r.key)) is not None]
    if not chosen or (refs is not None and len(chosen) != len(refs)):
        missing = [] if refs is None else [f"{r.kind} {r.key}" for r in refs if draft_of(session, r.kind, r.key) is None]
        raise EditorError([f"There is no draft of {', '.join(missing)} to publish." if missing else "There are no drafts to publish."], status=409)
    stale = [d for d in chosen if (getattr(published(session, d.kind, d.key), "data", None)) != d.base]
    if stale:
        raise EditorError([f"{d.kind} {d.key} was changed after this draft was saved (by {_changed_by(session, d)}): "
                           "open it again, check the draft against what is published, and save it again." for d in stale], status=409)
    changes = {(d.kind, d.key): d.data for d in chosen}
    version = _apply(session, changes, user=user, action=action, note=note)
    for row in chosen:
        session.delete(row)
    session.flush()
    return version


def _changed_by(session: Session, draft: ContentDraft) -> str:
    row = published(session, draft.kind, draft.key)
    return row.updated_by if row else "a delete"


def rollback(session: Session, *, version_id: int, user: StaffUser) -> ContentVersion:
    """Put every item a version changed back as it was before that version, as a new version."""
    target = session.get(ContentVersion, version_id)
    if target is None:
        raise EditorError([f"There is no version {version_id}."], status=404)
    version = _apply(session, {(c.kind, c.key): c.before for c in target.changes}, user=user, action="rollback",
                     note=f"Rollback of version {target.id}", rollback_of=target.id)
    session.flush()
    return version


def _apply(session: Session, changes: dict[tuple[str, str], dict | None], *, user: StaffUser, action: str,
           note: str = "", rollback_of: int | None = None) -> ContentVersion:
    current = _check_with(session, changes, status=409, prefix="Not published: ")
    version = ContentVersion(action=action, author=user.username, author_id=user.id, note=note[:500], rollback_of=rollback_of)
    session.add(version)
    for (kind, key), data in changes.items():
        before = current.get((kind, key))
        if before == data:
            continue
        version.changes.append(ContentChange(kind=kind, key=key, before=before, after=data))
        row = published(session, kind, key)
        if data is None:
            session.delete(row)
        elif row is None:
            session.add(ContentItem(kind=kind, key=key, data=data, updated_by=user.username))
        else:
            row.data, row.updated_by = data, user.username
    if not version.changes:
        session.expunge(version)
        raise EditorError(["Nothing would change: the content is already like this."], status=409)
    session.flush()
    record(session, actor=user.username, actor_id=user.id, action=f"content_{action}",
           detail={"version": version.id, "rollback_of": rollback_of,
                   "items": [f"{c.kind}/{c.key}" for c in version.changes]})
    return version


def _check_with(session: Session, changes: dict[tuple[str, str], dict | None], *, status: int = 422,
                prefix: str = "") -> dict[tuple[str, str], dict]:
    """The published content by (kind, key); EditorError if, with `changes`, an item names a hub or service that is not there."""
    current = {(kind, key): data for kind, key, data in all_items(session)}
    result = {**current, **changes}
    try:
        check_references([(kind, key, data) for (kind, key), data in result.items() if data is not None])
    except ContentError as exc:
        raise EditorError([f"{prefix}{exc}."], status=status) from exc
    return current


# ---------------------------------------------------------------------------------------------------- history

def history(session: Session, *, kind: str | None = None, key: str | None = None, limit: int = 100) -> list[ContentVersion]:
    query = select(ContentVersion).order_by(ContentVersion.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(ContentVersion.changes.any(ContentChange.kind == kind))
    if key is not None:
        query = query.where(ContentVersion.changes.any(ContentChange.key == key))
    return list(session.scalars(query))


def diff(before: object, after: object, path: str = "") -> list[dict]:
    """Field by field: what was there and what is there now (nested fields as `a > b`)."""
    if isinstance(before, dict) and isinstance(after, dict):
        rows = []
        for name in [*before, *(k for k in after if k not in before)]:
            rows += diff(before.get(name), after.get(name), f"{path} > {name}" if path else name)
        return rows
    if before == after:
        return []
    return [{"field": path or "(item)", "before": before, "after": after}]


def version_out(version: ContentVersion) -> dict:
    return {
        "version": version.id, "action": version.action, "author": version.author, "at": version.at.isoformat(),
        "note": version.note, "rollback_of": version.rollback_of,
        "changes": [{"kind": c.kind, "key": c.key,
                     "change": "added" if c.before is None else "deleted" if c.after is None else "edited",
                     "diff": diff(c.before or {}, c.after or {})} for c in version.changes],
    }
