"""Start-low-go-slow titration plans in the product's own units, adapted to the journal.

Amounts are whole drops / sprays / capsules / units, always rounded DOWN against the step's cap and the
daily ceiling (mg/day): the protocol's, and a lower one a clinician (or the person) set (``DailyCeiling``:
a plan uses the lower of the two, so a step above it is cut down to it and steps up no further). A
day-to-day increase is never larger than the protocol's step. How the steps
are laid out over days and adapted to the journal is ``plan_course``. Sources: see protocols.yaml
(Bhaskar 2021, nabiximols SmPC, dronabinol label, MacCallum & Russo 2018).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from dosewise.errors import PlanRefused
from dosewise.model.products import Basis, Form, Product
from dosewise.model.units import Unit, amount_of
from dosewise.model.vocab import PlanAction, PlanStatus
from dosewise.safety.protocols import Protocol, StepTarget, step_targets

EPS = 1e-9
DEFAULT_HORIZON_DAYS = 84  # days laid out in a plan (12 weeks); the last step is held after that


@dataclass(frozen=True)
class DailyCeiling:
    """A daily ceiling set for the person (mg/day; None = no extra limit on that cannabinoid).

    It can only lower a plan's ceiling: the plan keeps min(protocol ceiling, this) for each cannabinoid.
    """

    thc_mg_day: float | None = None
    cbd_mg_day: float | None = None
    set_by: str | None = None  # who set it, in words ("by dr.silva@clinic.org (clinician)", "on the command line")
    set_on: date | None = None  # the person's journal day it was set
    note: str | None = None

    def lowers(self, protocol_thc: float, protocol_cbd: float) -> tuple[float, float]:
        """Return the effective (THC, CBD) ceiling in mg/day: the lower of the protocol's and this one."""
        return (
            protocol_thc if self.thc_mg_day is None else min(protocol_thc, self.thc_mg_day),
            protocol_cbd if self.cbd_mg_day is None else min(protocol_cbd, self.cbd_mg_day),
        )


@dataclass(frozen=True)
class PlannedDose:
    time: str  # local "HH:MM"
    amount: int  # whole drops / sprays / capsules / units
    unit: str
    thc_mg: float
    cbd_mg: float


@dataclass(frozen=True)
class PlannedStep:
    index: int
    phase: str
    days: int
    doses: tuple[PlannedDose, ...]

    @property
    def thc_mg_day(self) -> float:
        return round(sum(d.thc_mg for d in self.doses), 4)

    @property
    def cbd_mg_day(self) -> float:
        return round(sum(d.cbd_mg for d in self.doses), 4)

    @property
    def units_day(self) -> int:
        return sum(d.amount for d in self.doses)


@dataclass(frozen=True)
class Signal:
    """What the journal says about one day: worst side-effect severity (0-3) and any red flag."""

    day: date
    severity_rank: int = 0
    red_flag: bool = False


@dataclass
class PlanDay:
    date: date
    step: int
    phase: str
    doses: tuple[PlannedDose, ...]
    action: PlanAction = PlanAction.CONTINUE
    note: str | None = None
    status: PlanStatus = PlanStatus.ACTIVE
    hold: str | None = None  # plan_course.HoldReason while held

    @property
    def thc_mg_per_day(self) -> float:
        return round(sum(d.thc_mg for d in self.doses), 4)

    @property
    def cbd_mg_per_day(self) -> float:
        return round(sum(d.cbd_mg for d in self.doses), 4)


@dataclass
class Plan:
    protocol: Protocol
    product: Product
    unit: str
    steps: list[PlannedStep]
    days: list[PlanDay] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def measuring_unit(product: Product) -> Unit:
    """Return the whole unit a person measures the product in; raise PlanRefused if it has none."""
    if product.form is Form.OIL and product.basis is Basis.ML:
        return Unit.DROP
    if product.form is Form.CAPSULE:
        return Unit.CAPSULE
    if product.form is Form.SPRAY and product.basis is Basis.SPRAY:
        return Unit.SPRAY
    if product.form is Form.EDIBLE and product.basis is Basis.UNIT:
        return Unit.UNIT
    raise PlanRefused(
        f"A plan needs a product measured in whole drops, sprays, capsules or pieces; '{product.name}' is a "
        f"{product.form.value} with content per {product.basis.value}. Inhaled and topical doses cannot be "
        "measured reliably in mg. Use an oil, spray, capsule or edible with content per unit."
    )


def _unknown_part(product: Product) -> str:
    missing = [n for n, v in (("THC", product.thc_mg), ("CBD", product.cbd_mg)) if v is None]
    return " and ".join(missing)


def realise_steps(
    protocol: Protocol, product: Product, *, thc_allowed: bool, ceiling: DailyCeiling | None = None
) -> tuple[Unit, list[PlannedStep]]:
    """Turn the protocol's step targets into whole units of ``product``, each guarded against the last.

    With a ``ceiling`` every step is also cut down to it (steps that come out the same become one longer step,
    so the plan climbs to the ceiling and stays there).
    """
    if not product.content_known:
        raise PlanRefused(
            f"How much {_unknown_part(product)} does '{product.name}' contain? Until that is known no safe amount "
            "can be worked out. Enter it for the product as the label or its certificate of analysis prints it "
            "(for example '0.2 mg per ml', 'THC-free' or '< 0.3 %'); with a maximum, the plan assumes the most "
            "the label allows."
        )
    if protocol.product_form and product.form.value != protocol.product_form:
        article = "an" if product.form.value[0] in "aeiou" else "a"
        raise PlanRefused(
            f"The {protocol.id} protocol is for a {protocol.product_form}; '{product.name}' is "
            f"{article} {product.form.value}."
        )
    unit = measuring_unit(product)
    per = amount_of(1, unit, product)  # mg THC / mg CBD in one drop, spray, capsule or unit
    steps: list[PlannedStep] = []
    prev: tuple[float, float] | None = None
    has_thc = per.thc_mg > 0
    targets = step_targets(
        protocol, thc_allowed=thc_allowed and (has_thc or protocol.id != "conservative" and protocol.id != "routine")
    )
    for target in targets:
        units = _units_for(target, per.thc_mg, per.cbd_mg, protocol, prev, ceiling)
        doses = _spread(units, target, unit, per.thc_mg, per.cbd_mg)
        if steps and steps[-1].doses == doses:  # same amounts as the last step: one longer step
            steps[-1] = PlannedStep(
                index=steps[-1].index, phase=steps[-1].phase, days=steps[-1].days + target.days, doses=doses
            )
            continue
        step = PlannedStep(index=len(steps), phase=target.phase, days=target.days, doses=doses)
        steps.append(step)
        prev = (step.thc_mg_day, step.cbd_mg_day)
    if not steps or steps[0].units_day == 0:
        raise PlanRefused(
            _below_ceiling_reason(ceiling, product, per.thc_mg, per.cbd_mg, unit)
            or _no_start_reason(protocol, product, per.thc_mg, per.cbd_mg, unit, thc_allowed)
        )
    return unit, steps


def _units_for(
    target: StepTarget,
    thc_per: float,
    cbd_per: float,
    protocol: Protocol,
    prev: tuple[float, float] | None,
    ceiling: DailyCeiling | None = None,
) -> list[int]:
    """Return whole units per time of day for one step, rounded down against every cap.

    Caps: the step's own mg/day targets, the daily ceilings (the protocol's, and the lower one set for the
    person), and (after the first step) the previous step plus the largest step the protocol allows.
    """
    thc_top, cbd_top = (ceiling or DailyCeiling()).lowers(protocol.ceiling_thc_mg_day, protocol.ceiling_cbd_mg_day)
    limits = [
        (target.thc_cap_mg_day, thc_per),
        (target.cbd_cap_mg_day, cbd_per),
        (thc_top, thc_per),
        (cbd_top, cbd_per),
    ]
    if prev is not None:
        limits += [
            (prev[0] + protocol.step_thc_mg_day + _unit_step(protocol, thc_per), thc_per),
            (prev[1] + protocol.step_cbd_mg_day + _unit_step(protocol, cbd_per), cbd_per),
        ]
    most = min((math.floor(cap / per + EPS) for cap, per in limits if per > 0), default=0)
    most = max(most, 0)
    if target.units_per_time is not None:  # fixed schedule (sprays per time), cut down to the caps
        per_time = list(target.units_per_time)
        while sum(per_time) > most:
            per_time[per_time.index(max(per_time))] -= 1
        return per_time
    n = len(target.times)
    return [most // n + (1 if i >= n - most % n else 0) for i in range(n)]  # the remainder goes to the evening


def _unit_step(protocol: Protocol, per: float) -> float:
    """For unit schedules (nabiximols) the allowed step is one unit a day (SmPC: +1 spray a day)."""
    step_units = protocol.raw.get("step_units_day")
    return float(step_units) * per if step_units else 0.0


def _spread(
    units: list[int], target: StepTarget, unit: Unit, thc_per: float, cbd_per: float
) -> tuple[PlannedDose, ...]:
    return tuple(
        PlannedDose(time=t, amount=u, unit=unit.value, thc_mg=round(u * thc_per, 4), cbd_mg=round(u * cbd_per, 4))
        for t, u in zip(target.times, units, strict=True)
        if u > 0
    )


def _below_ceiling_reason(
    ceiling: DailyCeiling | None, product: Product, thc_per: float, cbd_per: float, unit: Unit
) -> str | None:
    """Why no dose fits when one unit of the product is above the ceiling set for the person (else None)."""
    if ceiling is None:
        return None
    for name, per, top in (("THC", thc_per, ceiling.thc_mg_day), ("CBD", cbd_per, ceiling.cbd_mg_day)):
        if top is not None and per > top + EPS:
            return (
                f"The daily ceiling set for you ({top:g} mg {name} a day) is below one {unit.value} of "
                f"'{product.name}' ({per:g} mg {name}), so no planned dose fits under it. Take no planned dose; "
                "ask the clinician who set the ceiling, or use a product with smaller units."
            )
    return None


def _no_start_reason(
    protocol: Protocol, product: Product, thc_per: float, cbd_per: float, unit: Unit, thc_allowed: bool
) -> str:
    one = f"one {unit.value} of '{product.name}' has {thc_per:g} mg THC and {cbd_per:g} mg CBD"
    if not thc_allowed and thc_per > 0:
        return f"No THC is allowed in this plan, but {one}. Use a product without THC."
    return (
        f"The {protocol.id} protocol starts at {protocol.start_cbd_mg_day:g} mg CBD and "
        f"{protocol.start_thc_mg_day:g} mg THC a day, but {one}, so even the smallest measurable amount "
        "does not fit the start dose. Use a product with smaller or better-matched units "
        "(for example an oil measured in drops), or another protocol"
        + (" (the nabiximols protocol is made for sprays)." if unit is Unit.SPRAY else ".")
    )
