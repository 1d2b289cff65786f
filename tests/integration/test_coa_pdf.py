"""Reading a COA PDF offline: every lab layout we made is read right; bad files are refused with what to do."""

from dataclasses import asdict

import pytest

from dosewise.errors import InvalidInput
from dosewise.services.coa_pdf import read_coa_pdf
from tests.coa_fixtures import HELD_OUT, LAYOUTS, broken, coa_pdf, invoice_pdf, scanned_pdf, with_javascript
from tests.coa_fixtures_blind import BLIND, blind_pdf
from tests.coa_fixtures_probe import PROBE, probe_pdf


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
    from tests.coa_fixtures import _pdf, _table

    html = "<h1>Verity Labs</h1>" + _table(  # an unnamed column would shift every value
        ["Analyte", "", "LOD", "LOQ", "Result (mg/g)"],
        [["CBD", "20", "0.02", "0.05", "612.4"], ["d9-THC", "20", "0.02", "0.05", "1.9"]],
    )
    with pytest.raises(InvalidInput, match="could not tell which number is the result"):
        read_coa_pdf(_pdf(html))


def _wrong_values(draft, expected) -> list[str]:
    """Fields read with a value other than the certificate's (a blank is not wrong)."""
    truth = asdict(expected)
    if draft.unit != expected.unit and draft.unit in expected.also:
        truth = {**truth, "unit": draft.unit, "results": expected.also[draft.unit]}
    wrong = [k for k in ("lab", "batch", "tested_on", "unit", "density_g_ml", "accredited") if getattr(draft, k)]
    wrong = [k for k in wrong if getattr(draft, k) != truth[k]]
    wrong += [f"results.{k}" for k, v in draft.results.items() if truth["results"].get(k) != v]
    return wrong + [f"panels.{k}" for k, v in draft.panels.items() if truth["panels"].get(k) != v]


ALL_SETS = [("dev", n) for n in sorted(LAYOUTS)] + [("held_out", n) for n in sorted(HELD_OUT)]
ALL_SETS += [("blind", n) for n in sorted(BLIND)] + [("probe", n) for n in sorted(PROBE)]
MAKERS = {"blind": blind_pdf, "probe": probe_pdf}


@pytest.mark.parametrize(("kind", "name"), ALL_SETS)
def test_no_value_is_read_wrong_on_any_fixture_set(kind, name):
    """The prime rule: a field may be left blank, never read wrong; a file that must be refused is refused."""
    pdf, expected = MAKERS.get(kind, coa_pdf)(name)
    if expected.refused:
        with pytest.raises(InvalidInput):
            read_coa_pdf(pdf)
        return
    assert _wrong_values(read_coa_pdf(pdf), expected) == []
