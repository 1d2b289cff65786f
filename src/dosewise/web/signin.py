"""The sign-in gate: once any account exists, every page but sign-in, the first run and static files needs a
signed-in account. With no account (a laptop, this machine only) everything works as before.

Pure ASGI, inside the session middleware (it reads the browser's session value). The account is looked up
in the database on every request (``web_session``), so several workers agree and a sign-out or a revoked
grant counts from the next request on. A browser asking for a page is sent to the sign-in page (303); an API
client, or any other method, gets 401.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dosewise.config import Settings
from dosewise.services import auth
from dosewise.services.runtime import open_database
from dosewise.web.security import HttpMiddleware, refusal

# Without the /api/v1 prefix. The web app manifest and service worker hold no health data: a phone installs the
# app from them before anyone signs in.
OPEN_PATHS = frozenset({"/signin", "/first-run", "/pair", "/openapi.json", "/manifest.webmanifest", "/sw.js"})
NOT_SIGNED_IN = "Sign in first: this Dosewise keeps journals for several people."


def is_open(path: str) -> bool:
    """Pages anyone may open: sign-in, the first run, pairing a phone, static files, the API description, the
    app's manifest and service worker."""
    return path.startswith("/static/") or path.removeprefix("/api/v1") in OPEN_PATHS


class SignInGate(HttpMiddleware):
    """Put the signed-in account (or None) in ``request.state.account``; refuse when one is needed."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.settings = settings

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {})
        path = str(scope.get("path", ""))
        if path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        db = open_database(self.settings)
        account = await run_in_threadpool(auth.account_of_session, db, state.get("session"))
        state["account"] = account
        if account is None and not is_open(path) and await run_in_threadpool(auth.has_accounts, db):
            await _sign_in_first(scope)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _sign_in_first(scope: Scope) -> ASGIApp:
    path = str(scope.get("path", ""))
    accept = Headers(scope=scope).get("accept", "")
    if scope["method"] == "GET" and not path.startswith("/api/") and "application/json" not in accept:
        query = scope.get("query_string", b"").decode("latin-1")
        back = path + (f"?{query}" if query else "")
        return RedirectResponse(f"/signin?next={quote(back, safe='')}", status_code=303)
    return refusal(scope, NOT_SIGNED_IN, 401)
