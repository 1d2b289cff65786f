"""People: whose journal to open when several people keep theirs in one database (``?person=ID``)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import DosewiseError
from dosewise.services import access
from dosewise.services.runtime import open_database
from dosewise.web.errors import error_frame
from dosewise.web.frame import FrameOut, get_db
from dosewise.web.rendering import respond

router = APIRouter(tags=["people"])


class PeoplePage(BaseModel):
    frame: FrameOut
    people: list[access.PersonChoiceOut]


def build_people(request: Request) -> PeoplePage:
    try:
        db = get_db(request)
    except DosewiseError:  # several people and none chosen yet: this page is where one is chosen
        db = open_database(request.app.state.settings).unscoped()
    return PeoplePage(
        frame=error_frame(request), people=access.people_to_choose(db, getattr(request.state, "account", None))
    )


@router.get("/people", response_model=PeoplePage)
def people_page(request: Request) -> Response:
    """The people whose journal this browser may open; each opens with ``/today?person=ID``."""
    return respond(request, "people.html", build_people(request))
