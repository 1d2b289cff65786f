"""Sessions, CSRF tokens, the Host check, the request body limit and security headers (pure ASGI).

- **Session**: the server issues each browser a random session value in a cookie *signed by the app
  secret*; a cookie the client made up (or an old one, after SESSION_DAYS) is replaced by a new one.
- **CSRF**: every form carries the session value signed with a timestamp. A POST is accepted only when
  the token is signed by us, no older than TOKEN_HOURS, and names this browser's session. Requests with a
  JSON body are exempt: a browser cannot send one cross-site without a CORS preflight, which this app
  never grants. Times come from dosewise.clock (tests move it).
- **Host**: only loopback names are accepted as the Host header, whatever the binding (DNS rebinding).
- **Body limit**: a request body larger than its limit is refused with 413 before it is read whole.
- **Headers**: every response, also 4xx and 5xx, carries CSP, nosniff, no-referrer, frame denial and
  ``Cache-Control: no-store`` (health data must not sit in a browser or proxy cache); static files may cache.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dosewise import clock
from dosewise.config import Settings
from dosewise.errors import DosewiseError
from dosewise.private import FILE_MODE, create_once, private_dir

SESSION_COOKIE = "dosewise_session"
CSRF_FIELD = "csrf_token"
REQUEST_ID_FIELD = "request_id"  # every form's client token (web/idempotency.py)
SECRET_FILE = "web-secret"
SESSION_DAYS = 30  # a browser keeps its session value this long, then gets a new one
TOKEN_HOURS = 12  # a form may stay open this long (people who need longer to fill a form still can)
MAX_BODY_BYTES = 1024 * 1024  # 1 MB: any form or JSON body of this app is far smaller
# Addresses that take a file: the file's own limit plus the form around it (paths without /api/v1).
UPLOAD_LIMITS = (
    (re.compile(r"/journal/import"), 11 * 1024 * 1024),  # the journal CSV (10 MB)
    (re.compile(r"/claims"), 5 * 1024 * 1024),  # an article to check (4 MB)
    (re.compile(r"/products/[^/]+/coa/pdf"), 21 * 1024 * 1024),  # a certificate of analysis (20 MB)
)

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class CsrfRejected(DosewiseError):
    """A form arrived without a valid CSRF token (an old page or another site posting here)."""

    status_code = 403


class BodyTooLarge(DosewiseError):
    """A request body is larger than this address accepts."""

    status_code = 413


def app_secret(settings: Settings) -> str:
    """Return settings.secret_key, or a random per-install secret kept in the data dir (created 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = private_dir(Path(settings.data_dir)) / SECRET_FILE
    create_once(path, secrets.token_urlsafe(32).encode())  # created 0600: never readable by others, not even briefly
    path.chmod(FILE_MODE)  # a key written readable by an older version
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < 32:
        raise DosewiseError(f"The secret key in {path} is damaged (too short). Delete the file and start again.")
    return secret


class _ClockSigner(TimestampSigner):
    """Signs with a timestamp taken from Dosewise's one clock."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(secret: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt, signer=_ClockSigner)


class Csrf:
    """Issue and check session values and the form tokens bound to them."""

    def __init__(self, secret: str) -> None:
        self._sessions = _serializer(secret, "dosewise-session")
        self._tokens = _serializer(secret, "dosewise-csrf")

    def new_session(self) -> tuple[str, str]:
        """Return a fresh session value and the signed cookie that carries it."""
        value = secrets.token_urlsafe(24)
        return value, self._sessions.dumps(value)

    def session_of(self, cookie: str | None) -> str | None:
        """Return the session value in a cookie we signed (and not older than SESSION_DAYS), else None."""
        if not cookie or len(cookie) > 200:
            return None
        try:
            value = self._sessions.loads(cookie, max_age=SESSION_DAYS * 86400)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def form_token(self, session: str) -> str:
        return self._tokens.dumps(session)

    def check(self, session: str | None, form_value: str | None) -> None:
        """Raise CsrfRejected unless ``form_value`` is a fresh token for ``session``."""
        try:
            ok = (
                bool(session and form_value)
                and self._tokens.loads(form_value or "", max_age=TOKEN_HOURS * 3600) == session
            )
        except SignatureExpired:
            raise CsrfRejected(
                f"This form was opened more than {TOKEN_HOURS} hours ago and has expired. Nothing was saved. "
                "Reload the page and try again."
            ) from None
        except BadSignature:
            ok = False
        if not ok:
            raise CsrfRejected(
                "This form has expired or did not come from Dosewise. Nothing was saved. Reload the page and try again."
            )


def secure_headers(headers: MutableHeaders, path: str) -> None:
    """Add the security headers (and no-store outside /static/) to a response's headers."""
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    headers.setdefault("Vary", "Accept")
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"


def refusal(scope: Scope, message: str, status: int) -> Response:
    """A refusal before any route ran: JSON ``{"error": ...}`` for API clients, plain text for a browser."""
    accept = Headers(scope=scope).get("accept", "")
    if str(scope.get("path", "")).startswith("/api/") or ("application/json" in accept and "text/html" not in accept):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


class HttpMiddleware:
    """A pure ASGI middleware that acts on HTTP requests only (``handle``) and passes anything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class SecurityHeaders(HttpMiddleware):
    """Outermost middleware: every response that leaves the app gets the security headers."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure_headers(MutableHeaders(scope=message), scope.get("path", ""))
            await send(message)

        await self.app(scope, receive, send_secure)


class HostCheck(HttpMiddleware):
    """Refuse any Host header but this machine's names (a web page cannot reach us by DNS rebinding).

    Served beyond this machine (``exposed``: `dosewise serve --host 0.0.0.0`, which needs an account first),
    any Host is accepted while an account exists: every page then needs a signed-in account, whose cookie a
    rebinding site never has.
    """

    def __init__(self, app: ASGIApp, exposed: bool = False, settings: Settings | None = None) -> None:
        super().__init__(app)
        self.exposed = exposed
        self.settings = settings

    async def _accounts_exist(self) -> bool:
        from starlette.concurrency import run_in_threadpool

        from dosewise.services import auth
        from dosewise.services.runtime import open_database

        return await run_in_threadpool(lambda: auth.has_accounts(open_database(self.settings)))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = Headers(scope=scope).get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        local = name.lower() in LOOPBACK_NAMES
        if not local and not (self.exposed and await self._accounts_exist()):
            response = refusal(scope, "Invalid host header: Dosewise answers only as 127.0.0.1.", 400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SessionCookie(HttpMiddleware):
    """Give every request this browser's session value (``request.state.session``), issuing one if needed."""

    def __init__(self, app: ASGIApp, csrf: Csrf) -> None:
        super().__init__(app)
        self.csrf = csrf

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        cookie = cookie_parser(Headers(scope=scope).get("cookie", "")).get(SESSION_COOKIE)
        session = self.csrf.session_of(cookie)
        fresh = None
        if session is None:
            session, fresh = self.csrf.new_session()
        scope.setdefault("state", {})["session"] = session

        async def send_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                already = any(v.startswith(f"{SESSION_COOKIE}=") for v in headers.getlist("set-cookie"))
                if not already:  # a sign-in or sign-out answered with its own, new session value
                    headers.append("set-cookie", session_cookie(fresh, secure=scope.get("scheme") == "https"))
            await send(message)

        await self.app(scope, receive, send_cookie)


def session_cookie(signed_value: str, *, secure: bool) -> str:
    """The Set-Cookie value carrying a signed session value: HttpOnly, SameSite=Lax, Secure under TLS.

    Lax (not Strict) so that opening Dosewise from a link (a pairing code, a bookmark on the phone) finds the
    sign-in; every write still needs the form's CSRF token bound to this value.
    """
    carrier = Response()
    carrier.set_cookie(
        SESSION_COOKIE,
        signed_value,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    return carrier.headers["set-cookie"]


class BodyLimit(HttpMiddleware):
    """Refuse request bodies over MAX_BODY_BYTES (UPLOAD_LIMITS for addresses that take a file) with 413."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")).removeprefix("/api/v1")
        limit = next((size for pattern, size in UPLOAD_LIMITS if pattern.fullmatch(path)), MAX_BODY_BYTES)
        message = (
            f"The request is too large: this address accepts at most {limit // 1024 // 1024} MB. Nothing was saved."
        )
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            await refusal(scope, message, 413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(message)
            return msg

        await self.app(scope, counted, send)
