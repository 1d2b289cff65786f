"""Pairing a phone: the computer (signed in) shows a one-time code and its QR code; the phone opens /pair,
types or scans it, and is signed in as the same account. Single use, PAIRING_MINUTES, replay refused."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NotSignedIn
from dosewise.services import auth
from dosewise.services.runtime import open_database
from dosewise.web.api_docs import fields
from dosewise.web.errors import error_frame
from dosewise.web.frame import FrameOut
from dosewise.web.rendering import expect_form, form_input, respond
from dosewise.web.routes.account import signed_in_response

router = APIRouter(tags=["account"])


class PairPage(BaseModel):
    frame: FrameOut
    signed_in: bool
    code: str  # a code typed or scanned on the phone (prefilled from ?code=)
    made: auth.PairingOut | None = None  # the code just made on the computer
    qr_svg: str | None = None  # data: URI of its QR code (the address of this page with the code)


def build_pair(request: Request) -> PairPage:
    return PairPage(
        frame=error_frame(request),
        signed_in=getattr(request.state, "account", None) is not None,
        code=(request.query_params.get("code") or "")[:20],
    )


@router.get("/pair", response_model=PairPage)
def pair_page(request: Request) -> Response:
    """On the computer: make a code for a phone. On the phone: type (or scan) the code to sign in."""
    return respond(request, "pair.html", build_pair(request))


@router.post("/pair/new", status_code=201, response_model=PairPage)
async def new_code(request: Request) -> Response:
    """Make a one-time code (and its QR code) that signs a phone in as this account."""
    await form_input(request)
    account = getattr(request.state, "account", None)
    if account is None:
        raise NotSignedIn("Sign in on this computer first; then make a code for the phone.")
    made = await run_in_threadpool(
        lambda: auth.new_pairing_code(open_database(request.app.state.settings), account_id=account.id)
    )
    page = build_pair(request)
    page.made = made
    page.qr_svg = _qr(f"{str(request.base_url).rstrip('/')}/pair?code={made.code}")
    return respond(request, "pair.html", page, status=201)


@router.post("/pair", openapi_extra=fields(required={"code": "The code shown on the computer."}))
async def pair(request: Request) -> Response:
    """Sign this phone in with a code from the computer (once, within minutes)."""
    data = await form_input(request)
    expect_form(request, "pair", "pair.html", build_pair, {"code": data.get("code", "")})
    value, signed = request.app.state.csrf.new_session()
    client = request.client.host if request.client else "unknown"
    account = await run_in_threadpool(
        lambda: auth.pair(
            open_database(request.app.state.settings), code=data.get("code", ""), client=client, new_session=value
        )
    )
    return signed_in_response(request, account, signed, "/today")


def _qr(text: str) -> str:
    import segno

    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=2))
