"""Insights page: Does it help? The verdict in words, with its interval, charts and caveats."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from dosewise.web.frame import get_db
from dosewise.web.pending import PendingPage, pending_page
from dosewise.web.rendering import respond

router = APIRouter(tags=["insights"])


def build_insights(request: Request) -> PendingPage:
    return pending_page(get_db(), title="Insights",
                        what="Does it help? The verdict in words, with its interval, charts and caveats")


@router.get("/insights", response_model=PendingPage)
def insights_page(request: Request) -> Response:
    """Does it help? The verdict in words, with its interval, charts and caveats."""
    return respond(request, "pending.html", build_insights(request))
