"""Storing requests for early help: idempotent on the client's key, with sequential references per year."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from integrations.case_api.models import EarlyHelpRequestRow, ReferenceCounter
from integrations.case_api.schemas import EarlyHelpRequest
from integrations.core.db import utcnow


class IdempotencyConflict(Exception):
    """The idempotency key was used before for a different request."""


@dataclass(frozen=True)
class Stored:
    row: EarlyHelpRequestRow
    created: bool


def body_digest(request: EarlyHelpRequest) -> str:
    # Of the validated model, so key order, whitespace and "" vs null do not make a retry look different.
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_request(
    session: Session, *, request: EarlyHelpRequest, idempotency_key: str, now: datetime | None = None
) -> Stored:
    """Stores the request once per key; a replay returns the stored row, another body under the key raises."""
    digest = body_digest(request)
    existing = find_by_key(session, idempotency_key)
    if existing is None:
        received_at = now or utcnow()
        row = EarlyHelpRequestRow(
            reference=next_reference(session, year=received_at.year),
            idempotency_key=idempotency_key,
            body_sha256=digest,
            received_at=received_at,
            channel=request.source.channel,
            conversation_id=request.source.conversation_id,
            answers=request.model_dump(mode="json"),
        )
        session.add(row)
        try:
            session.commit()
            return Stored(row, created=True)
        except IntegrityError:
            # A concurrent post with the same key committed first (its reference number is not lost:
            # our counter increment rolled back with us). Answer as a replay of the winner.
            session.rollback()
            existing = find_by_key(session, idempotency_key)
            if existing is None:
                raise
    if existing.body_sha256 != digest:
        raise IdempotencyConflict
    return Stored(existing, created=False)


def next_reference(session: Session, *, year: int) -> str:
    """EH-<year>-<6 digits>, from a per-year counter updated in the caller's transaction."""
    # UTC year: at New Year London is on GMT, so it is the same year as the council's.
    number = _increment(session, year)
    if number is None:
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(year=year, last_number=1))
            number = 1
        except IntegrityError:
            # Another transaction started this year's counter first; take the next number from it.
            number = _increment(session, year)
    return f"EH-{year}-{number:06d}"


def _increment(session: Session, year: int) -> int | None:
    # UPDATE ... RETURNING takes the row lock and the new value in one statement (no read-then-write race).
    statement = (
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(statement)


def find_by_key(session: Session, idempotency_key: str) -> EarlyHelpRequestRow | None:
    return session.scalar(select(EarlyHelpRequestRow).where(EarlyHelpRequestRow.idempotency_key == idempotency_key))


def find_by_reference(session: Session, reference: str) -> EarlyHelpRequestRow | None:
    return session.scalar(select(EarlyHelpRequestRow).where(EarlyHelpRequestRow.reference == reference))
