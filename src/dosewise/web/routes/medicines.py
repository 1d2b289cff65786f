"""Medicines: list, add, edit, stop (after a confirmation) and restart; adding shows the findings at once."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import NotFound
from dosewise.services import medicines, people, runtime, safety
from dosewise.services.runtime import Database
from dosewise.services.safety_schemas import CheckOut
from dosewise.services.schemas import MedicineOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import date_value, done, expect_form, form_input, optional, respond

router = APIRouter(tags=["products and medicines"])


class MedicinesPage(BaseModel):
    frame: FrameOut
    medicines: list[MedicineOut]
    stopped: list[MedicineOut]
    findings: CheckOut
    added: str | None
    edited: str | None = None
    stopped_now: str | None = None  # the medicine just marked as stopped
    restarted: str | None = None  # the medicine just restarted
    editing: MedicineOut | None = None
    confirm_stop: MedicineOut | None = None  # the medicine the person is asked about before it is stopped
    today: date  # the person's calendar date (a medicine is stopped on it)


def build_medicines(request: Request) -> MedicinesPage:
    db = get_db(request)
    every = medicines.list_medicines(db, include_stopped=True)
    current = [m for m in every if m.stopped is None]
    editing = confirm = None
    if "medicine_id" in request.path_params and request.url.path.endswith("/edit"):
        editing = _current_medicine(current, int(request.path_params["medicine_id"]))
    elif "medicine_id" in request.path_params and request.url.path.endswith("/stop"):
        confirm = _current_medicine(current, int(request.path_params["medicine_id"]))
    return MedicinesPage(
        frame=frame(db),
        medicines=current,
        stopped=[m for m in every if m.stopped is not None],
        findings=safety.check_person(db),
        added=request.query_params.get("added"),
        edited=request.query_params.get("edited"),
        stopped_now=request.query_params.get("stopped"),
        restarted=request.query_params.get("restarted"),
        editing=editing,
        confirm_stop=confirm,
        today=_persons_today(db),
    )


def _current_medicine(current: list[MedicineOut], medicine_id: int) -> MedicineOut:
    found = next((m for m in current if m.id == medicine_id), None)
    if found is None:
        raise NotFound(f"No current medicine number {medicine_id}.")
    return found


@router.get("/medicines", response_model=MedicinesPage)
def medicines_page(request: Request) -> Response:
    """Your other medicines, checked against your cannabinoids."""
    return respond(request, "medicines.html", build_medicines(request))


@router.post(
    "/medicines",
    status_code=201,
    openapi_extra=fields({"name": "Medicine name."}, {"dose": "How much and how often.", "since": "YYYY-MM-DD"}),
)
async def add_medicine(request: Request, db: DbDep) -> Response:
    """Add a medicine (name, optional dose text and start date); returns the interaction findings."""
    data = await form_input(request)
    expect_form(request, "medicine", "medicines.html", build_medicines, data)
    since = date_value(data, "since")
    out, findings = await run_in_threadpool(
        medicines.add_medicine,
        db,
        name=data.get("name", ""),
        dose_text=optional(data, "dose"),
        since=since,
        today=await run_in_threadpool(_persons_today, db),
    )
    return done(
        request,
        {"medicine": out.model_dump(mode="json"), **findings.model_dump(mode="json")},
        f"/medicines?added={out.id}#findings",
    )


@router.get("/medicines/{medicine_id}/edit", response_model=MedicinesPage)
def medicine_edit_page(medicine_id: int, request: Request) -> Response:
    """The medicine's edit form (current medicines only)."""
    return respond(request, "medicines.html", build_medicines(request))


@router.post(
    "/medicines/{medicine_id}/edit",
    openapi_extra=fields(
        optional={
            "name": "New name.",
            "dose": "How much and how often (blank clears it).",
            "since": "Start date YYYY-MM-DD.",
        }
    ),
)
async def edit_medicine(medicine_id: int, request: Request, db: DbDep) -> Response:
    """Change a medicine's name, dose or start date; returns it with its interaction findings."""
    data = await form_input(request)
    _current_medicine(await run_in_threadpool(medicines.list_medicines, db), medicine_id)
    expect_form(request, "medicine_edit", "medicines.html", build_medicines, data)
    out, findings = await run_in_threadpool(
        medicines.edit_medicine,
        db,
        medicine_id=medicine_id,
        name=data.get("name"),
        dose_text=data.get("dose"),
        since=date_value(data, "since"),
        today=await run_in_threadpool(_persons_today, db),
    )
    return done(
        request,
        {"medicine": out.model_dump(mode="json"), **findings.model_dump(mode="json")},
        f"/medicines?edited={out.id}#findings",
        status=200,
    )


@router.get("/medicines/{medicine_id}/stop", response_model=MedicinesPage)
def stop_confirm_page(medicine_id: int, request: Request) -> Response:
    """Ask before marking a current medicine as stopped today (the page's form does it)."""
    return respond(request, "medicines.html", build_medicines(request))


@router.post("/medicines/{medicine_id}/stop")
async def stop_medicine(medicine_id: int, request: Request, db: DbDep) -> Response:
    """Mark a medicine as stopped today (it stays listed, with its dates, and can be restarted)."""
    data = await form_input(request)
    expect_form(request, "stop", "medicines.html", build_medicines, data)
    out = await run_in_threadpool(medicines.stop_medicine, db, medicine_id=medicine_id)  # on the person's today
    return done(request, out, f"/medicines?stopped={medicine_id}#past", status=200)


@router.post("/medicines/{medicine_id}/restart")
async def restart_medicine(medicine_id: int, request: Request, db: DbDep) -> Response:
    """Undo 'stopped': the medicine is current again and checked for interactions again."""
    data = await form_input(request)
    expect_form(request, "restart", "medicines.html", build_medicines, data)
    out = await run_in_threadpool(lambda: medicines.restart_medicine(db, medicine_id=medicine_id))
    return done(request, out, f"/medicines?restarted={medicine_id}#current", status=200)


def _persons_today(db: Database) -> date:
    """Today's calendar date where the person lives (a start date after it is in the future)."""
    return runtime.now_utc().astimezone(ZoneInfo(people.get_person(db).timezone)).date()
