"""What every page shows around its content: who, demo label, and urgent alerts until acknowledged."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends
from pydantic import BaseModel
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dosewise.errors import NoPerson
from dosewise.services import access, people, today
from dosewise.services.actors import THIS_COMPUTER
from dosewise.services.runtime import Database, open_database  # Database: the type services take
from dosewise.services.safety_schemas import AlertOut

WHO_COOKIE = "dosewise_by"  # who is entering data on this browser: "person" or "caregiver" (not a secret)
PERSON_COOKIE = "dosewise_person"  # whose journal this browser opened last (?person=ID); checked every request


def who_is_entering(request: Request) -> str:
    """Return the signed-in account's role (person | caregiver | clinician: the account is the truth);
    without accounts, "caregiver" when this browser said so on the Today page, else "person"."""
    role: str | None = getattr(request.state, "role", None)
    if role is not None:
        return role
    return "caregiver" if request.cookies.get(WHO_COOKIE) == "caregiver" else "person"


def actor_of(request: Request) -> str:
    """Who acts, as the audit and the ceiling record it: the signed-in account's email, or "this computer"."""
    account = getattr(request.state, "account", None)
    return account.email if account is not None else THIS_COMPUTER


def role_of(request: Request) -> str | None:
    """The role this request acts in for its person (person | caregiver | clinician), None without accounts."""
    get_db(request)  # decides the role (and refuses what the role may not do)
    role: str | None = getattr(request.state, "role", None)
    return role


class FrameOut(BaseModel):
    person_name: str | None
    is_demo: bool
    urgent_alerts: list[AlertOut]
    open_alerts: int = 0  # unacknowledged alerts of any level (shown next to "Alerts")
    several_people: bool = False  # this request may open several journals: the header offers "Change person"


def get_db(request: Request) -> Database:
    """The database named by the app's settings, scoped to the person this request acts for.

    ``?person=ID`` chooses (404 when that person is not there or not shared with this browser's account);
    otherwise the person this browser chose before, the account's own person, or the only person.
    """
    scoped: Database | None = getattr(request.state, "db", None)
    if scoped is None:
        account = getattr(request.state, "account", None)
        scoped = access.request_scope(
            open_database(request.app.state.settings),
            asked=request.query_params.get("person"),
            remembered=request.cookies.get(PERSON_COOKIE),
            account=account,
        )
        request.state.role = access.granted_role(scoped, account)  # read each request: revocation is at once
        access.check_action(request.state.role, request.method, request.url.path)  # 403 before any write
        # New entries say who entered them: the account (its role is the truth), or this computer.
        scoped = scoped.acting_as(request.state.role, account.email if account is not None else THIS_COMPUTER)
        request.state.db = scoped
    return scoped


DbDep = Annotated[Database, Depends(get_db)]


def frame(db: Database) -> FrameOut:
    """Return the page frame; with nobody set up yet it is empty rather than an error."""
    try:
        person = people.get_person(db)
    except NoPerson:
        return FrameOut(person_name=None, is_demo=False, urgent_alerts=[])
    return FrameOut(
        person_name=person.name,
        is_demo=person.is_demo,
        urgent_alerts=today.urgent_alerts(db),
        open_alerts=today.open_alert_count(db),
    )


def with_choices(request: Request, page: BaseModel) -> None:
    """Fill in the one part of a page's frame that depends on who asks rather than on whose journal it is:
    whether this request may open several people's journals (a caregiver with one grant may not, however many
    people the database holds). Called once per answer (``rendering.respond``), so no route has to pass it."""
    shown = getattr(page, "frame", None)
    db = getattr(request.state, "db", None)
    if isinstance(shown, FrameOut) and shown.person_name is not None and db is not None:
        shown.several_people = access.several_to_choose(db, getattr(request.state, "account", None))


class RememberPerson:
    """A page opened with ``?person=ID`` that answered well: the browser keeps that choice (a cookie).

    Pure ASGI, around the routes. The cookie names a choice, not a right: every request checks it again.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = _asked_person(scope) if scope["type"] == "http" else None
        if chosen is None:
            await self.app(scope, receive, send)
            return

        async def send_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                carrier = Response()
                carrier.set_cookie(PERSON_COOKIE, chosen, httponly=True, samesite="lax", path="/")
                MutableHeaders(scope=message).append("set-cookie", carrier.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_cookie)


def _asked_person(scope: Scope) -> str | None:
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if key == "person" and value.isdigit() and len(value) < 20:
            return value
    return None
