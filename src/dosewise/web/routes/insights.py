"""Insights: is it helping? The verdict in words, its interval, the charts and the honest caveats."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from dosewise.errors import AnalysisError, DosewiseError
from dosewise.model.vocab import label
from dosewise.reports import clinician
from dosewise.services.adherence import AdherenceOut, weekly_adherence
from dosewise.services.insights_schemas import AnalysisOut
from dosewise.services.reports import clinician_report
from dosewise.web.frame import Database, FrameOut, frame, get_db
from dosewise.web.rendering import respond, wants_json

router = APIRouter(tags=["insights"])


class InsightsPage(BaseModel):
    frame: FrameOut
    analysis: AnalysisOut | None
    verdict_words: str | None
    problem: str | None  # why there is no analysis yet (too few ratings, ...)
    charts: dict[str, str] = Field(default_factory=dict, exclude=True)  # SVG, escaped by analysis.charts
    adherence: AdherenceOut | None = None  # per week: doses taken vs planned, check-ins, reminders answered


def build_insights(request: Request) -> InsightsPage:
    from dosewise.services import insights  # numpy and scipy load with the first analysis, not at start-up

    db = get_db(request)
    try:
        out = insights.analyze(
            db, scale=request.query_params.get("scale") or None, with_charts=not wants_json(request)
        )  # the JSON twin carries no drawings
    except AnalysisError as exc:
        return InsightsPage(
            frame=frame(db), analysis=None, verdict_words=None, problem=exc.message, adherence=_adherence(db)
        )
    return InsightsPage(
        frame=frame(db),
        adherence=_adherence(db),
        analysis=out,
        verdict_words=label(out.verdict, "verdict"),
        problem=None,
        charts=out.charts or {},
    )


def _adherence(db: Database) -> AdherenceOut | None:
    try:
        return weekly_adherence(db)
    except DosewiseError:  # nobody set up yet
        return None


@router.get("/report.pdf", response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def clinician_pdf(request: Request, page: str = "a4") -> Response:
    """The one-page clinician report of the last 12 weeks as PDF (``?page=a4`` or ``letter``)."""
    clinician.page_size(page)  # refuses anything but a4 / letter before the work starts
    pdf = clinician.render_pdf(clinician_report(get_db(request)), page=page)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": 'attachment; filename="dosewise-report.pdf"'}
    )


@router.get("/insights", response_model=InsightsPage)
def insights_page(request: Request) -> Response:
    """The best analysis the journal allows for the primary scale (``?scale=`` for another)."""
    return respond(request, "insights.html", build_insights(request))
