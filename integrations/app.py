"""The front-door service: create_app() wires settings, database, Rasa client and routers."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from integrations.channels.webchat import views as webchat
from integrations.channels.webchat.views import STATIC_DIR
from integrations.content import internal_views as content_internal
from integrations.core import http
from integrations.core.db import make_session_factory
from integrations.core.settings import Settings, get_settings
from integrations.health import views as health
from integrations.rasa.client import RasaClient
from integrations.staff import auth as staff_auth
from integrations.staff import views as staff


def create_app(
    settings: Settings | None = None,
    *,
    rasa: RasaClient | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    if clock is None:
        frozen = settings.frozen_clock
        clock = content_internal.system_clock if frozen is None else (lambda: frozen)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.rasa.close()

    app = FastAPI(title="Family Hubs front door", lifespan=lifespan)
    app.state.settings = settings
    app.state.sessions = make_session_factory(settings.database_url)
    app.state.rasa = rasa or RasaClient(
        base_url=settings.rasa_url, token=settings.rasa_token, timeout_seconds=settings.rasa_timeout_seconds
    )
    app.state.clock = clock

    http.install(app)
    for module in (webchat, staff_auth, staff, content_internal, health):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
