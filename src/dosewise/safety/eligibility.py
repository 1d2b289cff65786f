"""Who may get which titration plan: refusals and cautions from the person's age, flags, medicines and product.

Refusals, checked in this order (each says why and what is possible instead):

1. age unknown (ask for the birth year first) or possibly under 18 (the youngest possible age counts);
2. pregnancy or breastfeeding: no cannabinoid plan at all, CBD-only included (FDA advises against CBD, THC
   and cannabis in any form in pregnancy and breastfeeding; the nabiximols label rules it out when
   breastfeeding). Logging stays possible: only plans are refused;
3. a protocol meant only for people who have used THC before (Bhaskar 2021 rapid): needs that person flag;
4. a CBD-first protocol (Bhaskar 2021 conservative, routine) with a product that is not CBD-predominant;
5. THC with a psychosis history (nabiximols label): THC plans refused, CBD-only plans stay possible.

Sources and texts: knowledge/data/protocols.yaml (``plan_eligibility``); Sativex SmPC/PIL (cautions for heart
disease, epilepsy, substance misuse, driving), Epidiolex PI (baseline liver tests; liver injury more likely
with valproate), riluzole PI (liver tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dosewise.errors import PlanRefused
from dosewise.knowledge.files import YamlRecord
from dosewise.model.products import Product
from dosewise.safety.drugs import all_drugs
from dosewise.safety.protocols import Protocol, protocol_data

ADULT_AGE = 18
THC_PROTOCOLS = ("rapid", "nabiximols", "dronabinol")
THC_REFUSING_FLAGS = {"psychosis-history": "a personal or family history of psychosis"}
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


def rules() -> YamlRecord:
    """Return the eligibility rules from protocols.yaml (``plan_eligibility``)."""
    return protocol_data()["plan_eligibility"]


def _text(raw: str) -> str:
    return " ".join(raw.split())


def is_thc_plan(protocol: Protocol, product: Product) -> bool:
    """A plan involves THC if the protocol adds THC or the product contains any (or its content is unknown)."""
    return protocol.id in THC_PROTOCOLS or product.thc_mg is None or product.thc_mg > 0


def assess(protocol: Protocol, product: Product, person: PersonContext) -> Assessment:
    """Return what is allowed and the cautions; raise PlanRefused (with the reason) when no plan is safe."""
    _check_age(person)
    _check_pregnancy(person)
    _check_protocol_flag(protocol, person)
    _check_cbd_first(protocol, product)
    refusing = [why for flag, why in THC_REFUSING_FLAGS.items() if flag in person.flags]
    if refusing and is_thc_plan(protocol, product):
        raise PlanRefused(
            f"No plan with THC can be made because of {' and '.join(refusing)}. The nabiximols label rules THC out "
            "with a psychosis history. '" + product.name + "' or the protocol involves THC. A CBD-only product "
            "with the conservative or routine protocol may be possible."
        )
    out = Assessment(thc_allowed=not refusing)
    if refusing:
        out.cautions.append(f"THC steps are left out because of {' and '.join(refusing)}.")
    out.cautions += [text for flag, text in CAUTION_FLAGS.items() if flag in person.flags]
    _liver(out, person)
    return out


def _check_age(person: PersonContext) -> None:
    if person.age is None:
        raise PlanRefused(_text(rules()["age_unknown"]), field="birth_year")
    if person.age < ADULT_AGE:
        raise PlanRefused(
            "Dosewise does not make titration plans for anyone who may be under 18 (with only a "
            "birth year, the youngest possible age counts). A specialist must plan any cannabinoid "
            "treatment for a child or teenager."
        )


def _check_pregnancy(person: PersonContext) -> None:
    data = rules()["no_plan_flags"]
    found = [why for flag, why in data["flags"].items() if flag in person.flags]
    if found:
        raise PlanRefused(f"No cannabinoid plan can be made during {' or '.join(found)}: " + _text(data["why"]))


def _check_protocol_flag(protocol: Protocol, person: PersonContext) -> None:
    need = protocol.raw.get("requires_flag")
    if need and need not in person.flags:
        raise PlanRefused(_text(protocol.raw["requires_flag_why"]), field="protocol")


def _check_cbd_first(protocol: Protocol, product: Product) -> None:
    """Refuse a CBD-first protocol for a product that is not CBD-predominant (more CBD than THC per unit).

    The choice: refuse rather than re-plan. The conservative and routine protocols start with CBD alone and
    add THC only if CBD up to 40 mg a day was not enough (Bhaskar 2021). With a THC-dominant or balanced
    product the CBD phase cannot be given: every step labelled CBD would be mostly THC, and planning the
    THC phase alone would start THC at once, which is what these protocols exist to avoid. So the person
    is told which product or protocol fits instead. A CBD-predominant product may contain some THC; in the
    CBD phase its THC never exceeds the THC phase's start dose (protocols._target).
    """
    if not protocol.raw.get("cbd_first") or product.thc_mg is None or product.cbd_mg is None:
        return
    if product.thc_mg > 0 and product.thc_mg >= product.cbd_mg:
        kind = "more THC than CBD" if product.thc_mg > product.cbd_mg else "as much THC as CBD"
        raise PlanRefused(
            f"'{product.name}' has {kind} ({product.thc_mg:g} mg THC and {product.cbd_mg:g} mg CBD per "
            f"{product.basis.value}). " + _text(rules()["cbd_first_why"]).replace("{protocol}", protocol.id),
            field="product",
        )


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
