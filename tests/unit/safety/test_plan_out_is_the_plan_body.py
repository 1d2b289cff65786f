"""The plan the API shows is the plan as stored: the Out models are the plan body's models, field for field."""

import pytest

from dosewise.safety.plan_body import BodyCeiling, BodyDay, BodyDose, BodyReview
from dosewise.services.safety_schemas import CeilingOut, PlanDayOut, PlanDoseOut, ReviewOut


@pytest.mark.parametrize(
    ("out", "body"),
    [(PlanDoseOut, BodyDose), (PlanDayOut, BodyDay), (CeilingOut, BodyCeiling), (ReviewOut, BodyReview)],
)
def test_each_out_model_is_its_body_model_with_no_field_of_its_own(out, body):
    assert issubclass(out, body)
    assert list(out.model_fields) == list(body.model_fields)


def test_a_stored_day_reads_back_as_the_same_json():
    day = BodyDay.model_validate(
        {
            "date": "2026-11-21",
            "step": 1,
            "phase": "thc",
            "action": "step_up",
            "note": None,
            "doses": [{"time": "21:00", "amount": 1, "unit": "spray", "thc_mg": 2.7, "cbd_mg": 2.5}],
            "thc_mg_per_day": 2.7,
            "cbd_mg_per_day": 2.5,
        }
    )
    shown = PlanDayOut.model_validate(day.model_dump(mode="json"))
    assert shown.model_dump(mode="json") == day.model_dump(mode="json")
    assert isinstance(shown.doses[0], PlanDoseOut)
