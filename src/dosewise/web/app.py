"""The FastAPI factory: routers (HTML and /api/v1 twins), static files, security, one error handler."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from dosewise.config import Settings, get_settings
from dosewise.errors import DosewiseError
from dosewise.web.errors import dosewise_error, http_error
from dosewise.web.routes import alerts, guide, insights, journal, journal_edit, plan, products, setup, today, trial
from dosewise.web.security import LOOPBACK_NAMES, Csrf, SecurityMiddleware, app_secret, is_loopback

ROUTERS = (today, journal, journal_edit, products, plan, trial, insights, guide, alerts, setup)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Every page answers HTML, or JSON under /api/v1 or with ``Accept: application/json``."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Dosewise", version="1",
        description="A careful journal, safety checks and honest analysis for people trying cannabinoids. "
        "Every page of the web app has a JSON twin under /api/v1. Not medical advice.",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN, which the CSP forbids
    )
    app.state.settings = settings
    app.state.csrf = Csrf(app_secret(settings))
    app.add_middleware(SecurityMiddleware)
    if is_loopback(settings.host):  # refuse other Host names: a web page cannot reach us by DNS rebinding
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES)
    app.add_exception_handler(DosewiseError, dosewise_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, http_error)
    app.mount("/static", StaticFiles(directory=str(resources.files("dosewise.web").joinpath("static"))),
              name="static")
    for module in ROUTERS:
        app.include_router(module.router, include_in_schema=False)
        app.include_router(module.router, prefix="/api/v1")
    return app
