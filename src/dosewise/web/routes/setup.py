"""First run: set up the person (name, condition), or load the clearly labelled demo person."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NoPerson
from dosewise.services import demo, people
from dosewise.services.choices import CONDITIONS, FLAGS, all_scales, parse_whole
from dosewise.services.schemas import PersonOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, number, respond

router = APIRouter(tags=["setup"])


class SetupPage(BaseModel):
    frame: FrameOut
    person: PersonOut | None
    conditions: dict[str, str]
    flags: dict[str, str]
    scales: dict[str, str]
    database_is_empty: bool
    saved: bool


def build_setup(request: Request) -> SetupPage:
    db = get_db(request)
    try:
        person = people.get_person(db)
    except NoPerson:
        person = None
    return SetupPage(
        frame=frame(db),
        person=person,
        conditions=CONDITIONS,
        flags=FLAGS,
        scales={s.id: s.name for s in all_scales().values() if not s.multi_item},
        database_is_empty=demo.database_is_empty(db),
        saved="saved" in request.query_params,
    )


def _whole(data: dict[str, str], key: str, what: str) -> int | None:
    raw = (data.get(key) or "").strip()
    if not raw:
        return None
    return parse_whole(raw, what=f"The {what}", lo=0, hi=9999, field=key)


@router.get("/setup", response_model=SetupPage)
def setup_page(request: Request) -> Response:
    """Who is this journal for?"""
    return respond(request, "setup.html", build_setup(request))


@router.post(
    "/setup",
    status_code=201,
    openapi_extra=fields(
        optional={
            "name": "Name (needed the first time).",
            "condition": "Condition id.",
            "birth_year": "YYYY",
            "weight_kg": "kg",
            "primary_scale": "Scale id.",
            "flag_pregnant": "yes to set (one field per flag)",
        }
    ),
)
async def save_setup(request: Request, db: DbDep) -> Response:
    """Create or update the person: name, condition, birth year, weight (kg), main scale, safety flags."""
    data = await form_input(request)
    expect_form(request, "setup", "setup.html", build_setup, data)
    condition = data.get("condition") or ""
    weight = number(data, "weight_kg", "weight")
    chosen = [f for f in FLAGS if data.get(f"flag_{f}") == "yes"]
    out = await run_in_threadpool(
        people.set_person,
        db,
        name=data.get("name", "").strip() or None,
        conditions=[condition] if condition else None,
        weight_kg=weight,
        birth_year=_whole(data, "birth_year", "birth year"),
        primary_scale=data.get("primary_scale") or None,
        flags=chosen or None,
        clear_flags=[f for f in FLAGS if f not in chosen] or None,
    )
    return done(request, out, "/setup?saved=1")


@router.post("/setup/demo", status_code=201)
async def load_demo(request: Request, db: DbDep) -> Response:
    """Load the demo person (only into an empty database)."""
    data = await form_input(request)
    expect_form(request, "demo", "setup.html", build_setup, data)
    out = await run_in_threadpool(demo.load_demo, db)
    return done(request, out, "/today?saved=demo")
