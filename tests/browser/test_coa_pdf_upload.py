"""A certificate of analysis (COA) read from a text-based PDF, as a person does it in the browser: choose the
PDF on the product's Lab results page, read it, see its numbers in the form, check them and save.

The PDF is one we make here with WeasyPrint (tests/coa_fixtures.py), never a third-party file.
"""

from __future__ import annotations

import re

import pytest

from dosewise.services import products
from tests.browser.conftest import ana_with, shot
from tests.coa_fixtures import coa_pdf

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def oil_server(tmp_path_factory):
    oil = {"name": "Calm CBD oil 1000", "form": "oil", "cbd_mg": 33.3, "thc_mg": 0, "per": "ml"}
    with ana_with(tmp_path_factory.mktemp("coa-pdf"), **oil) as server:
        yield server


def test_a_text_based_coa_pdf_is_read_back_into_the_form_and_saved(page, oil_server):
    pdf, truth = coa_pdf("greenleaf_oil")
    oil = products.list_products(oil_server.db)[0]
    page.goto(f"{oil_server.url}/products/{oil.id}/coa")
    page.get_by_label("The certificate's PDF (at most 20 MB)").set_input_files(
        files=[{"name": "greenleaf-coa.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Read the PDF").click()
    page.wait_for_load_state()
    assert "Check every number against the certificate" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Laboratory").input_value() == truth.lab
    assert page.get_by_label("Batch or lot on the certificate").input_value() == truth.batch
    assert page.get_by_label("Date of analysis").input_value() == truth.tested_on.isoformat()
    assert page.get_by_label("Unit of the results").input_value() == truth.unit
    assert page.locator('[name="r_cbd"]').input_value() == truth.results["cbd"]
    assert page.locator('[name="r_thc"]').input_value() == truth.results["thc"]
    assert float(page.get_by_label(re.compile("^Density in g/ml")).input_value()) == truth.density_g_ml
    assert products.list_products(oil_server.db)[0].potency_source == "label"  # nothing saved before a check
    shot(page, "coa-pdf-read")
    page.get_by_role("button", name="Save the certificate").click()
    page.wait_for_url(re.compile(r"saved=1"))
    assert "Certificate saved." in page.get_by_role("status").first.inner_text()
    assert f"From {truth.lab}" in page.locator("#review").inner_text()
    assert products.list_products(oil_server.db)[0].potency_source == "measured"
