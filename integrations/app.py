"""The front-door service: create_app() wires settings, database, Rasa client and routers."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from integrations.channels.sms import views as sms
from integrations.channels.sms import worker as sms_worker
from integrations.channels.webchat import views as webchat
from integrations.channels.webchat.views import STATIC_DIR
from integrations.case_api.client import CaseApiClient
from integrations.console import views as console
from integrations.console.views import CONSOLE_DIR, STAFF_STATIC_DIR
from integrations.content import internal_views as content_internal
from integrations.content.editor import views as content_editor
from integrations.content.editor.service import EditorError
from integrations.core import http
from integrations.core.db import make_session_factory
from integrations.core.logs import configure_logging
from integrations.core.settings import Settings, get_settings
from integrations.core.worker import Backoff
from integrations.early_help.worker import OutboxWorker
from integrations.handoff import views as handoff
from integrations.health import views as health
from integrations.rasa.client import RasaClient
from integrations.staff import audit_views as staff_audit
from integrations.staff import auth as staff_auth
from integrations.staff import signin as staff_signin
from integrations.staff import views as staff


def create_app(
    settings: Settings | None = None,
    *,
    rasa: RasaClient | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    if clock is None:
        frozen = settings.frozen_clock
        clock = content_internal.system_clock if frozen is None else (lambda: frozen)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        worker = _start_outbox(app, settings) if settings.outbox_worker else None
        sms_workers = sms_worker.start(app, settings) if settings.sms_worker else []
        yield
        for sms_thread in sms_workers:
            sms_thread.stop()
        if worker is not None:
            worker.stop()
            app.state.case_api.close()
        app.state.rasa.close()

    app = FastAPI(title="Family Hubs front door", lifespan=lifespan)
    app.state.settings = settings
    app.state.sessions = make_session_factory(settings.database_url)
    app.state.rasa = rasa or RasaClient(
        base_urls=settings.rasa_urls, token=settings.rasa_token, timeout_seconds=settings.rasa_timeout_seconds,
        test_delay_seconds=settings.rasa_test_delay_seconds,
    )
    app.state.clock = clock

    http.install(app)
    for module in (webchat, sms, staff_auth, staff_signin, staff, handoff, staff_audit, console, content_editor, content_internal, health):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/staff-static", StaticFiles(directory=STAFF_STATIC_DIR), name="staff-static")
    app.mount("/console-static", StaticFiles(directory=CONSOLE_DIR), name="console-static")
    app.mount("/content-static", StaticFiles(directory=content_editor.EDITOR_DIR), name="content-static")
    app.add_exception_handler(EditorError, content_editor.editor_error)
    return app


def _start_outbox(app: FastAPI, settings: Settings) -> OutboxWorker:
    """Deliver stored requests for early help in the background; what is pending survives a restart."""
    case_api = app.state.case_api = CaseApiClient(
        base_url=settings.case_api_url, token=settings.case_api_token, timeout_seconds=settings.case_api_timeout_seconds)
    backoff = Backoff(base_seconds=settings.outbox_retry_base_seconds, max_seconds=settings.outbox_retry_max_seconds,
                      lease_seconds=settings.case_api_timeout_seconds + 30)
    return OutboxWorker(app.state.sessions, case_api.submit, poll_seconds=settings.outbox_poll_seconds, backoff=backoff).start()
