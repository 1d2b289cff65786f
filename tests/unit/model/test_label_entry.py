"""Products entered as the label prints them: every label form, exact arithmetic, sensible display, bad input."""

from fractions import Fraction

import pytest

from dosewise.errors import InvalidInput
from dosewise.model.label_entry import describe_entry, read_label
from dosewise.model.products import Basis, Form, format_mg


def read(form=Form.OIL, **texts):
    texts.setdefault("thc", None)
    texts.setdefault("cbd", None)
    return read_label(form=form, per=texts.pop("per", None), drop_ml=texts.pop("drop_ml", 0.05), **texts)


@pytest.mark.parametrize(
    ("form", "cbd", "basis", "mg"),
    [
        (Form.OIL, "1000 mg in 30 ml", Basis.ML, Fraction(100, 3)),
        (Form.OIL, "1000mg/30ml", Basis.ML, Fraction(100, 3)),
        (Form.OIL, "1000/30 mg per ml", Basis.ML, Fraction(100, 3)),
        (Form.OIL, "33,3 mg/ml", Basis.ML, Fraction(333, 10)),
        (Form.OIL, "1.5 mg per drop", Basis.ML, Fraction(30)),
        (Form.CAPSULE, "10 mg per capsule", Basis.UNIT, Fraction(10)),
        (Form.CAPSULE, "300 mg in 30 softgels", Basis.UNIT, Fraction(10)),
        (Form.EDIBLE, "25 mg per gummy", Basis.UNIT, Fraction(25)),
        (Form.EDIBLE, "250 mg in 10 gummies", Basis.UNIT, Fraction(25)),
        (Form.SPRAY, "2.5 mg per spray", Basis.SPRAY, Fraction(5, 2)),
        (Form.SPRAY, "2.5 mg per puff", Basis.SPRAY, Fraction(5, 2)),
        (Form.FLOWER, "12 %", Basis.G, Fraction(120)),
        (Form.FLOWER, "100 mg/g", Basis.G, Fraction(100)),
    ],
)
def test_every_label_form_gives_the_exact_mg_per_basis(form, cbd, basis, mg):
    entry = read(form, cbd=cbd, thc="none")
    assert entry.basis is basis and entry.cbd_mg == mg and entry.thc_mg == 0


def test_a_30_ml_bottle_of_1000_mg_is_stored_exactly_and_shown_rounded():
    entry = read(cbd="1000 mg in 30 ml", thc="unknown")
    assert entry.cbd_mg * 30 == 1000  # no 33.3 x 30 = 999
    words = " ".join(describe_entry(entry))
    assert "33.3 mg per ml" in words and "1.7 mg per drop" in words
    # nine drops are 15 mg, not 14.98
    assert format_mg(float(entry.cbd_mg) * 0.05 * 9) == "15"


@pytest.mark.parametrize(("value", "shown"), [(14.985, "15"), (33.3333, "33.3"), (1.6667, "1.7"), (0.16667, "0.17")])
def test_mg_are_shown_sensibly_rounded(value, shown):
    assert format_mg(value) == shown


def test_flower_total_thc_counts_the_acid_at_0_877():
    entry = read(Form.FLOWER, thc="0.5 %", thca="20 %", cbd="0.1 %", cbda="1 %")
    assert entry.thc_mg == Fraction(5) + Fraction(877, 1000) * 200  # 180.4 mg per g
    assert entry.cbd_mg == Fraction(1) + Fraction(877, 1000) * 10
    assert "0.877 x 20 % THCA" in " ".join(describe_entry(entry))


@pytest.mark.parametrize("claim", ["THC-free", "broad spectrum", "isolate"])
def test_a_thc_free_claim_counts_0_thc_but_says_it_is_only_a_claim(claim):
    entry = read(cbd="1000 mg in 30 ml", thc="", spectrum=claim)
    assert entry.thc_mg == 0 and entry.thc_from_claim
    assert "not a measurement" in " ".join(describe_entry(entry))


def test_full_spectrum_with_thc_unknown_stays_unknown_and_says_a_plan_will_ask():
    entry = read(cbd="1000 mg in 30 ml", thc="unknown", spectrum="full spectrum")
    assert entry.thc_mg is None
    assert "THC: not known. A plan needs it" in " ".join(describe_entry(entry))


def test_a_maximum_is_used_as_the_amount_and_said_so():
    entry = read(cbd="1000 mg in 30 ml", thc="up to 1 mg/ml")
    assert entry.thc_mg == 1 and entry.thc_maximum
    assert "plans assume the maximum" in " ".join(describe_entry(entry))


def test_a_percent_on_an_oil_needs_the_density():
    with pytest.raises(InvalidInput, match="density") as e:
        read(cbd="3 %", thc="none")
    assert e.value.field == "cbd"
    entry = read(cbd="3 %", thc="none", density_g_ml=0.92)
    assert entry.cbd_mg == Fraction(30) * Fraction("0.92")


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"cbd": "-5 mg/ml"}, "cbd", "negative"),
        ({"cbd": "120 %"}, "cbd", "more than 100"),
        ({"cbd": "1000 mg"}, "cbd", "mg per what"),
        ({"cbd": "1000 mg per bottle"}, "cbd", "without its size"),
        ({"cbd": "1000 mg in 0 ml"}, "cbd", "more than 0"),
        ({"cbd": "1000/0 mg per ml"}, "cbd", "divides by zero"),
        ({"cbd": "lots"}, "cbd", "Could not read"),
        ({"cbd": "10 mg per serving"}, "cbd", "serving"),
        ({"cbd": "10 mg per capsule"}, "cbd", "does not fit"),
        ({"cbd": "5000 mg in 1 ml"}, "cbd", "impossible"),
        ({"cbd": "60 %", "thc": "50 %"}, "thc", "more than 100"),
        ({"cbd": "10 mg/ml", "spectrum": "hemp magic"}, "spectrum", "Unknown label claim"),
        ({"cbd": "0", "thc": "none"}, "cbd", "both 0"),
        ({"cbd": "10 mg/ml", "thca": "5 mg/ml"}, "thc", "THCA but not THC"),
    ],
)
def test_bad_labels_are_refused_naming_the_field(texts, field, message):
    with pytest.raises(InvalidInput, match=message) as e:
        read(**texts)
    assert e.value.field == field


def test_a_spray_label_per_ml_is_refused_with_how_to_convert():
    with pytest.raises(InvalidInput, match="mg per spray"):
        read(Form.SPRAY, cbd="25 mg/ml", thc="27 mg/ml", per="spray")


def test_puffs_and_pumps_are_sprays_when_logging_a_dose():
    from dosewise.model.products import Product
    from dosewise.model.units import parse_amount

    spray = Product(name="Sativex", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
    assert parse_amount("2 puffs", spray).thc_mg == 5.4 and parse_amount("1 pump", spray).cbd_mg == 2.5
