"""Sharing: who else sees this person's journal (caregivers, clinicians), sharing it and revoking it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NotAllowed
from dosewise.services import sharing
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, optional, respond

router = APIRouter(tags=["sharing"])
THIS_COMPUTER = "this computer"  # the actor of a change made without an account (this machine only)


class SharingPage(BaseModel):
    frame: FrameOut
    grants: list[sharing.GrantOut]
    roles: list[str]
    saved: str | None
    can_invite: bool  # a signed-in person's account (with no account yet, the first one is the owner's)


def _owner_only(request: Request) -> None:
    get_db(request)
    if getattr(request.state, "role", None) not in (None, "person"):
        raise NotAllowed("Only the person themself decides who sees their journal.")


def _actor(request: Request) -> str:
    account = getattr(request.state, "account", None)
    return account.email if account is not None else THIS_COMPUTER


def build_sharing(request: Request) -> SharingPage:
    _owner_only(request)
    db = get_db(request)
    return SharingPage(
        frame=frame(db),
        grants=sharing.list_grants(db),
        roles=list(sharing.GRANT_ROLES),
        saved=request.query_params.get("saved"),
        can_invite=getattr(request.state, "role", None) == "person",
    )


@router.get("/sharing", response_model=SharingPage)
def sharing_page(request: Request) -> Response:
    """Who sees this journal, every version of that consent, and a form to share or stop sharing."""
    return respond(request, "sharing.html", build_sharing(request))


@router.post(
    "/sharing",
    status_code=201,
    openapi_extra=fields(
        required={"email": "The account's email.", "role": "caregiver or clinician."},
        optional={"until": "Last day, YYYY-MM-DD."},
    ),
)
async def share(request: Request, db: DbDep) -> Response:
    """Share this journal with an account as caregiver (reads, writes) or clinician (reads, adds notes)."""
    data = await form_input(request)
    expect_form(request, "share", "sharing.html", build_sharing, data)
    _owner_only(request)
    until = optional(data, "until")
    out = await run_in_threadpool(
        lambda: sharing.share(
            db,
            email=data.get("email", ""),
            role=data.get("role", ""),
            until=sharing.parse_day(until) if until else None,
            actor=_actor(request),
        )
    )
    return done(request, out, "/sharing?saved=shared")


@router.post(
    "/sharing/invite",
    status_code=201,
    openapi_extra=fields(
        required={
            "email": "Their email: they sign in with it.",
            "role": "caregiver or clinician.",
            "password": "The password they will sign in with (at least 12 characters).",
        },
        optional={"until": "Last day, YYYY-MM-DD."},
    ),
)
async def invite(request: Request, db: DbDep) -> Response:
    """Add an account for someone and share this journal with it, in one step (the person's own account only)."""
    data = await form_input(request)
    kept = {k: v for k, v in data.items() if k != "password"}  # a refused form never shows the password again
    expect_form(request, "invite", "sharing.html", build_sharing, kept)
    _owner_only(request)
    until = optional(data, "until")
    out = await run_in_threadpool(
        lambda: sharing.invite(
            db,
            email=data.get("email", ""),
            role=data.get("role", ""),
            password=data.get("password", ""),
            until=sharing.parse_day(until) if until else None,
            actor=_actor(request),
        )
    )
    return done(request, out, "/sharing?saved=invited")


@router.post("/sharing/revoke", openapi_extra=fields(required={"email": "The account's email."}))
async def revoke(request: Request, db: DbDep) -> Response:
    """Stop sharing this journal with an account (from its next page on)."""
    data = await form_input(request)
    expect_form(request, "revoke", "sharing.html", build_sharing, data)
    _owner_only(request)
    out = await run_in_threadpool(lambda: sharing.revoke(db, email=data.get("email", ""), actor=_actor(request)))
    return done(request, out, "/sharing?saved=revoked", status=200)
