"""Export and import of the published content as the seed's own YAML files (data/content/*.yml), so
content can be reviewed in version control and loaded back. Import makes drafts; publishing is a separate step."""
from __future__ import annotations

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.content.editor.service import EditorError, put_draft
from integrations.content.models import ContentItem
from integrations.content.schemas import KINDS
from integrations.content.store import ContentError, items_in
from integrations.staff.models import StaffUser

FILES = tuple(dict.fromkeys(spec.file for spec in KINDS.values()))
# Top-level keys the seed files carry beside their items (read_seed ignores them).
_FILE_EXTRAS = {"timetable.yml": {"timezone": "Europe/London"}}


def check_file(file: str) -> None:
    if file not in FILES:
        raise EditorError([f"There is no content file {file!r}. Files: {', '.join(FILES)}."], status=404)


def export_file(session: Session, file: str) -> str:
    check_file(file)
    document: dict = dict(_FILE_EXTRAS.get(file, {}))
    for kind, spec in KINDS.items():
        if spec.file != file:
            continue
        rows = [row.data for row in session.scalars(select(ContentItem).where(ContentItem.kind == kind).order_by(ContentItem.id))]
        if spec.many:
            document[spec.key] = rows
        elif rows and spec.key is None:
            document.update(rows[0])
        elif rows:
            document[spec.key] = rows[0]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)


def import_file(session: Session, file: str, text: str, *, user: StaffUser) -> dict:
    """Drafts for every item of `text` that differs from what is published; what the file leaves out is listed."""
    check_file(file)
    try:
        items = items_in(file, yaml.safe_load(text) or {})
    except yaml.YAMLError as exc:
        raise EditorError([f"{file} is not valid YAML: {exc}"]) from exc
    except ContentError as exc:
        raise EditorError([str(exc)]) from exc
    seen = [(kind, key) for kind, key, _ in items]
    if len(seen) != len(set(seen)):
        twice = sorted({f"{k}/{key}" for k, key in seen if seen.count((k, key)) > 1})
        raise EditorError([f"{file}: these ids appear more than once: {', '.join(twice)}."])
    published = {(row.kind, row.key): row.data for row in session.scalars(
        select(ContentItem).where(ContentItem.kind.in_([k for k, s in KINDS.items() if s.file == file])))}
    drafted, unchanged = [], 0
    for kind, key, data in items:
        if published.get((kind, key)) == data:
            unchanged += 1
            continue
        put_draft(session, kind, key, data, user)
        drafted.append({"kind": kind, "key": key})
    not_in_file = sorted(f"{kind}/{key}" for kind, key in published if (kind, key) not in set(seen))
    return {"drafted": drafted, "unchanged": unchanged, "not_in_file": not_in_file}
