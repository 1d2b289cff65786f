"""First run: set up the person (name, condition), or load the clearly labelled demo person."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.model.people import CONDITIONS
from dosewise.services import demo, people
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, respond

router = APIRouter(tags=["setup"])


class SetupPage(BaseModel):
    frame: FrameOut
    conditions: dict[str, str]
    database_is_empty: bool


def build_setup(request: Request) -> SetupPage:
    db = get_db(request)
    return SetupPage(frame=frame(db), conditions=CONDITIONS, database_is_empty=demo.database_is_empty(db))


@router.get("/setup", response_model=SetupPage)
def setup_page(request: Request) -> Response:
    """Who is this journal for?"""
    return respond(request, "setup.html", build_setup(request))


@router.post("/setup", status_code=201)
async def save_setup(request: Request, db: DbDep) -> Response:
    """Create (or rename) the person: fields ``name`` and ``condition``."""
    data = await form_input(request)
    expect_form(request, "setup", "setup.html", build_setup, data)
    condition = data.get("condition") or ""
    out = await run_in_threadpool(people.set_person, db, name=data.get("name", "").strip() or None,
                                  conditions=[condition] if condition else None)
    return done(request, out, "/today")


@router.post("/setup/demo", status_code=201)
async def load_demo(request: Request, db: DbDep) -> Response:
    """Load the demo person (only into an empty database)."""
    data = await form_input(request)
    expect_form(request, "demo", "setup.html", build_setup, data)
    out = await run_in_threadpool(demo.load_demo, db)
    return done(request, out, "/today")
