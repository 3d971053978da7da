"""The scale-out profile's shared backends: PostgreSQL (the service's and the case API's databases, Rasa's
tracker store) and Redis (Rasa's lock store), on the servers named by SCALED_PG_* and SCALED_REDIS_*."""
from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

PARTS = ("service", "case_api", "tracker")


@dataclass(frozen=True)
class ScaledBackends:
    # Every database is "<name>_<part>"; Redis lock keys are prefixed with the name (letters and digits only).
    name: str
    pg_host: str = field(default_factory=lambda: os.environ.get("SCALED_PG_HOST", "127.0.0.1"))
    pg_port: int = field(default_factory=lambda: int(os.environ.get("SCALED_PG_PORT", "5432")))
    pg_user: str = field(default_factory=lambda: os.environ.get("SCALED_PG_USER", "postgres"))
    pg_password: str = field(default_factory=lambda: os.environ.get("SCALED_PG_PASSWORD", ""))
    redis_host: str = field(default_factory=lambda: os.environ.get("SCALED_REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: int(os.environ.get("SCALED_REDIS_PORT", "6379")))
    redis_db: int = field(default_factory=lambda: int(os.environ.get("SCALED_REDIS_DB", "0")))

    @classmethod
    def private(cls) -> "ScaledBackends":
        """Databases of its own for one test run or benchmark (dropped by drop())."""
        return cls(name=f"fdtest{secrets.token_hex(4)}")

    def database(self, part: str) -> str:
        return f"{self.name}_{part}"

    def url(self, part: str) -> str:
        """A SQLAlchemy URL for the service or the case API (psycopg 3)."""
        auth = self.pg_user + (f":{self.pg_password}" if self.pg_password else "")
        return f"postgresql+psycopg://{auth}@{self.pg_host}:{self.pg_port}/{self.database(part)}"

    def rasa_env(self) -> dict[str, str]:
        """What endpoints.scaled.yml reads."""
        return {
            "TRACKER_DB_HOST": self.pg_host, "TRACKER_DB_PORT": str(self.pg_port), "TRACKER_DB": self.database("tracker"),
            "TRACKER_DB_USER": self.pg_user, "TRACKER_DB_PASSWORD": self.pg_password or "unused",
            "LOCK_STORE_HOST": self.redis_host, "LOCK_STORE_PORT": str(self.redis_port),
            "LOCK_STORE_DB": str(self.redis_db), "LOCK_STORE_PREFIX": self.name,
        }

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(host=self.pg_host, port=self.pg_port, user=self.pg_user, password=self.pg_password or None,
                               dbname="postgres", autocommit=True, connect_timeout=5)

    def create(self) -> None:
        """Creates the databases that do not exist yet (existing ones keep their data)."""
        with self._admin() as admin:
            existing = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
            for part in PARTS:
                if self.database(part) not in existing:
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database(part))))

    def drop(self) -> None:
        with self._admin() as admin:
            for part in PARTS:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database(part))))

    def unreachable(self) -> str | None:
        """Why the profile cannot run here (None if PostgreSQL and Redis both answer)."""
        try:
            self._admin().close()
        except psycopg.Error as exc:
            return f"PostgreSQL at {self.pg_host}:{self.pg_port} does not answer ({type(exc).__name__})"
        try:
            with socket.create_connection((self.redis_host, self.redis_port), timeout=3) as conn:
                conn.sendall(b"PING\r\n")
                if not conn.recv(16).startswith(b"+PONG"):
                    return f"Redis at {self.redis_host}:{self.redis_port} did not answer PING"
        except OSError as exc:
            return f"Redis at {self.redis_host}:{self.redis_port} does not answer ({type(exc).__name__})"
        return None
