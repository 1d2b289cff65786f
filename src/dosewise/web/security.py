"""CSRF (signed double-submit token) and security headers.

The CSRF cookie holds a random value; every form carries that value signed with the app secret
(itsdangerous). A POST is accepted only when the signed field matches the cookie. Requests with a
JSON body are exempt: a browser cannot send one cross-site without a CORS preflight, which this app
never grants. Tokens do not expire (no time limits for people who need longer to fill a form).
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

from dosewise.config import Settings
from dosewise.errors import DosewiseError

CSRF_COOKIE = "dosewise_csrf"
CSRF_FIELD = "csrf_token"
SECRET_FILE = "web-secret"

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


def app_secret(settings: Settings) -> str:
    """Return settings.secret_key, or a random per-install secret kept in the data dir (mode 600)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


class Csrf:
    """Issue and check signed double-submit tokens."""

    def __init__(self, secret: str) -> None:
        self._signer = URLSafeSerializer(secret, salt="dosewise-csrf")

    def form_token(self, cookie_value: str) -> str:
        return self._signer.dumps(cookie_value)

    def check(self, cookie_value: str | None, form_value: str | None) -> None:
        """Raise CsrfRejected unless ``form_value`` is the signed ``cookie_value``."""
        try:
            ok = bool(cookie_value and form_value) and self._signer.loads(form_value or "") == cookie_value
        except BadSignature:
            ok = False
        if not ok:
            raise CsrfRejected(
                "This form has expired or did not come from Dosewise. Nothing was saved. Reload the page and try again."
            )


class SecurityMiddleware(BaseHTTPMiddleware):
    """Give every request a CSRF cookie value (request.state.csrf_cookie) and every response the headers."""

    async def dispatch(self, request: Request, call_next) -> Response:
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = not cookie or len(cookie) > 100
        request.state.csrf_cookie = secrets.token_urlsafe(24) if fresh else cookie
        response = await call_next(request)
        if fresh:
            response.set_cookie(CSRF_COOKIE, request.state.csrf_cookie, httponly=True, samesite="strict", path="/")
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Vary", "Accept")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
