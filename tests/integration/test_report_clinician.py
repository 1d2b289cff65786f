"""The clinician report: one page that reads well, from the same template as HTML and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from dosewise.model.vocab import Verdict
from dosewise.reports.clinician import render_html, render_pdf
from dosewise.services import journal, medicines
from dosewise.services.demo import load_demo
from dosewise.services.reports import clinician_report
from tests.conftest import NOW

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)


def _pdf_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", out)


def _pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.fixture
def demo_pdf(fresh_db, tmp_path: Path) -> Path:
    load_demo(fresh_db, now=NOW)
    pdf = tmp_path / "ana.pdf"
    pdf.write_bytes(render_pdf(clinician_report(fresh_db, now=NOW), page="a4"))
    return pdf


@needs_poppler
def test_demo_pdf_page_one_holds_the_essentials(demo_pdf: Path, tmp_path: Path) -> None:
    info = _pdf_info(demo_pdf)
    assert info["Pages"] == "2" and "(A4)" in info["Page size"]
    page1 = _pdf_text(demo_pdf, 1)
    for expected in (
        "DEMO DATA",
        "Ana (demo)",
        "Age 47",
        "Multiple sclerosis spasticity",
        "baclofen: 10 mg three times a day",
        "Calm CBD oil",
        "33.3 mg CBD per",
        "oromucosal",
        "66.6 mg CBD/day",
        "0 mg THC/day",
        "How it got there",
        "16.7 CBD",
        "SPASTICITY (0-10 NUMERIC RATING SCALE)",
        "mg CBD per day",
        "Drowsiness / sleepiness",
        "Report window 30 Aug 2026 to 21 Nov 2026",
        "Data in journal: 19 Sep 2026 to 20 Nov 2026",
        "Generated 21 Nov 2026",
        "EFFECT ESTIMATE",
        "ADHERENCE",
        "INTERACTIONS",
    ):
        assert expected in page1, expected
    page2 = _pdf_text(demo_pdf, 2)
    assert "FULL MEDICINE LIST" in page2 and "REFERENCES" in page2 and "Farrar" in page2
    assert "SPASTICITY" not in page2  # page 2 is only references and the full medicine list
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(demo_pdf), str(tmp_path / "p")], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 20_000  # a rendered page with text and a chart, not a blank sheet


@needs_poppler
def test_effect_estimate_states_its_design(demo_pdf: Path) -> None:
    page1 = _pdf_text(demo_pdf, 1)
    assert "Design: open-label" in page1 and "95 % interval" in page1
    flat = " ".join(page1.split())
    assert any(v.label in flat for v in Verdict)
    assert "Plan:" in page1 and "ADHERENCE TO THE PLAN" in page1


@needs_poppler
def test_letter_paper(fresh_db, tmp_path: Path) -> None:
    load_demo(fresh_db, now=NOW)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_pdf(clinician_report(fresh_db, now=NOW), page="letter"))
    info = _pdf_info(pdf)
    assert "612 x 792" in info["Page size"] and info["Pages"] == "2"


def test_regimen_is_the_mean_of_the_last_seven_complete_days(person) -> None:
    for day in range(14, 21):  # 14..20 Nov: 2 sprays of Sativex each evening (5.4 mg THC, 5.0 mg CBD)
        journal.record_dose(person, product="Sativex", amount="2 sprays", at=f"2026-11-{day} 21:00", now=NOW)
    journal.record_dose(person, product="Calm", amount="10 drops", at="2026-11-17 08:00", now=NOW)
    journal.record_dose(person, product="Sativex", amount="1 spray", at="2026-11-21 09:00", now=NOW)  # today
    r = clinician_report(person, now=NOW)
    assert r.regimen.thc_mg_per_day == 5.4
    assert r.regimen.cbd_mg_per_day == round((7 * 5.0 + 16.65) / 7, 1)
    assert r.regimen.products == ["Calm CBD oil 1000", "Sativex"]
    assert r.window_end.isoformat() == "2026-11-21" and len(r.days) == 84
    assert r.days[-1].thc_mg == 2.7  # today's dose is on the chart, but not in the 7-day mean


def test_no_doses_and_no_ratings_read_plainly(person) -> None:
    r = clinician_report(person, now=NOW)
    html = render_html(r)
    assert "No doses in the last 7 days." in html
    assert "No side effects logged." in html and "No alerts." in html
    assert r.effect.available and r.effect.data is None  # no ratings: no estimate, and it says why
    assert "No estimate yet: There are no Spasticity ratings yet." in html


def test_html_escapes_what_people_type(person) -> None:
    medicines.add_medicine(person, name="<script>alert(1)</script>", dose_text='"1 & 2"')
    html = render_html(clinician_report(person, now=NOW))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<html lang="en">' in html and 'role="img"' in html and "<desc" in html
    assert 'scope="col"' in html


def test_unchecked_medicines_are_never_shown_as_checked(person) -> None:
    r = clinician_report(person, now=NOW)
    if r.interactions.available:
        assert (
            "baclofen" in r.interactions.data["unknown"]
            or any("baclofen" in str(f.get("drug", "")).lower() for f in r.interactions.data["findings"])
            or medicines.list_medicines(person)[0].drug_id is not None
        )
    else:
        assert "Not available: interaction checking" in render_html(r)


def test_cli_report_writes_pdf_html_and_json(cli, fresh_db, tmp_path: Path) -> None:
    load_demo(fresh_db, now=NOW)
    r = cli("report", "--html", str(tmp_path / "r.html"), "--json")
    assert r.code == 0, r.output
    assert '"regimen"' in r.out and (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = cli("report", "--pdf", str(tmp_path / "r.pdf"), "--page", "tabloid")
    assert r.code == 1 and "a4 or letter" in r.err and not (tmp_path / "r.pdf").exists()
    r = cli("report")
    assert r.code == 1 and "--pdf" in r.err


def test_plan_and_adherence_come_from_the_plan_and_the_journal(person) -> None:
    from dosewise.services import plans

    plan = plans.new_plan(person, product="Calm", protocol="conservative", start=date(2026, 11, 14), now=NOW)
    past = [d for d in plan.days if d.date < date(2026, 11, 21)]
    assert len(past) == 7
    for d in past[:5]:  # five days exactly as planned, then two days with nothing logged
        for dose in d.doses:
            journal.record_dose(
                person, product="Calm", amount=f"{dose.amount} {dose.unit}s", at=f"{d.date} {dose.time}", now=NOW
            )
    r = clinician_report(person, now=NOW)
    assert r.plan.available and r.plan.data.product == "Calm CBD oil 1000"
    assert r.plan.data.start == date(2026, 11, 14) and "ceiling" in r.plan.data.ceiling
    a = r.adherence.data
    assert (a.days, a.days_as_planned) == (7, 5)
    assert a.planned_mg == round(sum(d.thc_mg_per_day + d.cbd_mg_per_day for d in past), 1)
    assert a.taken_mg == round(sum(d.thc_mg_per_day + d.cbd_mg_per_day for d in past[:5]), 1)
    html = render_html(r)
    assert "5 of 7 days" in html and plan.protocol_title in html


def test_without_a_plan_the_report_says_so(person) -> None:
    r = clinician_report(person, now=NOW)
    assert r.plan.available and r.plan.data is None and r.adherence.data is None
    assert "no active titration plan" in render_html(r)


@needs_poppler
def test_a_long_medicine_list_keeps_page_one_to_the_essentials(person, tmp_path: Path) -> None:
    for name in (
        "riluzole",
        "tizanidine",
        "gabapentin",
        "pregabalin",
        "diazepam",
        "clonazepam",
        "morphine",
        "oxycodone",
        "amitriptyline",
        "sertraline",
        "quinine",
        "my herbal tea",
    ):
        medicines.add_medicine(person, name=name, dose_text="as prescribed")
    for day in range(1, 21):
        journal.record_rating(person, scale="spasticity", value=5, at=f"2026-11-{day:02d} 20:00", now=NOW)
        journal.record_dose(person, product="Sativex", amount="2 sprays", at=f"2026-11-{day:02d} 21:00", now=NOW)
    r = clinician_report(person, now=NOW)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_pdf(r))
    pages = int(_pdf_info(pdf)["Pages"])
    page1, rest = _pdf_text(pdf, 1), " ".join(_pdf_text(pdf, n) for n in range(2, pages + 1))
    for heading in (
        "CURRENT CANNABINOID REGIMEN",
        "EFFECT ESTIMATE",
        "ADHERENCE",
        "SPASTICITY",
        "CURRENT MEDICINES",
        "INTERACTIONS",
        "SIDE EFFECTS AND ALERTS",
        "5.4 mg THC/day",
    ):
        assert heading in page1, heading
    assert "7 more: see the full list on page 2" in page1
    assert "FULL MEDICINE LIST" in rest and "my herbal tea" in rest and "quinine" in rest
    assert "REGIMEN" not in rest and "SPASTICITY" not in rest  # later pages: lists and references only
    if r.interactions.available and len(r.interactions.data["findings"]) > 4:
        assert "further findings" in page1 and "FURTHER INTERACTION FINDINGS" in rest


def test_fragment_for_the_web_page_is_the_same_content_without_the_page(fresh_db) -> None:
    from dosewise.reports.clinician import render_fragment

    load_demo(fresh_db, now=NOW)
    r = clinician_report(fresh_db, now=NOW)
    fragment, page = render_fragment(r), render_html(r)
    assert "<html" not in fragment and "@page" not in fragment and "<style" not in fragment
    assert fragment.strip() in page
    assert "DEMO DATA" in fragment and "Ana (demo)" in fragment and "<svg" in fragment
