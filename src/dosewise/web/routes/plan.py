"""Plan: the titration plan with today highlighted, a calendar (.ics) download, new plan and stop."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import InvalidInput, NotFound
from dosewise.reports.calendar import plan_to_ics
from dosewise.services import plans, products
from dosewise.services.safety_schemas import PlanOut, ProtocolOut
from dosewise.services.schemas import ProductOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
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
async def stop_plan(request: Request, db: DbDep) -> Response:
    """Stop the active plan (it stays stored)."""
    data = await form_input(request)
    expect_form(request, "stop", "plan.html", build_plan, data)
    out = await run_in_threadpool(plans.stop_plan, db)
    return done(request, out, "/plan?saved=stopped", status=200)
