"""Cannabinoid products: form, route, and content per ml / unit / spray / g."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from dosewise.errors import InvalidInput
from dosewise.model.inputs import check_text


class Form(StrEnum):
    OIL = "oil"
    CAPSULE = "capsule"
    SPRAY = "spray"
    EDIBLE = "edible"
    FLOWER = "flower"
    VAPE = "vape"
    TOPICAL = "topical"


class Route(StrEnum):
    ORAL = "oral"  # swallowed (capsules, edibles) or oil held under the tongue then swallowed
    OROMUCOSAL = "oromucosal"  # sprays on the inside of the cheek / under the tongue
    INHALED = "inhaled"  # smoked or vaporised flower, vape liquids
    TOPICAL = "topical"  # creams and balms on the skin


class Basis(StrEnum):
    """What the stated content refers to: mg per ml, per unit, per spray or per g."""

    ML = "ml"
    UNIT = "unit"
    SPRAY = "spray"
    G = "g"


ROUTE_OF_FORM: dict[Form, Route] = {
    Form.OIL: Route.ORAL,
    Form.CAPSULE: Route.ORAL,
    Form.EDIBLE: Route.ORAL,
    Form.SPRAY: Route.OROMUCOSAL,
    Form.FLOWER: Route.INHALED,
    Form.VAPE: Route.INHALED,
    Form.TOPICAL: Route.TOPICAL,
}

# Which bases make sense for each form (the first is the default).
BASES_OF_FORM: dict[Form, tuple[Basis, ...]] = {
    Form.OIL: (Basis.ML,),
    Form.CAPSULE: (Basis.UNIT,),
    Form.EDIBLE: (Basis.UNIT, Basis.G),
    Form.SPRAY: (Basis.SPRAY,),  # spray volumes differ by product: the content must be stated per spray
    Form.FLOWER: (Basis.G,),
    Form.VAPE: (Basis.ML, Basis.G),
    Form.TOPICAL: (Basis.G, Basis.ML),
}

DEFAULT_DROP_ML = 0.05  # a common dropper delivers ~20 drops per ml; the product can override it

MAX_CONTENT_MG = 1000.0  # mg per ml / unit / spray / g: pure cannabinoid is 1,000 mg per g


def parse_form(text: str) -> Form:
    """Return the Form named by ``text`` or raise InvalidInput listing the choices."""
    try:
        return Form(text.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in Form)
        raise InvalidInput(f"Unknown product form '{text}'. Choose one of: {choices}.", field="form") from None


def parse_basis(text: str) -> Basis:
    """Return the Basis named by ``text`` (ml, unit, spray, g; plurals and 'capsule' accepted)."""
    t = text.strip().lower().rstrip("s")
    aliases = {
        "ml": Basis.ML,
        "unit": Basis.UNIT,
        "capsule": Basis.UNIT,
        "gummy": Basis.UNIT,
        "piece": Basis.UNIT,
        "spray": Basis.SPRAY,
        "g": Basis.G,
        "gram": Basis.G,
    }
    if t not in aliases:
        raise InvalidInput(f"Unknown content basis '{text}'. Use --per ml, unit, spray or g.", field="per")
    return aliases[t]


@dataclass(frozen=True)
class Product:
    """A cannabinoid product as the person owns it. Content is mg per ``basis``; None = not known."""

    name: str
    form: Form
    basis: Basis
    thc_mg: float | None
    cbd_mg: float | None
    drop_ml: float = DEFAULT_DROP_ML
    unit_name: str | None = None  # "capsule", "gummy", ... (for display)
    potency_source: str = "label"  # "label" or "measured" (certificate of analysis)
    id: int | None = None
    thc_maximum: bool = False  # THC is the label's upper limit ("< 0.3 %"): plans assume the maximum
    thc_from_claim: bool = False  # THC 0 only because the label claims THC-free / broad spectrum / isolate

    @property
    def route(self) -> Route:
        return ROUTE_OF_FORM[self.form]

    @property
    def content_known(self) -> bool:
        return self.thc_mg is not None and self.cbd_mg is not None

    def describe_content(self) -> str:
        """Return e.g. '2.7 mg THC + 2.5 mg CBD per spray' (mg rounded for reading, see ``format_mg``)."""

        def fmt(v: float | None) -> str:
            return "?" if v is None else format_mg(v)

        thc = ("up to " if self.thc_maximum else "") + fmt(self.thc_mg)
        return f"{thc} mg THC + {fmt(self.cbd_mg)} mg CBD per {self.basis.value}"


def format_mg(value: float | Fraction | None) -> str:
    """Show mg sensibly: 1 decimal from 1 mg up (14.98 -> '15', 33.33 -> '33.3'), 2 significant figures below."""
    if value is None:
        return "not known"
    x = float(value)
    if x == 0:
        return "0"
    shown = round(x, 1) if x >= 1 else float(f"{x:.2g}")
    return f"{shown:g}"


def validate_product(product: Product) -> Product:
    """Check a product's fields; raise InvalidInput naming the field to fix."""
    name = product.name.strip()
    if not name:
        raise InvalidInput("A product needs a name.", field="name")
    if len(name) > 120:
        raise InvalidInput("A product name can be at most 120 characters.", field="name")
    check_text(name, field="name", one_line=True)
    if product.basis not in BASES_OF_FORM[product.form]:
        allowed = " or ".join(b.value for b in BASES_OF_FORM[product.form])
        article = "an" if product.form.value[0] in "aeiou" else "a"
        hint = (
            (
                " The label gives mg per spray, or mg per ml and the spray volume: mg per spray = mg per ml x ml "
                "per spray (Sativex: 0.1 ml)."
            )
            if product.form is Form.SPRAY
            else ""
        )
        raise InvalidInput(
            f"The content of {article} {product.form.value} is given per {allowed}, not per "
            f"{product.basis.value}.{hint}",
            field="per",
        )
    for label, value in (("THC", product.thc_mg), ("CBD", product.cbd_mg)):
        if value is None:
            continue
        if not math.isfinite(value) or value < 0:
            raise InvalidInput(f"{label} content must be a number of 0 or more.", field=label.lower())
        if value > MAX_CONTENT_MG:
            raise InvalidInput(
                f"{label} content {value:g} mg per {product.basis.value} is impossible "
                f"(pure cannabinoid is 1,000 mg per g). Check the label.",
                field=label.lower(),
            )
    if product.content_known and product.thc_mg == 0 and product.cbd_mg == 0:
        raise InvalidInput("THC and CBD content are both 0: check the label.", field="cbd")
    if not math.isfinite(product.drop_ml) or not 0.01 <= product.drop_ml <= 0.2:
        raise InvalidInput("Drop volume must be between 0.01 and 0.2 ml (usually 0.05).", field="drop_ml")
    return product
