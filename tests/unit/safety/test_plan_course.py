"""The plan's state machine (safety/plan_course.py): stop, resume, hold and continue, day by day."""

from datetime import UTC, date, datetime, time, timedelta

from dosewise.model.products import Basis, Form, Product
from dosewise.safety.eligibility import PersonContext
from dosewise.safety.plan_builder import build_plan
from dosewise.safety.plan_course import EventKind, PlanEvent
from dosewise.safety.titration import Signal

START = date(2026, 11, 1)
SATIVEX = Product(name="Sativex", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
OIL = Product(name="Calm CBD oil 1000", form=Form.OIL, basis=Basis.ML, thc_mg=0, cbd_mg=33.3)


def ev(kind: EventKind, offset: int, hour: int = 12, note: str | None = None) -> PlanEvent:
    day = START + timedelta(days=offset)
    return PlanEvent(kind=kind, day=day, at=datetime.combine(day, time(hour), tzinfo=UTC), note=note)


def days(events, product=SATIVEX, protocol="nabiximols", today=30, signals=()):
    body = build_plan(
        protocol,
        product,
        PersonContext(age=50),
        start=START,
        today=START + timedelta(days=today),
        signals=list(signals),
        events=events,
    ).stored()
    return body["days"]


def test_an_urgent_alert_stops_every_day_from_its_own_day():
    laid = days([ev(EventKind.URGENT_ALERT, 10, hour=18)])
    assert laid[9]["doses"] and laid[9]["status"] == "active"
    assert laid[10]["action"] == "stop" and "Do not take another dose" in laid[10]["note"]
    assert all(d["status"] == "stopped" and d["doses"] == [] and d["step"] == -1 for d in laid[10:])


def test_resume_restarts_one_step_lower_than_before_the_stop_and_holds_there():
    planned = days([])[10]["step"]  # the step the plan was on when the alert came
    laid = days([ev(EventKind.URGENT_ALERT, 10), ev(EventKind.RESUME, 13, note="Dr Silva agreed")])
    assert planned >= 2 and all(d["doses"] == [] for d in laid[10:13])
    assert laid[13]["action"] == "resume" and "Dr Silva agreed" in laid[13]["note"]
    assert laid[13]["step"] == planned - 1 and laid[13]["status"] == "held" and laid[13]["hold"] == "resumed"
    assert {d["step"] for d in laid[13:]} == {planned - 1}


def test_acknowledging_is_not_an_event_and_a_stop_lasts_without_a_resume():
    laid = days([ev(EventKind.URGENT_ALERT, 3)], today=80)
    assert all(d["status"] == "stopped" for d in laid[3:])


def test_an_alert_and_a_resume_at_the_same_instant_leave_the_plan_stopped():
    laid = days([ev(EventKind.RESUME, 5, note="x"), ev(EventKind.URGENT_ALERT, 5)])
    assert laid[5]["status"] == "stopped"


def test_a_chosen_hold_stays_on_the_step_until_continue_then_climbs_after_a_full_interval():
    laid = days([ev(EventKind.HOLD, 4), ev(EventKind.CONTINUE, 20)], product=OIL, protocol="conservative")
    held = laid[4]["step"]
    assert laid[4]["action"] == "stay" and laid[4]["hold"] == "chosen"
    assert {d["step"] for d in laid[4:20]} == {held} and {d["status"] for d in laid[4:20]} == {"held"}
    assert laid[20]["action"] == "titrate" and laid[20]["status"] == "active"
    assert laid[22]["step"] == held and laid[23]["step"] == held + 1  # a full 3-day interval, then up


def test_a_held_plan_still_steps_back_after_a_severe_side_effect():
    laid = days(
        [ev(EventKind.HOLD, 7)],
        product=OIL,
        protocol="conservative",
        signals=[Signal(day=START + timedelta(days=9), severity_rank=3)],
    )
    assert laid[10]["action"] == "step_back" and laid[10]["step"] == laid[9]["step"] - 1
    assert laid[10]["hold"] == "step_back"


def test_a_plan_never_has_to_reach_its_ceiling():
    top = max(d["step"] for d in days([], product=OIL, protocol="conservative", today=0))
    held = days([ev(EventKind.HOLD, 1)], product=OIL, protocol="conservative", today=1)
    assert max(d["step"] for d in held) < top
