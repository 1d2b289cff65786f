"""The phone as an app (PWA): the web app manifest and the service worker, both served from the site root.

The service worker (static/sw.js) must be served from "/" to control /today; it keeps the Today page and the
static files for offline use. Check-ins made offline are queued on the phone by static/offline.js and sent
with an Idempotency-Key when the phone is back online (web/idempotency.py: each is logged once).
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

router = APIRouter(tags=["app"])

MANIFEST = {
    "name": "Dosewise",
    "short_name": "Dosewise",
    "description": "A careful journal for trying cannabinoids: check in every day, even offline.",
    "start_url": "/today",
    "scope": "/",
    "display": "standalone",
    "background_color": "#ffffff",
    "theme_color": "#1d5c4b",
    "icons": [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    ],
}


def _static(name: str) -> bytes:
    return resources.files("dosewise.web").joinpath("static", name).read_bytes()


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    """The web app manifest: name, icons, start at Today, standalone."""
    return JSONResponse(MANIFEST, media_type="application/manifest+json")


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    """The service worker script, from the root so that its scope covers every page."""
    return Response(
        _static("sw.js"),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )
