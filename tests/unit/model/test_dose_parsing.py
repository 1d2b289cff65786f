"""Amounts in the person's own units become mg THC and mg CBD; units that do not fit are refused."""

import math

import pytest

from dosewise.errors import InvalidAmount
from dosewise.model.products import Basis, Form, Product
from dosewise.model.units import Unit, parse_amount

OIL = Product(name="Calm CBD oil 1000", form=Form.OIL, basis=Basis.ML, thc_mg=0.0, cbd_mg=33.3)
BIG_DROPS = Product(name="Thick oil", form=Form.OIL, basis=Basis.ML, thc_mg=1.0, cbd_mg=20.0, drop_ml=0.04)
SATIVEX = Product(name="Sativex", form=Form.SPRAY, basis=Basis.SPRAY, thc_mg=2.7, cbd_mg=2.5)
CAPS = Product(name="CBD caps", form=Form.CAPSULE, basis=Basis.UNIT, thc_mg=0.0, cbd_mg=25.0)
GUMMY = Product(name="Sleep gummies", form=Form.EDIBLE, basis=Basis.UNIT, thc_mg=5.0, cbd_mg=10.0)
FLOWER = Product(name="Bedrocan", form=Form.FLOWER, basis=Basis.G, thc_mg=220.0, cbd_mg=1.0)
UNKNOWN = Product(name="Mystery oil", form=Form.OIL, basis=Basis.ML, thc_mg=None, cbd_mg=None)


@pytest.mark.parametrize(
    ("text", "product", "unit", "thc", "cbd"),
    [
        ("5 drops", OIL, Unit.DROP, 0.0, 8.325),  # 5 x 0.05 ml x 33.3 mg/ml
        ("0.5 ml", OIL, Unit.ML, 0.0, 16.65),
        ("0,5 ml", OIL, Unit.ML, 0.0, 16.65),  # decimal comma
        ("5 drops", BIG_DROPS, Unit.DROP, 0.2, 4.0),  # the product's own drop size
        ("2 sprays", SATIVEX, Unit.SPRAY, 5.4, 5.0),
        ("1 spray", SATIVEX, Unit.SPRAY, 2.7, 2.5),
        ("1 capsule", CAPS, Unit.CAPSULE, 0.0, 25.0),
        ("1 gummy", GUMMY, Unit.UNIT, 5.0, 10.0),
        ("10 mg CBD", OIL, Unit.MG_CBD, 0.0, 10.0),
        ("2.5 mg THC", SATIVEX, Unit.MG_THC, 2.5, 2.5 * 2.5 / 2.7),
        ("0.1 g", FLOWER, Unit.G, 22.0, 0.1),
        ("  3   DROPS ", OIL, Unit.DROP, 0.0, 4.995),
    ],
)
def test_amount_converts_to_mg(text, product, unit, thc, cbd):
    a = parse_amount(text, product)
    assert a.unit is unit
    assert a.thc_mg == pytest.approx(thc, abs=1e-3)
    assert a.cbd_mg == pytest.approx(cbd, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "product", "message"),
    [
        ("-5 drops", OIL, "more than 0"),
        ("0 drops", OIL, "more than 0"),
        ("five drops", OIL, "Could not read"),
        ("NaN drops", OIL, "real number"),
        ("inf ml", OIL, "real number"),
        ("5 drps", OIL, "Did you mean 'drops'"),
        ("2 sprays", OIL, "not measured in sprays"),
        ("1 capsule", SATIVEX, "not measured in capsules"),
        ("5 drops", FLOWER, "not measured in drops"),
        ("10 mg", OIL, "Say which cannabinoid"),
        ("10 mg THC", OIL, "contains no THC"),
        ("5", OIL, "has no unit"),
        ("", OIL, "Could not read"),
        ("5 drops", UNKNOWN, "not known"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(text, product, message):
    with pytest.raises(InvalidAmount) as err:
        parse_amount(text, product)
    assert message in err.value.message


def test_no_nan_or_negative_mg_can_come_out():
    for text in ("1e-3 ml", "1000 drops", "0.0001 g"):
        product = FLOWER if text.endswith("g") else OIL
        a = parse_amount(text, product)
        assert math.isfinite(a.thc_mg) and a.thc_mg >= 0 and a.cbd_mg >= 0


def test_a_spray_content_per_ml_is_refused_with_how_to_convert_it():
    from dosewise.errors import InvalidInput
    from dosewise.model.products import validate_product

    with pytest.raises(InvalidInput, match="mg per spray = mg per ml x ml per spray"):
        validate_product(Product(name="X", form=Form.SPRAY, basis=Basis.ML, thc_mg=27.0, cbd_mg=25.0))
