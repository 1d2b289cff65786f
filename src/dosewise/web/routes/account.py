"""Sign-in, sign-out and the first run (the owner account). Passwords never come back in a page."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from dosewise.services import auth
from dosewise.services.runtime import open_database
from dosewise.web.api_docs import fields
from dosewise.web.errors import error_frame
from dosewise.web.frame import FrameOut
from dosewise.web.rendering import expect_form, form_input, respond, wants_json
from dosewise.web.security import session_cookie

router = APIRouter(tags=["account"])


class SignInPage(BaseModel):
    frame: FrameOut
    account: auth.AccountOut | None
    next: str
    first_run: bool  # no account exists yet: the first run page creates the owner
    signed_out: bool = False  # just signed out of this browser (the page says so)


def _next(request: Request) -> str:
    """Where to go after signing in: a path of this site only (never another site: no open redirect)."""
    target = request.query_params.get("next") or "/today"
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/today"


def build_sign_in(request: Request) -> SignInPage:
    db = open_database(request.app.state.settings)
    return SignInPage(
        frame=error_frame(request),
        account=request.state.account,
        next=_next(request),
        first_run=not auth.has_accounts(db),
        signed_out=request.query_params.get("signed_out") == "1",
    )


@router.get("/signin", response_model=SignInPage)
def sign_in_page(request: Request) -> Response:
    """Sign in with an email and password (or see who is signed in on this browser)."""
    return respond(request, "signin.html", build_sign_in(request))


def signed_in_response(request: Request, account: auth.AccountOut, signed: str, to: str) -> Response:
    response: Response
    if wants_json(request):
        response = JSONResponse(account.model_dump(mode="json"), status_code=200)
    else:
        response = RedirectResponse(to, status_code=303)
    response.headers.append("set-cookie", session_cookie(signed, secure=request.url.scheme == "https"))
    return response


@router.post("/signin", openapi_extra=fields(required={"email": "Email address.", "password": "Password."}))
async def sign_in(request: Request) -> Response:
    """Sign in: a new session value is issued (the one from before is never signed in)."""
    data = await form_input(request)
    expect_form(request, "signin", "signin.html", build_sign_in, {"email": data.get("email", "")})
    value, signed = request.app.state.csrf.new_session()
    client = request.client.host if request.client else "unknown"
    account = await run_in_threadpool(
        lambda: auth.sign_in(
            open_database(request.app.state.settings),
            email=data.get("email", ""),
            password=data.get("password", ""),
            client=client,
            new_session=value,
        )
    )
    return signed_in_response(request, account, signed, _next(request))


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    """Sign out of this browser (the next page asks to sign in again)."""
    await form_input(request)
    db = open_database(request.app.state.settings)
    await run_in_threadpool(lambda: auth.sign_out(db, session_value=request.state.session))
    _, signed = request.app.state.csrf.new_session()
    response: Response = (
        JSONResponse({"signed_out": True})
        if wants_json(request)
        else RedirectResponse("/signin?signed_out=1", status_code=303)
    )
    response.headers.append("set-cookie", session_cookie(signed, secure=request.url.scheme == "https"))
    return response


@router.get("/first-run", response_model=SignInPage)
def first_run_page(request: Request) -> Response:
    """The first run: create the owner account (only while no account exists)."""
    return respond(request, "first_run.html", build_sign_in(request))


@router.post(
    "/first-run",
    openapi_extra=fields(
        required={"email": "Email address.", "password": f"At least {auth.MIN_PASSWORD} characters."},
        optional={"name": "Whose journal this is (needed when nobody is set up yet)."},
    ),
)
async def first_run(request: Request) -> Response:
    """Create the owner account and sign in; refused (404) once any account exists."""
    data = await form_input(request)
    kept = {"email": data.get("email", ""), "name": data.get("name", "")}
    expect_form(request, "first-run", "first_run.html", build_sign_in, kept)
    value, signed = request.app.state.csrf.new_session()
    account = await run_in_threadpool(
        lambda: auth.create_owner(
            open_database(request.app.state.settings),
            email=data.get("email", ""),
            password=data.get("password", ""),
            name=data.get("name"),
            new_session=value,
        )
    )
    return signed_in_response(request, account, signed, "/today")
