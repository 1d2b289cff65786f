"""Dose by what was measured: a COA sets the product's mg; doses, plans, the journal and the report say so."""

import json

import pytest

from dosewise.errors import InvalidInput
from dosewise.services import coas, journal, products
from tests.coa_fixtures import coa_pdf
from tests.helpers import snapshot


def _coa_for_calm(person, **change):
    fields = dict(
        lab="NorthBay Labs",
        batch="NB-1",
        tested_on=None,
        unit="mg/ml",
        results={"cbd": "30", "thc": "0.5"},
        panels={"pesticides": "pass"},
    )
    fields |= change
    return coas.attach_coa(person, product="Calm", coa=coas.build_coa(**fields))


def test_a_coa_makes_doses_use_the_measured_content_and_keeps_the_label(person, cli):
    out = _coa_for_calm(person)
    calm = out.product
    assert (calm.cbd_mg, calm.thc_mg, calm.potency_source) == (30, 0.5, "measured")
    assert (calm.label_cbd_mg, calm.label_thc_mg) == (33.3, 0)
    assert any("the label says 33.3 mg per ml, the lab measured 30" in f.text for f in out.shows)
    assert any("sold as 'no THC'" in f.text and f.attention for f in out.shows)
    logged = journal.record_dose(person, product="Calm", amount="10 drops")
    assert (logged.entry.cbd_mg, logged.entry.thc_mg, logged.entry.mg_source) == (15.0, 0.25, "measured")
    text = cli("journal").out
    assert "lab-measured" in text


def test_a_plan_and_the_clinician_report_name_the_measured_source(person, cli):
    _coa_for_calm(person)
    r = cli("plan", "new", "Calm", "--protocol", "conservative", "--json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    assert plan["content_source"] == "what a lab measured (certificate of analysis)"
    assert "30 mg CBD per ml" in plan["product_content"]
    first = next(d for day in plan["days"] for d in day["doses"])
    assert first["cbd_mg"] == round(first["amount"] * 0.05 * 30, 4)
    assert "by what a lab measured" in cli("plan", "show").out
    from dosewise.reports.clinician import render_html
    from dosewise.services import reports

    html = render_html(reports.clinician_report(person))
    assert "by what a lab measured (certificate of analysis)" in html and "(measured by a lab)" in html


def test_a_coa_reporting_by_weight_without_density_keeps_dosing_by_the_label(person):
    out = _coa_for_calm(person, unit="%", results={"cbd": "3.1", "thc": "ND"})
    assert out.product.potency_source == "label" and out.product.cbd_mg == 33.3
    assert any("states no density" in f.text for f in out.does_not_show)


def test_a_refused_coa_changes_nothing(person):
    before = snapshot(person)
    with pytest.raises(InvalidInput, match="impossible"):
        _coa_for_calm(person, unit="%", results={"cbd": "130"})
    assert snapshot(person) == before


def test_the_cli_reads_a_pdf_shows_what_it_read_and_saves_the_review(person, cli, tmp_path):
    pdf, _ = coa_pdf("northbay_tincture")
    path = tmp_path / "coa.pdf"
    path.write_bytes(pdf)
    r = cli("coa", "add", "Calm", "--pdf", str(path))
    assert r.code == 0, r.err
    assert "Read from the PDF: lab NorthBay Labs" in r.out and "What it does not show" in r.out
    assert "heavy metals" not in r.out.split("What it does not show")[1]  # it passed on the COA
    assert products.list_products(person)[0].cbd_mg == 31.8
    shown = json.loads(cli("coa", "show", "Calm", "--json").out)
    assert shown["batch"] == "NB-77812" and shown["source"] == "pdf"


def test_the_cli_refuses_a_scanned_pdf_and_saves_nothing(person, cli, tmp_path):
    from tests.coa_fixtures import scanned_pdf

    before = snapshot(person)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    r = cli("coa", "add", "Calm", "--pdf", str(path))
    assert r.code == 1 and "scan or a photo" in r.err and "Traceback" not in r.err
    assert snapshot(person) == before
