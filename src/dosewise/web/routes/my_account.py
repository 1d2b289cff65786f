"""Your account: who is signed in, in what role, and changing one's own password (never anyone else's: the
account is the signed-in one, never a field of the form). Passwords never come back in a page."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NotSignedIn
from dosewise.services import auth, passwords
from dosewise.services.runtime import open_database
from dosewise.web.api_docs import fields
from dosewise.web.errors import error_frame
from dosewise.web.frame import FrameOut
from dosewise.web.rendering import expect_form, form_input, respond
from dosewise.web.routes.account import signed_in_response

router = APIRouter(tags=["account"])
NOT_SIGNED_IN = "Sign in first: only a signed-in account has a password to change."


class AccountPage(BaseModel):
    frame: FrameOut
    signed_in: bool  # False: no account exists yet (this computer only): nothing to change
    email: str | None
    role: str | None  # person | caregiver | clinician
    role_words: str | None  # the role in plain words
    password_chosen_by: str | None  # who chose the password, in words, while it is not the holder's own
    saved: bool  # the password was just changed
    min_password: int = auth.MIN_PASSWORD


def build_account(request: Request) -> AccountPage:
    account: auth.AccountOut | None = getattr(request.state, "account", None)
    return AccountPage(
        frame=error_frame(request),  # this page is about the account, whichever journal is open (or none)
        signed_in=account is not None,
        email=account.email if account else None,
        role=account.role if account else None,
        role_words=auth.ROLE_WORDS.get(account.role) if account else None,
        password_chosen_by=passwords.chosen_by_words(account.password_set_by) if account else None,
        saved=request.query_params.get("saved") == "password",
    )


@router.get("/account", response_model=AccountPage)
def account_page(request: Request) -> Response:
    """The signed-in account (email, role) and a form to change its password."""
    return respond(request, "account.html", build_account(request))


@router.post(
    "/account/password",
    openapi_extra=fields(
        required={
            "current_password": "The password you signed in with.",
            "new_password": f"At least {auth.MIN_PASSWORD} characters.",
            "new_password_again": "The new password once more (it must be the same).",
        }
    ),
)
async def change_password(request: Request) -> Response:
    """Change the signed-in account's password: every other browser and phone of the account is signed out,
    and this one gets a new sign-in."""
    data = await form_input(request)
    expect_form(request, "password", "account.html", build_account, {})  # a refused form keeps no password
    account: auth.AccountOut | None = getattr(request.state, "account", None)
    if account is None:
        raise NotSignedIn(NOT_SIGNED_IN)
    value, signed = request.app.state.csrf.new_session()
    changed = await run_in_threadpool(
        lambda: passwords.change_password(
            open_database(request.app.state.settings),
            account_id=account.id,
            current=data.get("current_password", ""),
            new=data.get("new_password", ""),
            again=data.get("new_password_again", ""),
            client=request.client.host if request.client else "unknown",
            new_session=value,
        )
    )
    return signed_in_response(request, changed, signed, "/account?saved=password")
