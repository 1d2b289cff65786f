"""Plan page: The titration plan with today highlighted."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from dosewise.web.frame import get_db
from dosewise.web.pending import PendingPage, pending_page
from dosewise.web.rendering import respond

router = APIRouter(tags=["plan"])


def build_plan(request: Request) -> PendingPage:
    return pending_page(get_db(), title="Plan", what="The titration plan with today highlighted")


@router.get("/plan", response_model=PendingPage)
def plan_page(request: Request) -> Response:
    """The titration plan with today highlighted."""
    return respond(request, "pending.html", build_plan(request))
