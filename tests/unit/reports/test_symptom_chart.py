"""The report's SVG chart: honest gaps, labelled axes, a text description for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from dosewise.reports.symptom_chart import _nice_max, symptom_dose_svg
from dosewise.services.reports import DayPoint

NS = "{http://www.w3.org/2000/svg}"


def _days(scores: list[float | None], cbd: float = 0.0, thc: float = 0.0) -> list[DayPoint]:
    start = date(2026, 11, 1)
    return [
        DayPoint(day=start + timedelta(days=i), score=s, ratings=0 if s is None else 1, thc_mg=thc, cbd_mg=cbd)
        for i, s in enumerate(scores)
    ]


def _svg(days: list[DayPoint]) -> ET.Element:
    return ET.fromstring(
        symptom_dose_svg(days, scale_name="Spasticity (0-10)", scale_min=0, scale_max=10, lower_is_better=True)
    )


def test_missing_days_break_the_line_instead_of_joining_it() -> None:
    root = _svg(_days([5, 6, None, None, 4, 3, 2]))
    lines = [p for p in root.findall(f"{NS}polyline") if p.get("stroke") == "#000"]
    assert [len(p.get("points").split()) for p in lines] == [2, 3]
    assert len(root.findall(f"{NS}circle")) == 5


def test_description_says_what_the_chart_shows() -> None:
    root = _svg(_days([5, None, 4], cbd=20.0, thc=2.7))
    desc = root.find(f"{NS}desc").text
    assert "3 ratings" not in desc and "2 ratings on 2 of 3 days" in desc
    assert "20 mg CBD" in desc and "2.7 mg THC" in desc and "lower is better" in desc
    assert root.get("role") == "img"


def test_dose_axis_is_round_and_covers_the_largest_day() -> None:
    assert _nice_max(0) == 1 and _nice_max(66.6) == 100 and _nice_max(12) == 20 and _nice_max(5) == 5
    root = _svg(_days([5, 5], cbd=66.6, thc=5.4))
    labels = [t.text for t in root.findall(f"{NS}text")]
    assert "100" in labels and "mg per day" in labels and "score" in labels


def test_count_scale_axis_fits_the_counts_not_the_scale_maximum() -> None:
    root = ET.fromstring(
        symptom_dose_svg(
            _days([2, 8, 5]), scale_name="Cramps per day", scale_min=0, scale_max=500, lower_is_better=True
        )
    )
    score_labels = [t.text for t in root.findall(f"{NS}text") if t.get("text-anchor") == "end"]
    assert score_labels == ["0", "2", "4", "6", "8", "10"]
    alsfrs = ET.fromstring(
        symptom_dose_svg(_days([40, 39]), scale_name="ALSFRS-R", scale_min=0, scale_max=48, lower_is_better=False)
    )
    assert [t.text for t in alsfrs.findall(f"{NS}text") if t.get("text-anchor") == "end"] == [
        "0",
        "10",
        "20",
        "30",
        "40",
    ]
