"""Alerts: every alert, newest first, and acknowledging one (urgent ones show on every page until then)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.services import safety
from dosewise.services.safety_schemas import AlertOut
from dosewise.web.frame import DbDep, FrameOut, frame, get_db
from dosewise.web.rendering import done, expect_form, form_input, respond

router = APIRouter(tags=["alerts"])


class AlertsPage(BaseModel):
    frame: FrameOut
    alerts: list[AlertOut]
    acknowledged: str | None


def build_alerts(request: Request) -> AlertsPage:
    db = get_db(request)
    return AlertsPage(
        frame=frame(db),
        alerts=safety.list_alerts(db, include_acknowledged=True),
        acknowledged=request.query_params.get("acknowledged"),
    )


@router.get("/alerts", response_model=AlertsPage)
def alerts_page(request: Request) -> Response:
    """All alerts, urgent first, then newest (reading only: the rules ran when anything was written)."""
    return respond(request, "alerts.html", build_alerts(request))


@router.post("/alerts/{alert_id}/acknowledge")
async def acknowledge(alert_id: int, request: Request, db: DbDep) -> Response:
    """Acknowledge an alert: it stays in the list, and an urgent one leaves the banner."""
    data = await form_input(request)
    expect_form(request, f"ack-{alert_id}", "alerts.html", build_alerts, data)
    out = await run_in_threadpool(safety.acknowledge_alerts, db, alert_id=alert_id)
    return done(request, out, f"/alerts?acknowledged={alert_id}", status=200)


@router.post("/alerts/acknowledge-all")
async def acknowledge_all(request: Request, db: DbDep) -> Response:
    """Acknowledge every open alert at once (they all stay in the list)."""
    data = await form_input(request)
    expect_form(request, "ack-all", "alerts.html", build_alerts, data)
    out = await run_in_threadpool(lambda: safety.acknowledge_alerts(db, all_=True))
    return done(request, out, "/alerts?acknowledged=all", status=200)
