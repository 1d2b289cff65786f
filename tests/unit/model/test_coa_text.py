"""Reading a COA's text: one test per rule, on small texts laid out as pypdf's layout mode prints a PDF.

The prime rule throughout: a value read wrong is dangerous, a blank is acceptable (the person types it).
"""

from datetime import date

import pytest

from dosewise.errors import InvalidInput
from dosewise.model.coa_dates import parse_date as _parse_date
from dosewise.model.coa_text import _analyte_of, _number, _split_row, read_coa_text, unit_of


def read(text: str):
    """The draft, with its results as the form shows them ('3.41', 'ND', '<LOQ')."""
    draft = read_coa_text(text)
    cells = {r.analyte: (r.qualifier or f"{r.value:g}") for r in draft.results}
    return draft, cells


TABLE = """Example Testing Labs
  Analyte        LOQ (mg/g)     Result (mg/g)
  CBD            0.1            31.2
  THC            0.1            ND
"""


# --- analyte names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "analyte"),
    [
        ("Δ9-THC", "thc"),
        ("Δ9-Tetrahydrocannabinol (Δ9-THC)", "thc"),
        ("THCA-A", "thca"),
        ("THCa", "thca"),
        ("Tetrahydrocannabinolic acid (THCA)", "thca"),
        ("Δ8-THC", "d8thc"),
        ("Δ9-THCV", "thcv"),
        ("Cannabidiol (CBD)", "cbd"),
        ("CBDa", "cbda"),
        ("Total THC*", "total_thc"),
        ("Total THC (THCA × 0.877 + Δ9-THC)", "total_thc"),
        ("CBD .................", "cbd"),
        ("Δ10-THC", None),
        ("THCVA", None),
        ("CBDVA", None),
        ("HHC", None),
        ("Total Cannabinoids", None),
        ("Product: CBD Softgels 25 mg", None),
        ("CBD Öl 10 %", None),
        ("Cannabidiol (THC)", None),  # the parentheses name another analyte: which is it?
    ],
)
def test_a_row_is_an_analyte_only_when_its_whole_name_names_one(name, analyte):
    assert _analyte_of(name) == analyte


def test_a_product_line_naming_cbd_is_not_read_as_the_cbd_result():
    draft, cells = read("Product: CBD Softgels 25 mg\n" + TABLE)
    assert cells == {"cbd": "31.2", "thc": "ND"}


@pytest.mark.parametrize("spelling", ["delta-9 THC", "Delta 9 THC", "d9-THC", "Δ9 THC", "D9-THC"])
def test_delta_9_spellings_are_thc(spelling):
    _, cells = read(TABLE.replace("  THC            0.1", f"  {spelling:<15}0.1"))
    assert cells["thc"] == "ND"


def test_delta_8_is_never_read_as_delta_9():
    _, cells = read(TABLE + "  Delta-8 THC    0.1            85.2\n")
    assert cells["d8thc"] == "85.2" and cells["thc"] == "ND"


def test_a_batch_containing_d8_is_kept_as_printed():
    draft, _ = read("Batch: CN-D8-0914\n" + TABLE)
    assert draft.batch == "CN-D8-0914"


# --- cells ---------------------------------------------------------------------------------------------------


def test_a_number_inside_a_totals_formula_is_not_the_total():
    text = TABLE + "  Total THC = THCA × 0.877 + Δ9-THC                12.5\n"
    _, cells = read(text)
    assert cells["total_thc"] == "12.5"


def test_a_totals_formula_wrapped_over_two_lines_is_one_row():
    text = TABLE + "  Total THC (THCA × 0.877 + Δ9-\n  THC)                          12.5\n"
    _, cells = read(text)
    assert cells["total_thc"] == "12.5" and cells["thc"] == "ND"


def test_a_wrapped_name_is_joined_with_the_line_above():
    text = TABLE + "  Cannabidiolic acid\n  (CBDA)         0.1            4.4\n"
    assert read(text)[1]["cbda"] == "4.4"


def test_a_name_that_may_continue_the_line_above_is_not_read():
    text = TABLE.replace("  THC            0.1            ND", "  Total\n  THC            0.1            12.1")
    draft, cells = read(text)
    assert "thc" not in cells and "total_thc" not in cells
    assert any("continue the line above" in n for n in draft.notes)


def test_not_tested_holds_its_column_so_the_loq_is_not_read_as_the_result():
    name, cells = _split_row("  THCV       0.01       NT")
    assert name == "THCV" and [c[0] for c in cells] == ["0.01", ""]
    text = "Lab X Testing\n  Analyte    LOQ        Result (%)\n  CBD        0.01       3.1\n"
    _, cells = read(text + "  THCV       0.01       NT\n  CBG        0.02       N/A\n")
    assert cells == {"cbd": "3.1"}


def test_less_than_a_number_is_below_the_loq():
    draft, cells = read(TABLE + "  CBN            0.1            < 0.1\n")
    assert cells["cbn"] == "<LOQ" and draft.results[-1].loq == 0.1


# --- units ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "unit"),
    [
        ("%", "%"),
        ("% w/w", "%"),
        ("wt%", "%"),
        ("mg/g", "mg/g"),
        ("mg/mL", "mg/ml"),
        ("mg/gummy", "mg/unit"),
        ("mg/softgel", "mg/unit"),
        ("mg/capsule", "mg/unit"),
        ("mg/serving", "mg/serving"),
        ("mg/package", "mg/serving"),
        ("mg/kg", None),
        ("ppm", None),
    ],
)
def test_printed_units(printed, unit):
    assert unit_of(printed) == unit


def test_per_serving_is_never_read_as_per_unit():
    text = "Bright Labs\n  Analyte   mg/g    mg/gummy    mg/serving\n  CBD       6.25    25.0        50.0\n"
    text += "  Total CBD 6.25    25.0        50.0\n"
    draft, cells = read(text)
    assert draft.unit == "mg/unit" and cells == {"cbd": "25", "total_cbd": "25"}


def test_per_serving_only_is_left_for_the_person():
    text = "Bright Labs\n  Analyte   mg/serving\n  CBD       50.0\n  THC       ND\n"
    with pytest.raises(InvalidInput, match="per serving only"):
        read_coa_text(text)


def test_a_unit_printed_after_each_value_is_the_unit():
    text = "River Labs\n  Analyte   Concentration    LOQ\n  CBD       49.8 mg/mL       0.2 mg/mL\n"
    text += "  CBN       ND               0.2 mg/mL\n"
    draft, cells = read(text)
    assert draft.unit == "mg/ml" and cells == {"cbd": "49.8", "cbn": "ND"}


def test_a_units_column_gives_the_unit():
    text = "Prairie Testing\n  Analyte    Result   Units   LOD     LOQ\n  CBD        99.1     %       0.005   0.01\n"
    draft, cells = read(text)
    assert draft.unit == "%" and cells == {"cbd": "99.1"}


def test_a_value_printed_in_mg_per_package_is_not_read():
    text = "Pack Labs\n  Analyte   Amount\n  CBD       750 mg\n  THC       ND\n"
    _, cells = read(text)
    assert "cbd" not in cells


def test_a_printed_unit_disagreeing_with_its_column_is_not_read():
    text = "Odd Labs\n  Analyte   Result (mg/g)\n  CBD       3.4 %\n  THC       1.2\n"
    _, cells = read(text)
    assert cells == {"thc": "1.2"}


def test_header_units_wrapped_onto_the_next_line():
    text = (
        "Amber Labs\n"
        "  Analyte          LOD        LOQ       Result       Result (mg/\n"
        "                   (%)        (%)       (%)          g)\n"
        "  CBD              0.002      0.01      0.062        0.62\n"
        "  THC              0.002      0.01      0.187        1.87\n"
    )
    draft, cells = read(text)
    assert draft.unit == "mg/g" and cells == {"cbd": "0.62", "thc": "1.87"}


@pytest.mark.parametrize("column", ["Dilution", "% of Label Claim", "RT"])
def test_a_named_column_that_is_not_a_result_holds_its_place(column):
    text = f"V Labs\n  Analyte   {column:<18}LOQ     Result (mg/g)\n  CBD       {'20':<18}0.05    61.4\n"
    text += f"  THC       {'20':<18}0.05    ND\n"
    _, cells = read(text)
    assert cells == {"cbd": "61.4", "thc": "ND"}


def test_an_unnamed_extra_column_is_not_guessed():
    text = "V Labs\n  Analyte  Factor  LOQ    Result\n  CBD      20      0.05   61.4\n  THC      20      0.05   ND\n"
    with pytest.raises(InvalidInput, match="could not tell"):
        read_coa_text(text.replace("Result", "Result (mg/g)").replace("Factor", "      "))


# --- decimal commas ------------------------------------------------------------------------------------------


def test_decimal_commas_are_decimals():
    text = "Nord Labor GmbH\n  Analyt   LOQ (%)   Gehalt (%)\n  CBD      0,01      9,812\n  CBG      0,01      1,105\n"
    text += "  THC      0,01      0,168\n"
    _, cells = read(text)
    assert cells == {"cbd": "9.812", "cbg": "1.105", "thc": "0.168"}


@pytest.mark.parametrize(
    ("cell", "marks", "read_as"),
    [
        ("0,214", {","}, "0.214"),
        ("1,105", {","}, "1.105"),  # a decimal-comma certificate
        ("1,105", {"."}, "1105"),  # a point-decimal one: the comma groups thousands
        ("1,105", set(), None),  # nothing says which: not read
        ("1.105", {","}, "1105"),
        ("1.234,5", set(), "1234.5"),
        ("1,234.5", set(), "1234.5"),
        ("<0,05", {","}, "<0.05"),
        ("12", set(), "12"),
    ],
)
def test_a_number_that_could_be_read_two_ways_is_read_only_when_the_certificate_says_how(cell, marks, read_as):
    assert _number(cell, marks) == read_as


def test_an_ambiguous_number_is_left_blank_with_a_note():
    text = "Nord Labs\n  Analyte   Result (mg/g)\n  CBD       1,105\n  THC       2\n"
    draft, cells = read(text)
    assert cells == {"thc": "2"} and any("two ways" in n for n in draft.notes)


def test_density_with_a_decimal_comma_and_a_temperature():
    draft, _ = read("Density (20 °C)      0,921 g/ml\n" + TABLE)
    assert draft.density_g_ml == 0.921


# --- dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["14-Sep-2026", "14 Sep 2026", "Sep 14, 2026", "September 14th, 2026", "2026-09-14", "2026/09/14"]
)
def test_date_formats(written):
    assert _parse_date(written, []) == date(2026, 9, 14)


def test_the_analysis_date_not_the_received_one():
    draft, _ = read("Date Received   09/10/2026\nDate Tested     09/14/2026\nDate Reported   09/16/2026\n" + TABLE)
    assert draft.tested_on == date(2026, 9, 14)


def test_an_ambiguous_numeric_date_follows_the_certificates_other_dates():
    draft, _ = read("Date Sampled: 08/27/2026    Date Analyzed: 09/04/2026\n" + TABLE)
    assert draft.tested_on == date(2026, 9, 4)


def test_an_ambiguous_numeric_date_alone_is_left_blank():
    draft, _ = read("Date Analyzed: 09/04/2026\n" + TABLE)
    assert draft.tested_on is None and any("day/month" in n for n in draft.notes)


def test_two_different_analysis_dates_are_left_blank():
    draft, _ = read("Date Tested: 2026-09-14\n" + TABLE + "Date Tested: 2026-09-20\n")
    assert draft.tested_on is None


# --- batch, lab ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "batch"),
    [
        ("Batch ID        GH-FL-0422", "GH-FL-0422"),
        ("Lot #: DH-NB-1009    Sample ID: BWL-44821", "DH-NB-1009"),
        ("Sample ID: BWL-44821", None),
        ("Batch: N/A", None),
        ("Batch Date: 09/14/2026", None),
    ],
)
def test_batch(line, batch):
    assert read(line + "\n" + TABLE)[0].batch == batch


def test_a_batch_under_its_column_heading():
    heading = " Client            Sample ID       Lot Number\n Calm Co.          VS-2026-44      LT-3390\n"
    draft, _ = read(heading + TABLE)
    assert draft.batch == "LT-3390"


def test_a_german_labor_is_a_lab():
    assert read("Nordhanf Labor GmbH\n" + TABLE.replace("Example Testing Labs\n", ""))[0].lab == "Nordhanf Labor GmbH"


# --- the same analyte twice ----------------------------------------------------------------------------------


def test_the_same_analyte_twice_with_different_results_is_not_read():
    draft, cells = read(TABLE + "  CBD            0.1            29.0\n")
    assert "cbd" not in cells and any("twice" in n for n in draft.notes)


def test_a_summary_agreeing_with_the_table_is_read():
    _, cells = read("Summary: Total CBD 31.2 mg/g\n" + TABLE + "  Total CBD      0.1            31.2\n")
    assert cells["total_cbd"] == "31.2"


# --- panels --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "panels"),
    [
        (
            "Heavy metals: Pass  ·  Pesticides: Pass  ·  Mycotoxins: n.t.",
            {"heavy_metals": "pass", "pesticides": "pass"},
        ),
        ("Microbials           NT", {}),
        ("Residual Solvents     NOT TESTED", {}),
        ("Microbiological: FAILED (total yeast and mold above the limit)", {"microbials": "fail"}),
        ("Microbiology (Ph. Eur. 2.6.12): complies", {"microbials": "pass"}),
        ("Pesticides (see page 3)", {}),
        ("Heavy metals    tested", {"heavy_metals": "tested"}),
    ],
)
def test_each_panel_takes_the_status_written_after_it(line, panels):
    assert read(TABLE + line + "\n")[0].panels == panels


# --- rows with blank cells -----------------------------------------------------------------------------------


def test_a_totals_row_with_blank_limits_fills_the_results_from_the_right():
    text = "G Labs\n  Analyte   LOD (%)   LOQ (%)   Result (%)   Result (mg/g)\n  CBD   0.01   0.03   3.41   34.1\n"
    text += "  Total CBD                                0.422               4.22\n"  # shifted, as pypdf may print it
    _, cells = read(text)
    assert cells == {"cbd": "34.1", "total_cbd": "4.22"}


def test_a_totals_row_with_a_blank_loq_at_the_right_fills_from_the_left():
    text = "P Labs\nUnits: mg/g\n  Analyte   Result   LOQ\n  CBD       23.0     0.1\n  Total THC 25.1\n"
    assert read(text)[1] == {"cbd": "23", "total_thc": "25.1"}


def test_a_row_missing_one_of_two_results_is_not_read():
    """LOQ, % and mg/g columns; a row '0.1 3.4' could be LOQ and % or % and mg/g: 1 % is not 0.34 mg/g."""
    text = "G Labs\n  Analyte   LOQ (%)   Result (%)   Result (mg/g)\n  CBD   0.01   3.41   34.1\n"
    _, cells = read(text + "  CBG   0.1   3.4\n")
    assert "cbg" not in cells


def test_another_tests_status_is_not_a_panels():
    assert read(TABLE + "  Pesticides (see page 3)        Water Activity    PASS\n")[0].panels == {}


def test_a_dash_after_the_name_belongs_to_the_name():
    text = "G Labs\n  Analyte            Result (%)   Result (mg/g)\n  CBD – Cannabidiol  3.4          34\n"
    assert read(text + "  THC – Tetrahydrocannabinol  ND  ND\n")[1] == {"cbd": "34", "thc": "ND"}
