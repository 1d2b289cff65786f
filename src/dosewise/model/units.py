"""Parse an amount such as "5 drops", "0.5 ml", "2 sprays" or "10 mg CBD" into mg THC and mg CBD.

Conversion uses the product's content (mg per ml / unit / spray / g) and, for drops, its drop
volume (default 0.05 ml). A unit that does not fit the product's form is an error, never a guess.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from enum import StrEnum

from dosewise.errors import InvalidAmount, InvalidInput
from dosewise.model.inputs import parse_decimal
from dosewise.model.products import Basis, Form, Product


class Unit(StrEnum):
    """Units as stored (and as written in the CSV ``unit`` column)."""

    DROP = "drop"
    ML = "ml"
    SPRAY = "spray"
    CAPSULE = "capsule"
    UNIT = "unit"
    G = "g"
    MG_CBD = "mg_cbd"
    MG_THC = "mg_thc"


_WORDS: dict[str, Unit] = {
    "drop": Unit.DROP,
    "drops": Unit.DROP,
    "gtt": Unit.DROP,
    "ml": Unit.ML,
    "millilitre": Unit.ML,
    "millilitres": Unit.ML,
    "milliliter": Unit.ML,
    "milliliters": Unit.ML,
    "spray": Unit.SPRAY,
    "sprays": Unit.SPRAY,
    "actuation": Unit.SPRAY,
    "actuations": Unit.SPRAY,
    "puff": Unit.SPRAY,
    "puffs": Unit.SPRAY,
    "pump": Unit.SPRAY,
    "pumps": Unit.SPRAY,
    "capsule": Unit.CAPSULE,
    "capsules": Unit.CAPSULE,
    "cap": Unit.CAPSULE,
    "caps": Unit.CAPSULE,
    "softgel": Unit.CAPSULE,
    "softgels": Unit.CAPSULE,
    "unit": Unit.UNIT,
    "units": Unit.UNIT,
    "gummy": Unit.UNIT,
    "gummies": Unit.UNIT,
    "piece": Unit.UNIT,
    "pieces": Unit.UNIT,
    "chew": Unit.UNIT,
    "chews": Unit.UNIT,
    "tablet": Unit.UNIT,
    "tablets": Unit.UNIT,
    "pill": Unit.UNIT,
    "pills": Unit.UNIT,
    "square": Unit.UNIT,
    "squares": Unit.UNIT,
    "g": Unit.G,
    "gram": Unit.G,
    "grams": Unit.G,
    "mg_cbd": Unit.MG_CBD,
    "mg cbd": Unit.MG_CBD,
    "mg of cbd": Unit.MG_CBD,
    "mg_thc": Unit.MG_THC,
    "mg thc": Unit.MG_THC,
    "mg of thc": Unit.MG_THC,
}

# Units a person may use for each form (mg of a cannabinoid always works if the product has it).
UNITS_OF_FORM: dict[Form, tuple[Unit, ...]] = {
    Form.OIL: (Unit.DROP, Unit.ML),
    Form.CAPSULE: (Unit.CAPSULE, Unit.UNIT),
    Form.SPRAY: (Unit.SPRAY,),
    Form.EDIBLE: (Unit.UNIT, Unit.G),
    Form.FLOWER: (Unit.G,),
    Form.VAPE: (Unit.ML, Unit.G),
    Form.TOPICAL: (Unit.G, Unit.ML),
}

_NUMBER = r"(?P<num>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[+-]?\d+)?|nan|inf|infinity|[+-]inf)"
_AMOUNT_RE = re.compile(rf"^\s*{_NUMBER}\s*(?P<unit>[a-z_ ]*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A parsed amount with the cannabinoid mg it delivers (mg, rounded to 0.0001)."""

    quantity: float
    unit: Unit
    thc_mg: float
    cbd_mg: float

    def display(self) -> str:
        """Return e.g. '5 drops' or '10 mg CBD'."""
        return format_quantity(self.quantity, self.unit)


def format_quantity(quantity: float, unit: Unit | str) -> str:
    """Return a human phrase for a quantity of a unit: '1 spray', '2 sprays', '0.25 ml'."""
    unit = Unit(unit)
    q = f"{quantity:g}"
    if unit in (Unit.MG_CBD, Unit.MG_THC):
        return f"{q} mg {'CBD' if unit is Unit.MG_CBD else 'THC'}"
    if unit in (Unit.ML, Unit.G):
        return f"{q} {unit.value}"
    plural = "" if quantity == 1 else "s"
    return f"{q} {unit.value}{plural}"


def parse_number(text: str, *, what: str = "amount") -> float:
    """Return a finite number from ``text`` (accepts a decimal comma); raise InvalidAmount otherwise."""
    try:
        return parse_decimal(text, what=what)
    except InvalidInput as exc:
        raise InvalidAmount(exc.message) from None


def parse_unit(text: str) -> Unit:
    """Return the Unit for a word such as 'drops' or 'mg CBD'; suggest the closest on a typo."""
    key = " ".join(text.strip().lower().split())
    if key in _WORDS:
        return _WORDS[key]
    if key == "mg":
        raise InvalidAmount("Say which cannabinoid the mg are: for example '10 mg CBD' or '2.5 mg THC'.")
    close = difflib.get_close_matches(key, list(_WORDS), n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InvalidAmount(
        f"Unknown unit '{text.strip()}'.{hint} Use drops, ml, sprays, capsules, units (gummies), g, "
        "'mg CBD' or 'mg THC'."
    )


def parse_amount(text: str, product: Product) -> Amount:
    """Parse ``text`` (e.g. "5 drops") for ``product`` into an Amount with mg THC and mg CBD."""
    m = _AMOUNT_RE.match(text or "")
    if not m:
        raise InvalidAmount(f"Could not read the amount '{text}'. Write a number and a unit, for example '5 drops'.")
    quantity = parse_number(m.group("num"))
    unit_word = m.group("unit")
    if not unit_word:
        raise InvalidAmount(f"'{text.strip()}' has no unit. Add one, for example '{quantity:g} drops'.")
    return amount_of(quantity, parse_unit(unit_word), product)


def amount_of(quantity: float, unit: Unit | str, product: Product) -> Amount:
    """Return the Amount for ``quantity`` of ``unit`` of ``product``; check it fits the product."""
    unit = Unit(unit)
    if not math.isfinite(quantity):
        raise InvalidAmount("The amount must be a real number.")
    if quantity <= 0:
        raise InvalidAmount(f"The amount must be more than 0 (got {quantity:g}).")
    if not product.content_known:
        raise InvalidAmount(
            f"The THC/CBD content of '{product.name}' is not known, so the dose cannot be converted to mg. "
            "Add the content from the label or certificate of analysis first."
        )
    basis_qty = _basis_quantity(quantity, unit, product)
    thc = round(basis_qty * (product.thc_mg or 0.0), 4)
    cbd = round(basis_qty * (product.cbd_mg or 0.0), 4)
    return Amount(quantity=quantity, unit=unit, thc_mg=thc, cbd_mg=cbd)


def _basis_quantity(quantity: float, unit: Unit, product: Product) -> float:
    """Return how many ml / units / sprays / g of the product ``quantity`` of ``unit`` is."""
    if unit in (Unit.MG_CBD, Unit.MG_THC):
        per = product.cbd_mg if unit is Unit.MG_CBD else product.thc_mg
        name = "CBD" if unit is Unit.MG_CBD else "THC"
        if not per:
            raise InvalidAmount(f"'{product.name}' contains no {name}, so a dose in mg {name} does not fit it.")
        return quantity / per
    allowed = UNITS_OF_FORM[product.form]
    if unit not in allowed:
        words = " or ".join(u.value + ("" if u in (Unit.ML, Unit.G) else "s") for u in allowed)
        raise InvalidAmount(
            f"{'An' if product.form.value[0] in 'aeiou' else 'A'} {product.form.value} is not measured in "
            f"{unit.value}s. "
            f"Log '{product.name}' in {words} (or mg CBD / mg THC)."
        )
    if unit is Unit.DROP:
        return quantity * product.drop_ml if product.basis is Basis.ML else _mismatch(unit, product)
    wanted = {
        Unit.ML: Basis.ML,
        Unit.SPRAY: Basis.SPRAY,
        Unit.CAPSULE: Basis.UNIT,
        Unit.UNIT: Basis.UNIT,
        Unit.G: Basis.G,
    }[unit]
    return quantity if product.basis is wanted else _mismatch(unit, product)


def _mismatch(unit: Unit, product: Product) -> float:
    raise InvalidAmount(
        f"The content of '{product.name}' is given per {product.basis.value}, so it cannot be logged in "
        f"{unit.value}s. Log it per {product.basis.value} or in mg CBD / mg THC."
    )
