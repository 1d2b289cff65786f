"""Trial: a randomised n-of-1 trial — the schedule, today's arm, progress, and its analysis."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import AnalysisError, TrialError
from dosewise.model.vocab import label
from dosewise.services import products, trials
from dosewise.services.choices import parse_whole
from dosewise.services.insights_schemas import AnalysisOut
from dosewise.services.runtime import Database
from dosewise.services.schemas import ProductOut
from dosewise.services.trials import TrialOut
from dosewise.web.api_docs import fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, optional, respond

router = APIRouter(tags=["trial"])


class TrialPage(BaseModel):
    frame: FrameOut
    trial: TrialOut | None
    periods_done: int
    analysis: AnalysisOut | None
    verdict_words: str | None
    analysis_problem: str | None
    products: list[ProductOut]
    saved: str | None
    charts: dict[str, str] = Field(default_factory=dict, exclude=True)


def _analysis(db: Database, trial: TrialOut | None) -> tuple[AnalysisOut | None, str | None]:
    if trial is None or trial.today.day < trial.start:
        return None, "The trial has not started yet."
    try:
        return trials.analyze_trial(db), None
    except (AnalysisError, TrialError) as exc:
        return None, exc.message


def build_trial(request: Request) -> TrialPage:
    db = get_db(request)
    try:
        trial = trials.show_trial(db)
    except TrialError:
        trial = None
    analysis, problem = _analysis(db, trial)
    done_count = sum(1 for p in trial.periods if p.end < trial.today.day) if trial else 0
    return TrialPage(
        frame=frame(db),
        trial=trial,
        periods_done=done_count,
        analysis=analysis,
        verdict_words=label(analysis.verdict, "verdict") if analysis else None,
        analysis_problem=problem,
        products=products.list_products(db),
        saved=request.query_params.get("saved"),
    )


@router.get("/trial", response_model=TrialPage)
def trial_page(request: Request) -> Response:
    """The latest trial: today's arm, the schedule, progress and (once possible) the analysis."""
    return respond(request, "trial.html", build_trial(request))


@router.post(
    "/trial",
    status_code=201,
    openapi_extra=fields(
        {"product": "Product for the active arm.", "amount": "Amount each time."},
        {"blocks": "2-6", "period_days": "days per period", "blinded": "yes or no", "start": "YYYY-MM-DD"},
    ),
)
async def new_trial(request: Request, db: DbDep) -> Response:
    """Create a trial: ``product`` + ``amount`` (active arm), ``blocks``, ``period_days``, ``blinded``."""
    data = await form_input(request)
    expect_form(request, "trial", "trial.html", build_trial, data)
    blocks, period = optional(data, "blocks") or "4", optional(data, "period_days") or "7"
    out = await run_in_threadpool(
        trials.create_trial,
        db,
        active=f"{data.get('product', '')}:{data.get('amount', '')}",
        blocks=parse_whole(blocks, what="Blocks", lo=1, hi=100, field="blocks"),
        period_days=parse_whole(period, what="Days per period", lo=1, hi=365, field="period_days"),
        blinded=data.get("blinded") == "yes",
        start=optional(data, "start"),
    )
    return done(request, out, "/trial?saved=new")


@router.post("/trial/stop")
async def stop_trial(request: Request, db: DbDep) -> Response:
    """Stop the running trial early (finished blocks can still be analysed)."""
    data = await form_input(request)
    expect_form(request, "stop", "trial.html", build_trial, data)
    out = await run_in_threadpool(trials.stop_trial, db)
    return done(request, out, "/trial?saved=stopped", status=200)
