"""Certificates of analysis on the web: type one in, or read a PDF into the form; bad files say what to do."""

from dosewise.services import products
from tests.coa_fixtures import coa_pdf, scanned_pdf
from tests.helpers import snapshot
from tests.web.conftest import submit, token


def _oil_page(ana):
    oil = products.list_products(ana)[0]
    return oil, f"/products/{oil.id}/coa"


def _upload(client, page, content, name="coa.pdf"):
    return client.post(
        f"{page}/pdf", data={"csrf_token": token(client, page)}, files={"file": (name, content, "application/pdf")}
    )


def test_a_typed_certificate_is_reviewed_and_doses_follow_the_measurement(client, ana):
    oil, page = _oil_page(ana)
    assert "Lab results" in client.get("/products").text
    fields = {"lab": "NorthBay Labs", "unit": "mg/ml", "r_cbd": "30", "r_thc": "ND", "loq": "0.5"}
    r = submit(client, page, {**fields, "panel_pesticides": "pass", "panel_heavy_metals": "none"}, page=page)
    assert r.status_code == 303
    html = client.get(r.headers["location"]).text
    assert "What this certificate shows" in html and "What it does not show" in html
    assert "the lab measured 30 (90 % of the label)" in html and "It names no batch" in html
    assert "no analysis date" in html and "heavy metals" in html
    assert products.list_products(ana)[0].cbd_mg == 30


def test_reading_a_pdf_fills_the_form_and_saves_nothing_until_confirmed(client, ana):
    oil, page = _oil_page(ana)
    before = snapshot(ana)
    r = _upload(client, page, coa_pdf("greenleaf_oil")[0])
    assert r.status_code == 200 and "Check what was read, then save" in r.text
    assert 'value="Greenleaf Analytical Laboratories"' in r.text and 'value="34.12"' in r.text
    assert 'value="2026-10-02"' in r.text and 'name="source" value="pdf"' in r.text
    assert snapshot(ana) == before


def test_a_scanned_pdf_says_it_cannot_be_read_and_offers_the_form(client, ana):
    oil, page = _oil_page(ana)
    before = snapshot(ana)
    r = _upload(client, page, scanned_pdf())
    assert r.status_code == 400 and "scan or a photo" in r.text and "Type in a certificate" in r.text
    assert snapshot(ana) == before


def test_a_50_mb_upload_is_refused_before_it_is_read(client, ana):
    oil, page = _oil_page(ana)
    r = _upload(client, page, b"%PDF-1.7\n" + b"\0" * (50 * 1024 * 1024))
    assert r.status_code == 413 and "too large" in r.text  # the body limit refuses it before it is read


def test_a_bad_result_is_refused_next_to_its_field(client, ana):
    oil, page = _oil_page(ana)
    before = snapshot(ana)
    r = submit(client, page, {"lab": "X", "unit": "%", "r_cbd": "130", "r_thc": "ND"}, page=page)
    assert r.status_code == 400 and 'id="coa-r_cbd-error"' in r.text and "impossible" in r.text
    assert snapshot(ana) == before


def test_the_json_twin_returns_the_review(client, ana):
    oil, page = _oil_page(ana)
    body = {"lab": "L", "unit": "mg/ml", "r_cbd": "33", "r_thc": "0.2", "batch": "B1", "tested_on": "2026-11-01"}
    r = client.post(f"/api/v1{page}", json=body)
    assert r.status_code == 201
    out = r.json()
    assert out["product"]["potency_source"] == "measured" and {"shows", "does_not_show"} <= set(out)
    assert client.get(f"/api/v1{page}").json()["coa"]["lab"] == "L"


def test_the_new_forms_save_with_their_data_examples(client, ana):
    from tests.web.html_forms import form_to, forms_of

    html = client.get("/products").text
    add = form_to(html, "/products")
    r = submit(client, "/products", {**add.values, **add.examples}, page="/products")
    assert r.status_code == 200 and "Check before saving" in r.text
    confirm = [f for f in forms_of(r.text) if "confirm" in f.values]
    assert submit(client, "/products", confirm[0].values, page="/products").status_code == 303
    oil, page = _oil_page(ana)
    coa_form = form_to(client.get(page).text, page)
    r = submit(client, page, {**coa_form.values, **coa_form.examples}, page=page)
    assert r.status_code == 303
    assert client.get(f"/api/v1{page}").json()["coa"]["lab"] == coa_form.examples["lab"]
