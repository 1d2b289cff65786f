"""One chart of a symptom over time: the Insights page and the clinician report (HTML and PDF) draw the same."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from dosewise.reports.clinician import render_html
from dosewise.services import demo
from dosewise.services.reports import clinician_report
from tests.conftest import NOW

SVG = "{http://www.w3.org/2000/svg}"
CHART = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', re.S)


def _symptom_chart(html: str) -> ET.Element:
    charts = [ET.fromstring(s) for s in CHART.findall(html)]
    found = [c for c in charts if (c.findtext(f"{SVG}title") or "").endswith("over time")]
    assert len(found) == 1, [c.findtext(f"{SVG}title") for c in charts]
    return found[0]


def _tips(chart: ET.Element, tag: str) -> list[str]:
    """The tooltips of the daily means (circle) or of the dose bars (g): what a pointer shows on each."""
    return [e.findtext(f"{SVG}title") or "" for e in chart.iter(f"{SVG}{tag}") if e.find(f"{SVG}title") is not None]


def test_insights_page_and_report_show_the_same_daily_means_and_doses(empty_client, fresh_db, tmp_path: Path):
    demo.load_demo(fresh_db)
    page = _symptom_chart(empty_client.get("/insights").text)
    report = clinician_report(fresh_db)
    html = _symptom_chart(render_html(report))
    means, doses = _tips(html, "circle"), _tips(html, "g")
    assert len(means) > 40 and len(doses) > 40  # the demo: weeks of ratings and doses, all inside the window
    assert _tips(page, "circle") == means and _tips(page, "g") == doses
    assert page.findtext(f"{SVG}title") == html.findtext(f"{SVG}title") == "Spasticity over time"
    assert "daily mean" in (page.findtext(f"{SVG}desc") or "") and "daily mean" in (html.findtext(f"{SVG}desc") or "")

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(empty_client.get("/report.pdf").content)
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = re.sub(r"\s+", " ", text)
    for label in ("daily mean score", "mg CBD per day", "mg THC per day", "mg per day"):
        assert label in words
    day_labels = [t.text for t in html.iter(f"{SVG}text") if t.text and re.fullmatch(r"\d+ [A-Z][a-z]{2}", t.text)]
    assert len(day_labels) >= 5 and all(d in words for d in day_labels)


def _labels(chart: ET.Element) -> list[str]:
    """The period bands behind the chart as a pointer shows them: "baseline: 2026-09-19 to 2026-10-09"."""
    return _tips(chart, "rect")


def test_insights_page_and_report_draw_the_same_baseline_and_treatment_periods(empty_client, fresh_db, tmp_path: Path):
    demo.load_demo(fresh_db)
    page = _symptom_chart(empty_client.get("/insights").text)
    report = clinician_report(fresh_db)
    html = _symptom_chart(render_html(report))
    bands = [b.split(" to ")[0] for b in _labels(html)]  # the last day: each chart's own last day
    assert bands == ["baseline: 2026-09-19", "on product: 2026-10-10"]  # the demo's: all inside the window
    assert [b.split(" to ")[0] for b in _labels(page)] == bands
    drawn = {t.text for t in html.iter(f"{SVG}text")} & {t.text for t in page.iter(f"{SVG}text")}
    assert {"baseline", "on product"} <= drawn
    assert [p.label for p in report.periods] == ["baseline", "on product"]
    assert empty_client.get("/api/v1/insights").json()["analysis"]["periods"][0]["label"] == "baseline"

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(empty_client.get("/report.pdf").content)
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "baseline" in text and "on product" in text


def test_the_report_cuts_the_periods_to_its_twelve_weeks(person):
    """A baseline that ended before the report's window is not drawn there; "on product" starts at the window."""
    from dosewise.services import insights, journal

    for back in range(120, -1, -1):
        journal.record_rating(person, scale="spasticity", value=7 if back > 90 else 5, now=NOW - timedelta(days=back))
    for back in (90, 60, 30, 1):
        journal.record_dose(person, product="Calm", amount="5 drops", now=NOW - timedelta(days=back))
    analysed = [(p.label, p.first) for p in insights.analyze(person, now=NOW).periods]
    assert [label for label, _ in analysed] == ["baseline", "on product"]
    report = clinician_report(person, now=NOW)
    assert [(p.label, p.first, p.last) for p in report.periods] == [("on product", report.window_start, NOW.date())]
    bands = _labels(_symptom_chart(render_html(report)))
    assert bands == [f"on product: {report.window_start} to {NOW.date()}"]
