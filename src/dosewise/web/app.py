"""The FastAPI factory: routers (HTML and /api/v1 twins), static files, security, one error handler."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dosewise.config import Settings, get_settings
from dosewise.errors import DosewiseError
from dosewise.services.runtime import shared_page_reads
from dosewise.web.api_docs import with_error_responses
from dosewise.web.errors import dosewise_error, http_error, server_error
from dosewise.web.frame import RememberPerson
from dosewise.web.idempotency import IdempotentWrites
from dosewise.web.routes import (
    account,
    alerts,
    claims,
    coa,
    guide,
    insights,
    journal,
    journal_edit,
    medicines,
    my_account,
    pairing,
    people,
    plan,
    products,
    pwa,
    reminders,
    setup,
    sharing,
    today,
    trial,
)
from dosewise.web.security import (
    BodyLimit,
    Csrf,
    HostCheck,
    SecurityHeaders,
    SessionCookie,
    app_secret,
    is_loopback,
)
from dosewise.web.signin import SignInGate


class HeadAsGet:
    """Answer HEAD like GET without the body (uptime checks, `curl -I`); FastAPI routes list GET only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        body_sent = False

        async def no_body(message: Message) -> None:
            nonlocal body_sent
            if message["type"] == "http.response.body":
                if body_sent:
                    return
                body_sent, message = True, {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


GEN0_THRESHOLD = 10_000  # allocations between young-generation collections in the server


@asynccontextmanager
async def settle_memory(_app: FastAPI) -> AsyncIterator[None]:
    """When the server starts, move everything loaded so far (modules, the opened database, the app) out of
    the garbage collector's way (``gc.freeze``).

    Python's full collection walks every tracked object; with the libraries a page needs that is about
    200,000 objects, 50-120 ms, landing on whichever request happens to trigger it (the p95 of every page,
    issue 16). Frozen objects are never walked again; they live as long as the server anyway. Each
    worker process runs this once, at its own start; nothing of a person is kept.

    Young collections come less often too (GEN0_THRESHOLD allocations instead of Python's 700): a cold
    Insights view allocates enough to trigger about 12 of them, which made its slowest views 30 % slower
    than its median (measured: p95 51 -> 40 ms CPU). Cycles are still collected, a few requests later.
    """
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])
    yield


class PageReads:
    """A page that only reads (GET) reads through one session: the services it calls share it for its
    person (services.runtime.shared_page_reads), instead of each loading the person, the plan and the alerts
    again. Writes (POST and the rest) are left as they are: each service call is its own transaction."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        with shared_page_reads():
            await self.app(scope, receive, send)


ROUTERS = (
    today,
    journal,
    journal_edit,
    products,
    medicines,
    coa,
    plan,
    trial,
    insights,
    guide,
    claims,
    alerts,
    reminders,
    setup,
    people,
    account,
    my_account,
    sharing,
    pairing,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Every page answers HTML, or JSON under /api/v1 or with ``Accept: application/json``."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Dosewise",
        version="1",
        description="A careful journal, safety checks and honest analysis for people trying cannabinoids. "
        "Every page of the web app has a JSON twin under /api/v1. Not medical advice.",
        docs_url=None,
        redoc_url=None,  # their pages load scripts from a CDN, which the CSP forbids
        lifespan=settle_memory,
    )
    app.state.settings = settings
    app.state.csrf = Csrf(app_secret(settings))
    # Added innermost first: the headers wrap everything, then the Host check, the session, the body limit,
    # and innermost the client tokens of writes (a retried write answers what the first one did).
    app.add_middleware(PageReads)
    app.add_middleware(IdempotentWrites)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RememberPerson)
    app.add_middleware(SignInGate, settings=settings)  # the account, or a refusal once accounts exist
    app.add_middleware(BodyLimit)
    app.add_middleware(SessionCookie, csrf=app.state.csrf)
    # On loopback every Host but this machine's is refused (DNS rebinding); served beyond it, sign-in guards.
    app.add_middleware(HostCheck, exposed=not is_loopback(settings.host), settings=settings)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(Exception, server_error)  # the last resort: a plain page, headers included
    app.add_exception_handler(DosewiseError, dosewise_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, http_error)
    app.mount("/static", StaticFiles(directory=str(resources.files("dosewise.web").joinpath("static"))), name="static")
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_error_responses(build_schema())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
    for module in ROUTERS:
        app.include_router(module.router, include_in_schema=False)
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(pwa.router)  # the manifest and the service worker: files, not pages (no JSON twin)
    return app
