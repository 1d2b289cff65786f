"""Plan: the titration plan with today highlighted and its status, a calendar (.ics) download, new plan, stay on
this dose / climb again, restart after a stop (with the clinician's agreement), end, and the daily ceiling a
clinician (or the person) sets (a caregiver may not: services/access.py refuses before the service does)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import InvalidInput, NotFound
from dosewise.reports.calendar import plan_to_ics
from dosewise.services import ceilings, plans, products
from dosewise.services.safety_schemas import PlanOut, ProtocolOut
from dosewise.services.schemas import ProductOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, actor_of, frame, get_db, role_of, who_is_entering
from dosewise.web.plan_view import active_plan
from dosewise.web.rendering import done, expect_form, form_input, optional, respond

router = APIRouter(tags=["plan"])


class PlanPage(BaseModel):
    frame: FrameOut
    plan: PlanOut | None
    problem: str | None  # why the active plan cannot be laid out now (shown, never hidden)
    products: list[ProductOut]
    protocols: list[ProtocolOut]
    saved: str | None
    ceiling: ceilings.CeilingStateOut  # the daily ceiling set for the person (or none), and the most it may be
    may_set_ceiling: bool  # not for a caregiver


def build_plan(request: Request) -> PlanPage:
    db = get_db(request)
    plan, problem = active_plan(db)
    return PlanPage(
        frame=frame(db),
        plan=plan,
        problem=problem,
        products=products.list_products(db),
        protocols=plans.list_protocols(),
        saved=request.query_params.get("saved"),
        ceiling=ceilings.show_ceiling(db),
        may_set_ceiling=role_of(request) != "caregiver",
    )


@router.get("/plan", response_model=PlanPage)
def plan_page(request: Request) -> Response:
    """The active plan (re-laid out with the journal), today highlighted; or the form to start one."""
    return respond(request, "plan.html", build_plan(request))


@router.get("/plan.ics", response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
def plan_calendar(db: DbDep) -> Response:
    """Calendar reminders for each planned dose and review (iCalendar)."""
    plan, _ = active_plan(db)
    if plan is None:
        raise NotFound("You have no active plan to put in a calendar. Start one on the Plan page.")
    return Response(
        plan_to_ics(plan, timezone=plan.timezone),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="dosewise-plan.ics"'},
    )


@router.post(
    "/plan",
    status_code=201,
    openapi_extra=fields(
        {"product": "Product name.", "protocol": "conservative, routine, rapid, nabiximols, dronabinol"},
        {"start": "YYYY-MM-DD"},
    ),
)
async def new_plan(request: Request, db: DbDep) -> Response:
    """Start a plan: ``product``, ``protocol`` and optional ``start`` (YYYY-MM-DD); it replaces any active one."""
    data = await form_input(request)
    expect_form(request, "plan", "plan.html", build_plan, data)
    start = optional(data, "start")
    try:
        start_day = date.fromisoformat(start) if start else None
    except ValueError:
        raise InvalidInput(f"Could not read the date '{start}'. Use YYYY-MM-DD.", field="start") from None
    out = await run_in_threadpool(
        plans.new_plan, db, product=data.get("product", ""), protocol=data.get("protocol", ""), start=start_day
    )
    return done(request, out, "/plan?saved=new#today")


@router.post("/plan/stop")
async def end_plan(request: Request, db: DbDep) -> Response:
    """End the current plan for good (it stays stored)."""
    data = await form_input(request)
    expect_form(request, "stop", "plan.html", build_plan, data)
    out = await run_in_threadpool(plans.end_plan, db)
    return done(request, out, "/plan?saved=stopped", status=200)


@router.post("/plan/hold")
async def hold_plan(request: Request, db: DbDep) -> Response:
    """ "This dose works, stay here": the plan keeps today's dose and does not step up."""
    data = await form_input(request)
    expect_form(request, "hold", "plan.html", build_plan, data)
    out = await run_in_threadpool(plans.hold_plan, db, entered_by=who_is_entering(request))
    return done(request, out, "/plan?saved=held#status", status=200)


@router.post(
    "/plan/continue", openapi_extra=fields(optional={"note": "Who agreed and when (needed after a step back)."})
)
async def continue_plan(request: Request, db: DbDep) -> Response:
    """Let a held plan climb again after a full interval (``note`` needed after a safety step back)."""
    data = await form_input(request)
    expect_form(request, "continue", "plan.html", build_plan, data)
    out = await run_in_threadpool(
        plans.continue_plan, db, note=optional(data, "note"), entered_by=who_is_entering(request)
    )
    return done(request, out, "/plan?saved=continued#status", status=200)


@router.post("/plan/resume", openapi_extra=fields({"note": "Who agreed to restart, and when."}))
async def resume_plan(request: Request, db: DbDep) -> Response:
    """My clinician agreed to restart: a stopped plan restarts one step lower; the ``note`` is kept."""
    data = await form_input(request)
    expect_form(request, "resume", "plan.html", build_plan, data)
    out = await run_in_threadpool(
        plans.resume_plan, db, note=optional(data, "note") or "", entered_by=who_is_entering(request)
    )
    return done(request, out, "/plan?saved=resumed#status", status=200)


@router.post(
    "/plan/ceiling",
    openapi_extra=fields(
        optional={
            "thc_mg": "At most this many mg THC a day (a part left empty keeps its value).",
            "cbd_mg": "At most this many mg CBD a day.",
            "note": "Why, or who advised it.",
        }
    ),
)
async def set_ceiling(request: Request, db: DbDep) -> Response:
    """Set or lower the daily dose ceiling (a clinician or the person; a clinician's is raised only by a clinician).

    A running plan is capped at once; never above the protocol's own ceiling. Audited.
    """
    data = await form_input(request)
    expect_form(request, "ceiling", "plan.html", build_plan, data)
    out = await run_in_threadpool(
        lambda: ceilings.set_ceiling(
            db,
            thc_mg=optional(data, "thc_mg"),
            cbd_mg=optional(data, "cbd_mg"),
            note=optional(data, "note"),
            actor=actor_of(request),
            role=role_of(request),
        )
    )
    return done(request, out, "/plan?saved=ceiling#ceiling-set", status=200)


@router.post("/plan/ceiling/clear")
async def clear_ceiling(request: Request, db: DbDep) -> Response:
    """Remove the daily dose ceiling (one a clinician set: only a clinician). Audited."""
    data = await form_input(request)
    expect_form(request, "ceiling-clear", "plan.html", build_plan, data)
    out = await run_in_threadpool(ceilings.clear_ceiling, db, actor=actor_of(request), role=role_of(request))
    return done(request, out, "/plan?saved=ceiling-cleared#ceiling-set", status=200)
