"""Database engine, sessions and the declarative base shared by every feature's models."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_engine(database_url: str) -> Engine:
    if not database_url.startswith("sqlite"):
        return create_engine(database_url, pool_pre_ping=True)
    engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 15})

    # pysqlite's own transaction handling breaks SAVEPOINTs and upgrades read locks late; take
    # control so every transaction is BEGIN IMMEDIATE (writers queue on busy_timeout instead of
    # failing with "database is locked" on a read-then-write).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(database_url: str) -> sessionmaker[Session]:
    # expire_on_commit=False: handlers commit before slow outbound calls (Rasa, Twilio) and must
    # not reopen a transaction, and hold a SQLite write lock, just by reading an attribute.
    return sessionmaker(bind=make_engine(database_url), expire_on_commit=False)


def end_transaction(session: Session) -> None:
    """End the transaction a dependency's reads began (objects stay loaded: expire_on_commit=False).

    FastAPI runs each sync dependency and then the endpoint in separate threadpool slots. On SQLite every
    transaction holds the write lock (BEGIN IMMEDIATE), so a dependency that kept its transaction open while
    its endpoint waited for a free thread stalled every request until the busy timeout (50 concurrent chats)."""
    session.commit()


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
