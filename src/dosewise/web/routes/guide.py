"""Guide page: Condition guides and questions."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from dosewise.web.frame import get_db
from dosewise.web.pending import PendingPage, pending_page
from dosewise.web.rendering import respond

router = APIRouter(tags=["guide"])


def build_guide(request: Request) -> PendingPage:
    return pending_page(get_db(), title="Guide", what="Condition guides and questions")


@router.get("/guide", response_model=PendingPage)
def guide_page(request: Request) -> Response:
    """Condition guides and questions."""
    return respond(request, "pending.html", build_guide(request))
