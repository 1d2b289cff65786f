"""Reading a COA PDF offline: every lab layout we made is read right; bad files are refused with what to do."""

from dataclasses import asdict

import pytest

from dosewise.errors import InvalidInput
from dosewise.services.coa_pdf import read_coa_pdf
from tests.coa_fixtures import LAYOUTS, broken, coa_pdf, invoice_pdf, scanned_pdf, with_javascript


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_lab_layout_is_read_field_by_field(layout):
    pdf, expected = coa_pdf(layout)
    draft = read_coa_pdf(pdf)
    want = {k: v for k, v in asdict(expected).items() if k not in ("also", "refused")}
    assert {k: getattr(draft, k) for k in want} == want


def test_percent_and_mg_per_g_columns_that_disagree_are_a_unit_conflict():
    from tests.coa_fixtures import _pdf, _table

    html = "<h1>Odd Labs</h1><p>Batch: X-1</p>" + _table(
        ["Analyte", "Result (%)", "Result (mg/g)"], [["CBD", "3.4", "3.4"], ["THC", "ND", "ND"]]
    )
    with pytest.raises(InvalidInput, match="units on this certificate conflict"):
        read_coa_pdf(_pdf(html))


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (invoice_pdf, "does not look like a certificate of analysis"),
        (scanned_pdf, "scan or a photo"),
        (lambda: with_javascript(coa_pdf("greenleaf_oil")[0]), "JavaScript"),
        (lambda: broken(coa_pdf("greenleaf_oil")[0]), "damaged"),
        (lambda: b"%PDF-1.7\n" + b"\0" * (50 * 1024 * 1024), "at most 20 MB"),
        (lambda: b"PK\x03\x04 a zip file", "not a PDF"),
    ],
)
def test_bad_files_are_refused_and_point_to_the_form(make, words):
    with pytest.raises(InvalidInput, match=words) as e:
        read_coa_pdf(make())
    assert e.value.field == "file"


def test_rows_with_more_numbers_than_named_columns_are_not_guessed():
    pdf, _ = coa_pdf("verity_concentrate")  # an unnamed 'Dilution' column would shift every value
    with pytest.raises(InvalidInput, match="could not tell which number is the result"):
        read_coa_pdf(pdf)
