"""Today: the daily check-in (score, planned dose, side-effect toggles) and today's plan step."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dosewise.errors import InvalidInput
from dosewise.services import journal, reminders, today, worries
from dosewise.services.choices import MAX_ID, parse_whole, validate_entered_by
from dosewise.services.reminder_schemas import ReminderOut
from dosewise.services.today import TodaySummaryOut
from dosewise.services.worries import WorryOut
from dosewise.web.api_docs import WHEN_WHO, fields
from dosewise.web.frame import WHO_COOKIE, DbDep, FrameOut, frame, get_db, who_is_entering
from dosewise.web.plan_view import PlanStepOut, active_plan, pause_of, step_of
from dosewise.web.rendering import done, expect_form, form_input, number, optional, respond

router = APIRouter(tags=["today"])


class TodayPage(BaseModel):
    frame: FrameOut
    today: TodaySummaryOut
    plan_step: PlanStepOut | None
    plan_problem: str | None  # why the active plan cannot be followed now
    entered_by: str  # what the check-in buttons record as "entered by"
    saved: str | None
    worries: list[WorryOut]  # "Something worrying?": the person's red flags, logged in one tap
    worry_logged: WorryOut | None = None  # the red flag just logged
    reminders_due: list[ReminderOut] = []  # reminders due now, answerable here


def build_today(request: Request) -> TodayPage:
    db = get_db(request)
    summary, (plan, plan_problem) = today.today_summary(db), active_plan(db)
    taken = len([d for d in summary.doses_today if plan is not None and d.item == plan.product])
    step = step_of(plan, doses_taken_today=taken)
    no_dose = pause_of(plan)
    plan_problem = plan_problem or no_dose
    if step is not None:
        summary.usual_dose = step.usual_dose()
    elif no_dose or plan_problem:  # a stopped, paused or unusable plan: no one-tap dose button at all
        summary.usual_dose = None
    who = who_is_entering(request)
    red_flags = worries.list_worries(db)
    logged = request.query_params.get("item")
    return TodayPage(
        frame=frame(db),
        today=summary,
        plan_step=step,
        plan_problem=plan_problem,
        entered_by=who,
        saved=request.query_params.get("saved"),
        worries=red_flags,
        worry_logged=next((w for w in red_flags if w.item == logged), None),
        reminders_due=[r for r in reminders.list_reminders(db).reminders if r.due_now],
    )


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/today", status_code=307)


@router.get("/today", response_model=TodayPage)
def today_page(request: Request) -> Response:
    """The daily check-in."""
    return respond(request, "today.html", build_today(request))


@router.post("/today/who", openapi_extra=fields({"entered_by": "person or caregiver"}))
async def who_checks_in(request: Request) -> Response:
    """Remember on this browser who is checking in (``entered_by``: person or caregiver)."""
    data = await form_input(request)
    expect_form(request, "who", "today.html", build_today, data)
    who = validate_entered_by(data.get("entered_by") or "")
    response = done(request, {"entered_by": who}, "/today?saved=who#checkin", status=200)
    response.set_cookie(
        WHO_COOKIE,
        who,
        httponly=True,
        samesite="strict",
        max_age=10 * 365 * 86400,
        secure=request.url.scheme == "https",
    )
    return response


@router.post(
    "/today/rating",
    status_code=201,
    openapi_extra=fields({"value": "Score on the primary scale."}, {"entered_by": WHEN_WHO["entered_by"]}),
)
async def rate_today(request: Request, db: DbDep) -> Response:
    """Log today's score on the person's primary scale (field ``value``)."""
    data = await form_input(request)
    expect_form(request, "rating", "today.html", build_today, data)
    summary = await run_in_threadpool(today.today_summary, db)
    out = await run_in_threadpool(
        journal.record_rating,
        db,
        scale=summary.scale.id,
        value=optional(data, "value") or "",
        entered_by=data.get("entered_by", "person"),
    )
    return done(request, out, "/today?saved=rating#checkin")


@router.post(
    "/today/dose",
    status_code=201,
    openapi_extra=fields(
        {"product": "Product name."},
        {
            "quantity": "How many units, for example 5 (with unit).",
            "unit": "drop, spray, capsule, ml, ... (with quantity).",
            "amount": "Instead of quantity and unit: for example '5 drops'.",
            "entered_by": WHEN_WHO["entered_by"],
        },
    ),
)
async def dose_today(request: Request, db: DbDep) -> Response:
    """Log the planned (or usual) dose: ``product`` with ``quantity`` + ``unit`` (as the button posts them)."""
    data = await form_input(request)
    expect_form(request, "dose", "today.html", build_today, data)
    product, unit = optional(data, "product"), optional(data, "unit")
    quantity = number(data, "quantity", "amount")
    amount = None if quantity is not None and unit else optional(data, "amount")  # text: older API clients
    if not product or (amount is None and (quantity is None or not unit)):
        raise InvalidInput("Say which product and how much, for example 'Calm CBD oil' and '5 drops'.", field="amount")
    out = await run_in_threadpool(
        lambda: journal.record_dose(
            db,
            product=product,
            amount=amount,
            quantity=quantity,
            unit=unit,
            entered_by=data.get("entered_by", "person"),
            confirm_repeat=data.get("confirm_repeat") == "yes",
        )
    )
    return done(request, out, "/today?saved=dose#dose")


@router.post(
    "/today/worry",
    status_code=201,
    openapi_extra=fields({"item": "The red flag's id (from 'worries')."}, {"entered_by": WHEN_WHO["entered_by"]}),
)
async def log_worry(request: Request, db: DbDep) -> Response:
    """Log one of the person's red flags now ("Something worrying?"); the alert it raises is in the answer."""
    data = await form_input(request)
    expect_form(request, "worry", "today.html", build_today, data)
    item = optional(data, "item") or ""
    out = await run_in_threadpool(lambda: worries.log_worry(db, item=item, entered_by=data.get("entered_by", "person")))
    return done(request, out, f"/today?saved=worry&item={quote(item)}#main")


@router.post(
    "/today/side-effect",
    status_code=201,
    openapi_extra=fields(
        {"effect": "Side-effect id."},
        {
            "entry_id": "Today's entry to take back.",
            "severity": "mild (default), moderate, severe",
            "entered_by": WHEN_WHO["entered_by"],
        },
    ),
)
async def toggle_side_effect(request: Request, db: DbDep) -> Response:
    """Toggle a side effect for today: log it (mild), or undo today's entry when ``entry_id`` is given."""
    data = await form_input(request)
    expect_form(request, "side_effect", "today.html", build_today, data)
    entry_id = optional(data, "entry_id")
    if entry_id:
        number = parse_whole(entry_id, what="The entry number", lo=1, hi=MAX_ID, field="entry_id")
        removed = await run_in_threadpool(journal.delete_entry, db, kind="side_effect", entry_id=number)
        return done(request, removed, "/today?saved=side_effect_removed#side-effects", status=200)
    logged = await run_in_threadpool(
        journal.record_side_effect,
        db,
        effect=optional(data, "effect") or "",
        severity=data.get("severity") or "mild",
        entered_by=data.get("entered_by", "person"),
    )
    return done(request, logged, "/today?saved=side_effect#side-effects")
