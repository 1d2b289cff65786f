"""What a certificate of analysis shows and does not show: every check, with its reference."""

from datetime import date

import pytest

from dosewise.errors import InvalidInput
from dosewise.knowledge.references import load_references
from dosewise.model.coa import AnalyteResult, Coa, measured_per_basis, parse_result, validate_coa
from dosewise.model.products import Basis, Form
from dosewise.safety.coa_review import LabelFacts, review_coa, settings

TODAY = date(2026, 11, 21)
ALL_PANELS = {p: "pass" for p in ("residual_solvents", "microbials", "mycotoxins", "pesticides", "heavy_metals")}


def coa(unit="mg/ml", batch="B-1", tested_on=date(2026, 10, 1), panels=None, density=None, **results) -> Coa:
    rows = tuple(parse_result(v, analyte=k, loq=0.05) for k, v in results.items())
    return Coa(
        lab="Lab",
        batch=batch,
        tested_on=tested_on,
        unit=unit,
        results=rows,
        panels=ALL_PANELS if panels is None else panels,
        density_g_ml=density,
        accredited=True,
    )


def oil(thc=0.0, cbd=100 / 3, spectrum=None, batch="B-1", form=Form.OIL, basis=Basis.ML) -> LabelFacts:
    return LabelFacts(name="Oil", form=form, basis=basis, thc_mg=thc, cbd_mg=cbd, spectrum=spectrum, batch=batch)


def texts(review, check, where="shows"):
    return [f for f in getattr(review, where) if f.check == check]


def test_a_total_that_does_not_match_its_own_thca_is_flagged_and_the_larger_is_used():
    c = coa(unit="%", thc="0.5", thca="20", total_thc="15")
    r = review_coa(c, oil(basis=Basis.G, form=Form.FLOWER), today=TODAY)
    (finding,) = texts(r, "arithmetic")
    assert finding.attention and "does not match its own numbers" in finding.text
    assert r.measured_thc_mg == pytest.approx((0.5 + 0.877 * 20) * 10)  # 180.4 mg per g, not 150


def test_a_total_that_agrees_is_said_to_agree():
    r = review_coa(coa(unit="%", thc="0.5", thca="20", total_thc="18.04"), oil(basis=Basis.G), today=TODAY)
    assert not texts(r, "arithmetic")[0].attention


def test_percent_becomes_mg_per_ml_only_with_the_stated_density():
    without = review_coa(coa(unit="%", cbd="3.3", thc="ND"), oil(), today=TODAY)
    assert (
        without.measured_cbd_mg is None and "states no density" in texts(without, "conversion", "does_not_show")[0].text
    )
    with_density = review_coa(coa(unit="%", cbd="3.3", thc="ND", density=0.92), oil(), today=TODAY)
    assert with_density.measured_cbd_mg == pytest.approx(3.3 * 10 * 0.92)


@pytest.mark.parametrize(("measured", "outside"), [("33.3", False), ("28.5", False), ("28.0", True), ("38.5", True)])
def test_label_vs_coa_uses_canadas_85_to_115_percent(measured, outside):
    r = review_coa(coa(cbd=measured, thc="ND"), oil(), today=TODAY)
    (finding,) = texts(r, "label")
    assert finding.attention is outside and "section 97" in finding.text and finding.refs == ("hc-cannabis-regs-s97",)


def test_small_edible_doses_get_the_wider_canadian_band():
    gummy = oil(cbd=2.0, form=Form.EDIBLE, basis=Basis.UNIT)
    r = review_coa(coa(unit="mg/unit", cbd="1.6", thc="ND"), gummy, today=TODAY)  # 80 %: inside 75-125 %
    assert not texts(r, "label")[0].attention and "75-125 %" in texts(r, "label")[0].text


@pytest.mark.parametrize("claim", ["thc-free", "broad", "isolate"])
def test_thc_above_the_loq_in_a_thc_free_product_is_raised(claim):
    r = review_coa(coa(cbd="33", thc="0.4"), oil(spectrum=claim), today=TODAY)
    (finding,) = texts(r, "thc-free")
    assert finding.attention and "above its limit of quantitation" in finding.text
    assert "bonnmiller2017-labels" in finding.refs


def test_thc_below_the_loq_in_a_thc_free_product_is_not_raised():
    r = review_coa(coa(cbd="33", thc="<LOQ"), oil(spectrum="thc-free"), today=TODAY)
    assert not texts(r, "thc-free")[0].attention


def test_a_label_saying_no_thc_is_checked_too():
    r = review_coa(coa(cbd="33", thc="0.62"), oil(thc=0.0), today=TODAY)
    assert texts(r, "thc-free")[0].attention


def test_batch_missing_different_or_matching():
    assert texts(review_coa(coa(batch=None, cbd="33", thc="ND"), oil(), today=TODAY), "batch", "does_not_show")
    other = texts(review_coa(coa(batch="B-2", cbd="33", thc="ND"), oil(), today=TODAY), "batch")[0]
    assert other.attention and "may not describe your bottle" in other.text
    same = texts(review_coa(coa(batch="b 1", cbd="33", thc="ND"), oil(batch="B-1"), today=TODAY), "batch")[0]
    assert not same.attention
    unknown = texts(review_coa(coa(cbd="33", thc="ND"), oil(batch=None), today=TODAY), "batch", "does_not_show")
    assert "add the batch number" in unknown[0].text


def test_undated_and_old_certificates_are_said_so():
    undated = review_coa(coa(tested_on=None, cbd="33", thc="ND"), oil(), today=TODAY)
    assert "no analysis date" in texts(undated, "date", "does_not_show")[0].text
    old = review_coa(coa(tested_on=date(2025, 6, 1), cbd="33", thc="ND"), oil(), today=TODAY)
    finding = texts(old, "date")[0]
    assert finding.attention and "Dosewise setting" in finding.text


def test_missing_contaminant_panels_are_listed_and_a_failed_one_is_raised():
    r = review_coa(coa(panels={"pesticides": "fail"}, cbd="33", thc="ND"), oil(), today=TODAY)
    missing = texts(r, "panels", "does_not_show")
    assert len(missing) == 4 and all(f.refs == ("comar-10-62-23-04",) for f in missing)
    assert texts(r, "panels")[0].attention and "FAILED" in texts(r, "panels")[0].text


@pytest.mark.parametrize(("thc", "side"), [("0.31", "just above"), ("0.29", "just below")])
def test_a_result_close_to_the_us_hemp_limit_is_reported(thc, side):
    r = review_coa(coa(unit="%", cbd="5", thc=thc, density=0.92), oil(), today=TODAY)
    (finding,) = texts(r, "threshold")
    assert side in finding.text and "0.3 %" in finding.text and finding.refs == ("usc-7-1639o",)


def test_every_review_reference_resolves_and_settings_say_they_are_settings():
    refs = load_references()
    data = settings()
    cited = [*data["label_tolerance"]["refs"], *data["expected_panels"]["refs"], *data["thc_in_cbd_products"]["refs"]]
    cited += [r for t in data["thresholds"] for r in t["refs"]]
    assert cited and all(r in refs for r in cited)
    assert all(
        data[k]["setting"] for k in ("coa_max_age_days", "near_threshold_percent", "arithmetic_tolerance_percent")
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lab": " "}, "Which laboratory"),
        ({"unit": "ppm"}, "Unknown unit"),
        ({"tested_on": date(2027, 1, 1)}, "future"),
        ({"results": (AnalyteResult("cbd", 120.0),), "unit": "%"}, "impossible"),
        ({"results": (AnalyteResult("cbd", 60.0), AnalyteResult("thca", 50.0)), "unit": "%"}, "more than the whole"),
        ({"results": (AnalyteResult("cbg", 1.0),)}, "at least a THC or CBD"),
        ({"density_g_ml": 3.0}, "density"),
    ],
)
def test_impossible_certificates_are_refused(change, message):
    base = coa(cbd="33", thc="ND")
    fields = {**base.__dict__, **change}
    with pytest.raises(InvalidInput, match=message):
        validate_coa(Coa(**fields), today=TODAY)


@pytest.mark.parametrize("text", ["-1", "lots", "1,2,3"])
def test_a_result_that_is_not_a_number_nd_or_loq_is_refused(text):
    with pytest.raises(InvalidInput):
        parse_result(text, analyte="cbd")


def test_mg_per_unit_certificates_give_mg_per_capsule_but_not_per_ml():
    c = coa(unit="mg/unit", cbd="9.6", thc="ND")
    assert measured_per_basis(c, "cbd", Basis.UNIT) == (9.6, None)
    assert measured_per_basis(c, "cbd", Basis.ML)[0] is None
