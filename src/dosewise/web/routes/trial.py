"""Trial page: Your n-of-1 trial: schedule, today's arm and progress."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from dosewise.web.frame import get_db
from dosewise.web.pending import PendingPage, pending_page
from dosewise.web.rendering import respond

router = APIRouter(tags=["trial"])


def build_trial(request: Request) -> PendingPage:
    return pending_page(get_db(), title="Trial", what="Your n-of-1 trial: schedule, today's arm and progress")


@router.get("/trial", response_model=PendingPage)
def trial_page(request: Request) -> Response:
    """Your n-of-1 trial: schedule, today's arm and progress."""
    return respond(request, "pending.html", build_trial(request))
