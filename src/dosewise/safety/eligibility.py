"""Who may get which titration plan: refusals and cautions from the person's flags and medicines.

Sources: Sativex SmPC/PIL (contraindicated with psychosis history and breastfeeding; pregnancy only if
benefit outweighs risk; cautions for heart disease, epilepsy, substance misuse, driving), Epidiolex PI
(baseline liver tests; liver injury more likely with valproate), riluzole PI (liver tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dosewise.errors import PlanRefused
from dosewise.model.products import Product
from dosewise.safety.drugs import all_drugs
from dosewise.safety.protocols import Protocol

ADULT_AGE = 18
THC_PROTOCOLS = ("rapid", "nabiximols", "dronabinol")
THC_REFUSING_FLAGS = {
    "psychosis-history": "a personal or family history of psychosis",
    "pregnant": "pregnancy",
    "breastfeeding": "breastfeeding",
}
CAUTION_FLAGS = {
    "heart-disease": "Heart disease, arrhythmia or high blood pressure: THC can speed the heart and change blood "
    "pressure. Ask your clinician before starting.",
    "epilepsy": "Epilepsy: the nabiximols label advises caution. Tell your neurologist.",
    "substance-use": "A history of substance misuse: the nabiximols label advises caution.",
    "drives": "Do not drive or use machinery if you feel drowsy, dizzy or high, especially while the dose rises.",
}
REFS = ("sativex-smpc", "epidiolex-pi-us", "riluzole-pi")


@dataclass(frozen=True)
class PersonContext:
    """What the plan needs to know about the person (plain values)."""

    age: int | None  # whole years; with only a birth year known, pass the YOUNGEST possible age
    flags: frozenset[str] = frozenset()
    drug_ids: frozenset[str] = frozenset()


@dataclass
class Assessment:
    thc_allowed: bool
    cautions: list[str] = field(default_factory=list)
    liver_tests: bool = False
    refs: tuple[str, ...] = REFS


def is_thc_plan(protocol: Protocol, product: Product) -> bool:
    """A plan involves THC if the protocol adds THC or the product contains any (or its content is unknown)."""
    return protocol.id in THC_PROTOCOLS or product.thc_mg is None or product.thc_mg > 0


def assess(protocol: Protocol, product: Product, person: PersonContext) -> Assessment:
    """Return what is allowed and the cautions; raise PlanRefused (with the reason) when no plan is safe."""
    if person.age is not None and person.age < ADULT_AGE:
        raise PlanRefused(
            "Dosewise does not make titration plans for anyone who may be under 18 (with only a "
            "birth year, the youngest possible age counts). A specialist must plan any cannabinoid "
            "treatment for a child or teenager."
        )
    refusing = [why for flag, why in THC_REFUSING_FLAGS.items() if flag in person.flags]
    thc_plan = is_thc_plan(protocol, product)
    if refusing and thc_plan:
        raise PlanRefused(
            f"No plan with THC can be made because of {' and '.join(refusing)}. The nabiximols label rules THC out "
            "with a psychosis history or breastfeeding, and in pregnancy allows it only if a clinician judges the "
            "benefit worth the risk - a decision Dosewise leaves to your clinician. '" + product.name + "' or the "
            "protocol involves THC. A CBD-only product with the conservative or routine protocol may be possible."
        )
    out = Assessment(thc_allowed=not refusing)
    if person.age is None:
        out.cautions.append("Your age is not recorded. Plans are for adults (18 or over); add your birth year.")
    if refusing:
        out.cautions.append(f"THC steps are left out because of {' and '.join(refusing)}.")
    if "pregnant" in person.flags or "breastfeeding" in person.flags:
        out.cautions.append("Pregnancy or breastfeeding: talk to your clinician before taking any cannabinoid.")
    out.cautions += [text for flag, text in CAUTION_FLAGS.items() if flag in person.flags]
    _liver(out, person)
    return out


def _liver(out: Assessment, person: PersonContext) -> None:
    drugs = all_drugs()
    hepatotoxic = sorted(drugs[d].name for d in person.drug_ids if d in drugs and "hepatotoxic" in drugs[d].properties)
    if "liver-disease" in person.flags or hepatotoxic:
        out.liver_tests = True
        why = "liver disease" if "liver-disease" in person.flags else ""
        if hepatotoxic:
            why = (why + " and " if why else "") + ", ".join(hepatotoxic) + " (can also affect the liver)"
        out.cautions.append(
            f"Caution because of {why}: ask for liver blood tests (ALT, AST, bilirubin) before starting and "
            "while the dose rises. Stop and contact your doctor if you notice yellow skin or eyes, dark urine "
            "or pain under the right ribs."
        )
