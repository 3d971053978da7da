"""The scale-out profile's backends: URLs, Rasa's settings, creating and dropping databases on the real
PostgreSQL, and a clear reason when PostgreSQL or Redis does not answer."""
from __future__ import annotations

import psycopg
import pytest

from integrations.stack.backends import ScaledBackends
from integrations.stack.runner import StackConfig, free_port

REACHABLE = ScaledBackends("check").unreachable()
needs_backends = pytest.mark.skipif(REACHABLE is not None, reason=f"scale-out backends: {REACHABLE}")


def test_urls_and_rasa_settings_name_one_database_per_part():
    backends = ScaledBackends("fdx", pg_host="db.internal", pg_port=5433, pg_user="frontdoor", pg_password="pw",
                              redis_host="cache.internal", redis_port=6380, redis_db=2)
    assert backends.url("service") == "postgresql+psycopg://frontdoor:pw@db.internal:5433/fdx_service"
    env = backends.rasa_env()
    assert (env["TRACKER_DB"], env["TRACKER_DB_HOST"], env["TRACKER_DB_PORT"]) == ("fdx_tracker", "db.internal", "5433")
    assert (env["LOCK_STORE_HOST"], env["LOCK_STORE_PORT"], env["LOCK_STORE_DB"], env["LOCK_STORE_PREFIX"]) == ("cache.internal", "6380", "2", "fdx")


def test_a_private_stack_on_the_scaled_profile_uses_postgresql_and_two_workers(tmp_path):
    config = StackConfig.private(model=tmp_path / "m.tar.gz", var_dir=tmp_path, scaled=True)
    assert config.service_env()["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert config.case_api_env()["CASE_API_DATABASE_URL"].endswith(f"/{config.backends.name}_case_api")
    assert config.workers == 2
    embedded = StackConfig.private(model=tmp_path / "m.tar.gz", var_dir=tmp_path)
    assert embedded.service_env()["DATABASE_URL"].startswith("sqlite:///") and embedded.workers == 1


def test_unreachable_servers_are_named():
    assert "PostgreSQL" in ScaledBackends("x", pg_port=free_port()).unreachable()
    if REACHABLE is None:
        assert "Redis" in ScaledBackends("x", redis_port=free_port()).unreachable()


@needs_backends
def test_create_makes_the_databases_and_drop_removes_them():
    backends = ScaledBackends.private()
    backends.create()
    backends.create()  # again: nothing changes, nothing fails
    try:
        with psycopg.connect(backends.url("service").replace("postgresql+psycopg", "postgresql")) as db:
            assert db.execute("select current_database()").fetchone()[0] == backends.database("service")
    finally:
        backends.drop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(backends.url("tracker").replace("postgresql+psycopg", "postgresql"), connect_timeout=3).close()
