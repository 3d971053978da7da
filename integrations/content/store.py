"""Reading and seeding content items."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.content.models import ContentItem
from integrations.content.schemas import KINDS


class ContentError(ValueError):
    pass


def read_seed(content_dir: Path) -> list[tuple[str, str, dict]]:
    """Every item of the seed files as (kind, key, validated data); raises ContentError naming the fault."""
    items: list[tuple[str, str, dict]] = []
    for file in dict.fromkeys(spec.file for spec in KINDS.values()):
        path = content_dir / file
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
        items += items_in(file, document)
    check_references(items)
    return items


def items_in(file: str, document: object) -> list[tuple[str, str, dict]]:
    """The validated items of one content file's document (the seed's shape; also what import reads)."""
    if not isinstance(document, dict):
        raise ContentError(f"{file}: expected a YAML mapping at the top")
    items: list[tuple[str, str, dict]] = []
    for kind, spec in KINDS.items():
        if spec.file != file:
            continue
        raw = document if spec.key is None else document.get(spec.key)
        if spec.many:
            for index, entry in enumerate(raw or []):
                data = _validate(spec.schema, entry, f"{spec.file} {spec.key}[{index}]")
                items.append((kind, data["id"], data))
        elif raw is not None:
            if spec.key is None:
                raw = {k: v for k, v in raw.items() if k != "timezone"}
            items.append((kind, kind, _validate(spec.schema, raw, f"{spec.file} {spec.key or ''}".strip())))
    return items


def _validate(schema: type[BaseModel], raw: object, where: str) -> dict:
    try:
        return schema.model_validate(raw).model_dump(mode="json")
    except ValueError as exc:
        raise ContentError(f"{where}: {exc}") from exc


def check_references(items: list[tuple[str, str, dict]]) -> None:
    """Every hub, service and neighbour an item names exists; ContentError naming the first that does not."""
    hubs = {key for kind, key, _ in items if kind == "hub"}
    services = {key for kind, key, _ in items if kind == "service"}
    for kind, key, data in items:
        refs = []
        if kind == "hub":
            refs = data["neighbours"]
        elif kind == "session":
            refs = [data["hub"]]
            if data["service"] and data["service"] not in services:
                raise ContentError(f"session {key}: unknown service {data['service']!r}")
        elif kind == "service":
            refs = [h for h in data["hubs"] if h != "all"]
        elif kind == "postcodes":
            refs = [h for row in data["coventry"] for h in row["hubs"]]
        unknown = sorted(set(refs) - hubs)
        if unknown:
            raise ContentError(f"{kind} {key}: unknown hub id(s) {', '.join(unknown)}")


def seed_content(session: Session, content_dir: Path) -> int:
    """Insert seed items that are not in the database yet; never overwrite what comms has edited, nor bring back
    an item comms deleted (any item a published version touched is theirs)."""
    from integrations.content.editor.models import ContentChange

    existing = {(kind, key) for kind, key in session.execute(select(ContentItem.kind, ContentItem.key))}
    existing |= {(kind, key) for kind, key in session.execute(select(ContentChange.kind, ContentChange.key))}
    added = 0
    for kind, key, data in read_seed(content_dir):
        if (kind, key) not in existing:
            session.add(ContentItem(kind=kind, key=key, data=data, updated_by="seed"))
            added += 1
    session.flush()
    return added


def items_of(session: Session, kind: str) -> list[dict]:
    return [row.data for row in session.scalars(select(ContentItem).where(ContentItem.kind == kind).order_by(ContentItem.key))]


def item(session: Session, kind: str, key: str) -> dict | None:
    row = session.scalars(select(ContentItem).where(ContentItem.kind == kind, ContentItem.key == key)).one_or_none()
    return row.data if row else None
