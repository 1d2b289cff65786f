"""Titration protocols as data (knowledge/data/protocols.yaml) turned into a sequence of step targets.

A step target caps mg THC/day and mg CBD/day (or, for unit schedules such as nabiximols, gives sprays per
time of day). Units: mg per day; intervals in days. Sources: Bhaskar 2021, nabiximols SmPC, dronabinol
label; default THC ceiling 30 mg/day from MacCallum & Russo 2018.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dosewise.errors import InvalidInput
from dosewise.knowledge.files import YamlRecord, load_yaml


@dataclass(frozen=True)
class StepTarget:
    """What one step allows: caps in mg/day, or fixed units per time (unit schedules)."""

    phase: str  # cbd | thc | both | schedule
    days: int  # how long the step lasts before the next step up (if tolerated)
    times: tuple[str, ...]
    thc_cap_mg_day: float
    cbd_cap_mg_day: float
    units_per_time: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Protocol:
    """A protocol's identity, ceilings (mg/day) and the largest step it allows (mg/day per step)."""

    id: str
    title: str
    refs: tuple[str, ...]
    basis: str
    ceiling_thc_mg_day: float  # min(protocol maximum, default THC ceiling)
    ceiling_cbd_mg_day: float
    start_thc_mg_day: float
    start_cbd_mg_day: float
    step_thc_mg_day: float
    step_cbd_mg_day: float
    raw: YamlRecord
    product_form: str | None = None


@lru_cache(maxsize=1)
def protocol_data() -> YamlRecord:
    """Return the parsed protocols.yaml."""
    return load_yaml("protocols.yaml")


def protocol_ids() -> list[str]:
    return list(protocol_data()["protocols"])


def get_protocol(protocol_id: str) -> Protocol:
    """Return the protocol ``protocol_id``; raise InvalidInput listing the choices if unknown."""
    key = protocol_id.strip().lower()
    data = protocol_data()
    if key not in data["protocols"]:
        raise InvalidInput(
            f"Unknown protocol '{protocol_id}'. Choose one of: {', '.join(protocol_ids())}.", field="protocol"
        )
    raw = data["protocols"][key]
    default_thc = float(data["default_thc_ceiling_mg_day"])
    phases = raw.get("phases", [])

    def first(c: str, field: str) -> float:
        vals = [p[field] for p in phases if p["cannabinoid"] in (c, "both")]
        return float(vals[0]) if vals else 0.0

    def biggest_step(c: str) -> float:
        return max([float(p["step_mg_day"]) for p in phases if p["cannabinoid"] in (c, "both")], default=0.0)

    return Protocol(
        id=key,
        title=raw["title"],
        refs=tuple(raw["refs"]),
        basis=" ".join(raw["basis"].split()),
        ceiling_thc_mg_day=min(float(raw["ceiling_thc_mg_day"]), default_thc),
        ceiling_cbd_mg_day=float(raw["ceiling_cbd_mg_day"]),
        start_thc_mg_day=first("thc", "start_mg_day"),
        start_cbd_mg_day=first("cbd", "start_mg_day"),
        step_thc_mg_day=biggest_step("thc"),
        step_cbd_mg_day=biggest_step("cbd"),
        raw=raw,
        product_form=raw.get("product_form"),
    )


def step_targets(protocol: Protocol, *, thc_allowed: bool) -> list[StepTarget]:
    """Return the protocol's steps in order (the last one is held). THC phases are left out if not allowed."""
    raw = protocol.raw
    if "schedule_units" in raw:
        return [
            StepTarget(
                phase="schedule",
                days=1,
                times=tuple(raw["times"]),
                thc_cap_mg_day=protocol.ceiling_thc_mg_day,
                cbd_cap_mg_day=protocol.ceiling_cbd_mg_day,
                units_per_time=tuple(int(u) for u in units),
            )
            for units in raw["schedule_units"]
        ]
    steps: list[StepTarget] = []
    phases = raw["phases"]
    thc_start = protocol.start_thc_mg_day if thc_allowed else 0.0
    for phase in phases:
        c = phase["cannabinoid"]
        if c in ("thc", "both") and not thc_allowed:
            continue
        ceiling = {
            "cbd": protocol.ceiling_cbd_mg_day,
            "thc": protocol.ceiling_thc_mg_day,
            "both": min(protocol.ceiling_thc_mg_day, protocol.ceiling_cbd_mg_day),
        }[c]
        top = min(float(phase["max_mg_day"]), ceiling)
        value = float(phase["start_mg_day"])
        while value <= top + 1e-9:
            steps.append(_target(phase, c, value, thc_start, protocol))
            value += float(phase["step_mg_day"])
        if steps and value - float(phase["step_mg_day"]) < top - 1e-9:  # last partial step up to the top
            steps.append(_target(phase, c, top, thc_start, protocol))
    return steps


def _target(phase: YamlRecord, c: str, value: float, thc_start: float, protocol: Protocol) -> StepTarget:
    times = tuple(phase["times"])
    if phase.get("split_from_mg_day") is not None and value >= float(phase["split_from_mg_day"]):
        times = tuple(phase["split_times"])
    if c == "cbd":  # CBD phase: THC (if the product has any) may not exceed the THC start dose
        thc_cap, cbd_cap = thc_start, value
    elif c == "thc":  # THC phase: CBD up to its ceiling
        thc_cap, cbd_cap = value, protocol.ceiling_cbd_mg_day
    else:  # balanced: both at the same mg
        thc_cap, cbd_cap = value, value
    return StepTarget(
        phase=c, days=int(phase["every_days"]), times=times, thc_cap_mg_day=thc_cap, cbd_cap_mg_day=cbd_cap
    )


def review_settings() -> tuple[int, float, tuple[str, ...]]:
    """Return (review day, required % improvement, refs): the 4-week, >= 20 % rule."""
    d = protocol_data()
    return int(d["review_day"]), float(d["review_improvement_percent"]), tuple(d["review_refs"])


@lru_cache(maxsize=1)
def side_effect_rules() -> list[YamlRecord]:
    """Return the plan's reactions to the journal (knowledge/data/side_effect_rules.yaml)."""
    return load_yaml("side_effect_rules.yaml")
